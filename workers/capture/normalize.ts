import type { CaptureEvent, EventRecordInput } from "../contract";

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
  return {
    country,
    region: (cf.region as string | undefined) ?? null,
    city: (cf.city as string | undefined) ?? null,
    timezone: (cf.timezone as string | undefined) ?? null,
    colo: (cf.colo as string | undefined) ?? null,
    asn: typeof cf.asn === "number" ? cf.asn : null,
  };
}

function pathOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).pathname;
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
export function toRecord(
  e: CaptureEvent,
  projectId: string,
  sentAt: string,
  receivedAt: number,
  geo: Geo,
): EventRecordInput {
  const page = e.context?.page ?? {};
  const utm = e.context?.utm ?? {};
  const clickIds = Object.fromEntries(
    (["gclid", "fbclid", "ctwa_clid"] as const).filter((k) => utm[k]).map((k) => [k, utm[k]]),
  );
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
