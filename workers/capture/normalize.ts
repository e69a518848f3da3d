import { z } from "zod";
import {
  captureEventSchema,
  fit,
  inTimeWindow,
  MAX_EVENT_BYTES,
  MAX_PATH_CHARS,
  MAX_USER_AGENT_CHARS,
  TIME_WINDOW_TEXT,
  type CaptureEvent,
  type EventRecordInput,
  type QueueMessageInput,
} from "../contract";

/** The parts of `request.cf` Junction keeps: coarse geo and network, never the IP. */
export interface Geo {
  country?: string | null;
  region?: string | null;
  city?: string | null;
  timezone?: string | null;
  colo?: string | null;
  asn?: number | null;
}

export function geoFrom(cf: IncomingRequestCfProperties | undefined): Geo {
  if (!cf) return {};
  // Cloudflare reports Tor exits as "T1" and unknown as "XX": neither is a country.
  const raw = cf.country as string | undefined;
  const country = raw && /^[A-Z]{2}$/.test(raw) && raw !== "XX" ? raw : null;
  // Cut to the stored columns' widths: what Cloudflare reports must never make an event unstorable.
  const str = (v: unknown, max: number) => (typeof v === "string" ? fit(v, max) : null);
  return {
    country,
    region: str(cf.region, 128),
    city: str(cf.city, 128),
    timezone: str(cf.timezone, 64),
    colo: str(cf.colo, 8),
    asn: typeof cf.asn === "number" && Number.isSafeInteger(cf.asn) ? cf.asn : null,
  };
}

function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    // A URL within its 2,048 characters may still have a longer (percent-encoded) path than the column.
    return fit(new URL(url).pathname, MAX_PATH_CHARS);
  } catch {
    return null;
  }
}

/**
 * Client clocks are wrong: shift each event by (server receive time − batch `sent_at`), which
 * cancels the client's offset, and never let an event claim to come from the future.
 */
export function correctedTime(clientTs: string, sentAt: string, receivedAt: number): number {
  const measured = receivedAt - Date.parse(sentAt);
  // Under a second the difference is mostly upload time, not a wrong clock: keep the client's time.
  const skew = Math.abs(measured) < 1000 ? 0 : measured;
  return Math.min(Date.parse(clientTs) + skew, receivedAt);
}

/** Maps one SDK event onto the stored record shape. */
export function toRecord(e: CaptureEvent, projectId: string, sentAt: string, receivedAt: number, geo: Geo): EventRecordInput {
  const page = e.context?.page ?? {};
  const utm = e.context?.utm ?? {};
  const clickIds = Object.fromEntries((["gclid", "fbclid", "ctwa_clid"] as const).filter((k) => utm[k]).map((k) => [k, utm[k]]));
  const properties = { ...clickIds, ...e.properties };
  if (e.context?.locale) properties.locale = e.context.locale;
  if (e.context?.screen) properties.screen = e.context.screen;
  return {
    event_id: e.event_id,
    project_id: projectId,
    event_name: e.event,
    channel_type: "web",
    timestamp: correctedTime(e.timestamp, sentAt, receivedAt),
    received_at: receivedAt,
    anonymous_id: e.anonymous_id,
    session_id: e.session_id,
    user_id: e.user_id ?? null,
    handshake_token: e.context?.handshake_token ?? (e.event === "handshake_complete" ? stringProp(e.properties, "token") : null),
    url: page.url ?? null,
    path: pathOf(page.url),
    referrer: page.referrer || null,
    title: page.title ?? null,
    utm_source: utm.source ?? null,
    utm_medium: utm.medium ?? null,
    utm_campaign: utm.campaign ?? null,
    utm_term: utm.term ?? null,
    utm_content: utm.content ?? null,
    ...geo,
    // The visitor's own timezone is more useful than the colo's when the browser tells us.
    timezone: e.context?.timezone ?? geo.timezone ?? null,
    properties,
  };
}

function stringProp(p: Record<string, unknown> | undefined, key: string): string | null {
  const v = p?.[key];
  return typeof v === "string" ? v : null;
}

/** What every event of one capture request shares. */
export interface CaptureRequest {
  projectId: string;
  sentAt: string;
  receivedAt: number;
  geo: Geo;
  userAgent: string | null;
  botScore: number | null;
  verifiedBot: boolean | null;
}

/** The raw User-Agent as the consumer receives it: cut to its column width, never refused for its length. */
export const boundedUserAgent = (ua: string | null | undefined) => fit(ua ?? null, MAX_USER_AGENT_CHARS);

/**
 * One raw event of a batch → its Queue message, or why it is refused (naming the limit). Every
 * message returned passes the consumer's contract (queueMessageSchema): the property test in
 * test/workers/edge-contract.test.ts generates edge-valid inputs to prove it.
 */
export function captureMessage(raw: unknown, req: CaptureRequest): { message: QueueMessageInput; size: number } | { error: string } {
  const parsed = captureEventSchema.safeParse(raw);
  if (!parsed.success) return { error: z.prettifyError(parsed.error) };
  const clientTime = Date.parse(parsed.data.timestamp);
  if (!inTimeWindow(clientTime, req.receivedAt)) return { error: `timestamp must be ${TIME_WINDOW_TEXT}` };
  const event = toRecord(parsed.data, req.projectId, req.sentAt, req.receivedAt, req.geo);
  // The clock correction may move an early event before the window: refuse it rather than store a wrong time.
  if (!inTimeWindow(event.timestamp, req.receivedAt)) return { error: `timestamp, corrected by sent_at, must be ${TIME_WINDOW_TEXT}` };
  const message: QueueMessageInput = {
    kind: "event",
    event,
    user_agent: req.userAgent,
    bot_score: req.botScore,
    verified_bot: req.verifiedBot,
  };
  const size = JSON.stringify(message).length;
  if (size > MAX_EVENT_BYTES) return { error: `event exceeds ${MAX_EVENT_BYTES} bytes of JSON (limit MAX_EVENT_BYTES)` };
  return { message, size };
}
