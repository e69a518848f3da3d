import { z } from "zod";

/**
 * The event contract: the single source of truth for what Junction accepts and stores.
 * The SDK and the dashboard `import type` from here, so zod never ships to browsers.
 */

export const CHANNELS = ["web", "whatsapp"] as const;
export type Channel = (typeof CHANNELS)[number];

/** Event names: letters, digits and `_ . : $ -`, as analytics tools conventionally allow. */
export const eventNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:$-]+$/, "event name may only hold letters, digits and _ . : $ -");

const idSchema = z.string().min(1).max(128);
const isoSchema = z.iso.datetime({ offset: true });

/** Free-form properties. Their size is bounded where the event is serialized (MAX_EVENT_BYTES). */
export const propertiesSchema = z.record(z.string().max(128), z.unknown());

/** One stored event may take at most 32 KB of JSON: a Queue message holds 128 KB, a D1 row stays small. */
export const MAX_EVENT_BYTES = 32 * 1024;

export const utmSchema = z
  .object({
    source: z.string().max(256),
    medium: z.string().max(256),
    campaign: z.string().max(256),
    term: z.string().max(256),
    content: z.string().max(256),
    gclid: z.string().max(512),
    fbclid: z.string().max(512),
    ctwa_clid: z.string().max(512),
  })
  .partial();

export const contextSchema = z
  .object({
    page: z
      .object({ url: z.string().max(2048), referrer: z.string().max(2048), title: z.string().max(512) })
      .partial(),
    utm: utmSchema,
    locale: z.string().max(35),
    timezone: z.string().max(64),
    screen: z.string().max(32),
    handshake_token: z.string().min(8).max(128),
  })
  .partial();

/** One event as the SDK sends it (DESIGN.md §3). */
export const captureEventSchema = z.object({
  event_id: z.uuid(),
  event: eventNameSchema,
  timestamp: isoSchema,
  anonymous_id: idSchema,
  session_id: idSchema,
  user_id: idSchema.nullish(),
  properties: propertiesSchema.optional(),
  context: contextSchema.optional(),
});
export type CaptureEvent = z.infer<typeof captureEventSchema>;

/** A capture request; events are validated one by one so a bad event does not sink its batch. */
export const captureBatchSchema = z.object({
  project: z.string().min(1).max(64),
  sent_at: isoSchema,
  events: z.array(z.unknown()).min(1, "events must hold at least 1 event").max(100, "events may hold at most 100 events"),
});
export type CaptureBatch = z.infer<typeof captureBatchSchema>;

const text = (max: number) => z.string().max(max).nullish();

/** The stored shape of every event, whatever its channel (DESIGN.md §2). Times are epoch ms. */
export const eventRecordSchema = z.object({
  event_id: z.string().min(1).max(200),
  project_id: z.string().min(1).max(64),
  event_name: eventNameSchema,
  channel_type: z.enum(CHANNELS),
  timestamp: z.number().int().nonnegative(),
  received_at: z.number().int().nonnegative(),
  anonymous_id: text(128),
  session_id: text(128),
  user_id: text(128),
  external_id: text(32),
  conversation_id: text(200),
  handshake_token: text(128),
  url: text(2048),
  path: text(1024),
  referrer: text(2048),
  title: text(512),
  utm_source: text(256),
  utm_medium: text(256),
  utm_campaign: text(256),
  utm_term: text(256),
  utm_content: text(256),
  country: text(2),
  region: text(128),
  city: text(128),
  timezone: text(64),
  colo: text(8),
  asn: z.number().int().nullish(),
  device_type: text(32),
  browser: text(64),
  os: text(64),
  is_bot: z.boolean().default(false),
  properties: z.record(z.string(), z.unknown()).default({}),
});
export type EventRecord = z.infer<typeof eventRecordSchema>;
export type EventRecordInput = z.input<typeof eventRecordSchema>;
