import { z } from "zod";
import { CONVERSATION_ID_MAX, WHATSAPP_ID_MAX } from "./ids";
import { freeFormProblem, MAX_PATH_CHARS } from "./limits";

/**
 * The event contract: the single source of truth for what Junction accepts and stores.
 * The SDK and the dashboard `import type` from here, so zod never ships to browsers.
 */

export const CHANNELS = ["web", "whatsapp"] as const;

/**
 * What a project token may do: `read` every read route; `write` reads and manages definitions
 * (funnels, segments…) and issues handshakes; `bot` issues handshakes and nothing else; `privacy`
 * erases people; `share` is a read-only dashboard link. The admin token may do everything.
 */
export const TOKEN_SCOPES = ["read", "write", "bot", "privacy", "share"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export type Channel = (typeof CHANNELS)[number];

/** Event names: letters, digits and `_ . : $ -`, as analytics tools conventionally allow. */
export const eventNameSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:$-]+$/, "event name may only hold letters, digits and _ . : $ -");

const idSchema = z.string().min(1).max(128);
const isoSchema = z.iso.datetime({ offset: true });

/** Refuses a free-form value past its depth or node bounds (contract/limits.ts), naming the limit. */
const boundedFreeForm = (what: string) => (v: unknown, ctx: z.RefinementCtx) => {
  const problem = freeFormProblem(v, what);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
};

/**
 * Free-form properties: at most MAX_PROPERTY_DEPTH levels and MAX_PROPERTY_NODES values
 * (contract/limits.ts); their byte size is bounded where the event is serialized (MAX_EVENT_BYTES).
 */
export const propertiesSchema = z.record(z.string().max(128), z.unknown()).superRefine(boundedFreeForm("properties"));

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
    page: z.object({ url: z.string().max(2048), referrer: z.string().max(2048), title: z.string().max(512) }).partial(),
    utm: utmSchema,
    locale: z.string().max(35),
    timezone: z.string().max(64),
    screen: z.string().max(32),
    handshake_token: z.string().min(8).max(128),
  })
  .partial();

/** One event as the SDK sends it (docs/architecture.md, HTTP surface). */
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

/** The stored shape of every event, whatever its channel (docs/architecture.md, event contract). Times are epoch ms. */
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
  external_id: text(WHATSAPP_ID_MAX),
  conversation_id: text(CONVERSATION_ID_MAX),
  handshake_token: text(128),
  url: text(2048),
  path: text(MAX_PATH_CHARS),
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
  properties: z.record(z.string(), z.unknown()).superRefine(boundedFreeForm("properties")).default({}),
});
export type EventRecord = z.infer<typeof eventRecordSchema>;
export type EventRecordInput = z.input<typeof eventRecordSchema>;

/**
 * System events are what Junction itself records when nobody did anything (the idle auto-close of a
 * conversation: `properties.actor = "system"`, or an idle `conversation_resolved` stored before that
 * property existed). They are no person's activity: no visitor, no contact, no session.
 */
export function isSystemEvent(e: { event_name: string; properties?: unknown }): boolean {
  let p = e.properties;
  if (typeof p === "string") {
    try {
      p = JSON.parse(p);
    } catch {
      return false;
    }
  }
  const props = (p ?? {}) as Record<string, unknown>;
  return props.actor === "system" || (e.event_name === "conversation_resolved" && props.reason === "idle");
}

/** `isSystemEvent` in SQL over `events` (alias `a` ends with a dot, or is empty). */
export const systemEventSql = (a = "") =>
  `(coalesce(json_extract(${a}properties, '$.actor') = 'system', 0) OR (${a}event_name = 'conversation_resolved' AND coalesce(json_extract(${a}properties, '$.reason') = 'idle', 0)))`;
