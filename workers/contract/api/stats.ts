import { z } from "zod";
import { isoTimeSchema } from "./shared";

/** Which store answered: 15-minute rollups, a raw scan of events, or Analytics Engine. */
export const STATS_SOURCES = ["rollups", "raw", "ae"] as const;

/** Traffic totals; visitor and session counts are null where the source cannot count them. */
export const trafficTotalsSchema = z.strictObject({
  visitors: z.number().nullable(),
  sessions: z.number().nullable(),
  pageviews: z.number(),
  events: z.number(),
  bounce_rate: z.number().nullable(),
  avg_session_seconds: z.number().nullable(),
});
export type TrafficTotals = z.infer<typeof trafficTotalsSchema>;

export const seriesPointSchema = z.strictObject({
  bucket: z.string(),
  visitors: z.number().nullable(),
  sessions: z.number().nullable(),
  pageviews: z.number(),
  events: z.number(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

/** WhatsApp in the Overview: distinct contacts and conversations with a person's activity, and events. */
export const whatsappTrafficSchema = z.strictObject({
  contacts: z.number().nullable(),
  conversations: z.number().nullable(),
  events: z.number(),
});
export type WhatsAppTraffic = z.infer<typeof whatsappTrafficSchema>;

/**
 * `GET /stats/overview`: web totals (visitors, sessions, duration, bounce; the web channel unless
 * `channel=whatsapp` asks for WhatsApp), the previous period of equal length, relative change, a
 * local-time series, and WhatsApp apart (contacts, conversations): the channels are never mixed.
 */
export const overviewSchema = z.strictObject({
  totals: trafficTotalsSchema,
  whatsapp: whatsappTrafficSchema,
  whatsapp_previous: whatsappTrafficSchema,
  previous: trafficTotalsSchema,
  /** Relative change per total (0.25 = +25 %); null when there is no previous value. */
  change: z.record(trafficTotalsSchema.keyof(), z.number().nullable()),
  series: z.array(seriesPointSchema),
  source: z.enum(STATS_SOURCES),
  from: isoTimeSchema,
  to: isoTimeSchema,
  tz: z.string(),
  interval: z.string(),
});
export type Overview = z.infer<typeof overviewSchema>;

export const breakdownRowSchema = z.strictObject({
  value: z.string().nullable(),
  visitors: z.number().nullable(),
  pageviews: z.number(),
  events: z.number(),
});
export type BreakdownRow = z.infer<typeof breakdownRowSchema>;

/** `GET /stats/breakdown`: the top values of one dimension. */
export const breakdownSchema = z.strictObject({
  dimension: z.string(),
  rows: z.array(breakdownRowSchema),
  source: z.enum(STATS_SOURCES),
  /** The `offset` of the next page (past `limit` rows), or null when this page is the last. */
  next_offset: z.number().int().nonnegative().nullable(),
});
export type Breakdown = z.infer<typeof breakdownSchema>;

/** `POST /sketches/rebuild` (admin): events added to the sketches, and the cursor of the next page (null when done). */
export const sketchRebuildSchema = z.strictObject({ events: z.number().int().nonnegative(), next: z.string().nullable() });
export type SketchRebuild = z.infer<typeof sketchRebuildSchema>;
