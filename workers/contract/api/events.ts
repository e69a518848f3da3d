import { z } from "zod";
import { CHANNELS } from "../events";
import { isoTimeSchema } from "./shared";

const text = z.string().nullable();

/** A stored event as the API returns it: the stored shape with ISO times and parsed properties. */
export const apiEventSchema = z.strictObject({
  event_id: z.string(),
  project_id: z.string(),
  event_name: z.string(),
  channel_type: z.enum(CHANNELS),
  timestamp: isoTimeSchema,
  received_at: isoTimeSchema,
  anonymous_id: text,
  session_id: text,
  user_id: text,
  external_id: text,
  conversation_id: text,
  /** The one-time handshake token this event redeemed (already spent), if any. */
  handshake_token: text,
  url: text,
  path: text,
  referrer: text,
  title: text,
  utm_source: text,
  utm_medium: text,
  utm_campaign: text,
  utm_term: text,
  utm_content: text,
  country: text,
  region: text,
  city: text,
  timezone: text,
  colo: text,
  asn: z.number().int().nullable(),
  device_type: text,
  browser: text,
  os: text,
  is_bot: z.boolean(),
  properties: z.record(z.string(), z.unknown()),
  /** The person the event belongs to through identity links (null for events stored before links). */
  person_id: text,
});
export type ApiEvent = z.infer<typeof apiEventSchema>;

/** `GET /events`: newest first; pass `next_cursor` back as `cursor` for the next page (null at the end). */
export const eventsPageSchema = z.strictObject({ events: z.array(apiEventSchema), next_cursor: z.string().nullable() });
export type EventsPage = z.infer<typeof eventsPageSchema>;

/** Columns of `GET /export/events.csv`, in order (the stored shape; the one-time handshake token is left out). */
export const EVENT_CSV_COLUMNS = [
  "event_id",
  "timestamp",
  "received_at",
  "event_name",
  "channel_type",
  "anonymous_id",
  "session_id",
  "user_id",
  "external_id",
  "conversation_id",
  "url",
  "path",
  "referrer",
  "title",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "country",
  "region",
  "city",
  "timezone",
  "colo",
  "asn",
  "device_type",
  "browser",
  "os",
  "is_bot",
  "properties",
] as const;
