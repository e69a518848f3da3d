import { deviceOf, isBot, type Ev } from "./stats-fixture";

/**
 * The true answers for a hand-built data set, computed in plain JS (no SQL, no rollups), so the
 * stats tests compare the API against an independent implementation.
 */
export type RefFilter = {
  channel?: string;
  country?: string;
  device_type?: string;
  utm_source?: string;
  path?: string;
  event_name?: string;
  include_bots?: boolean;
  prop?: [string, unknown];
};

// On WhatsApp a person is the contact and a session the conversation, whatever else the event carries.
// A system event (the idle auto-close) is nobody's activity.
const system = (e: Ev) => e.props?.actor === "system";
const visitor = (e: Ev) => (system(e) ? null : e.channel === "whatsapp" ? (e.ext ? "x:" + e.ext : null) : (e.anon ?? null));
const session = (e: Ev) => (system(e) ? null : e.channel === "whatsapp" ? (e.conv ?? null) : (e.session ?? null));

/** The overview's totals and series describe the web unless the filter names a channel. */
export const onWeb = (f: RefFilter): RefFilter => (f.channel ? f : { ...f, channel: "web" });

function matches(e: Ev, f: RefFilter) {
  if (!f.include_bots && isBot(e)) return false;
  if (f.channel && (e.channel ?? "web") !== f.channel) return false;
  if (f.country && e.country !== f.country) return false;
  if (f.device_type && deviceOf(e) !== f.device_type) return false;
  if (f.utm_source && e.utm_source !== f.utm_source) return false;
  if (f.path && (e.channel === "whatsapp" ? null : (e.path ?? "/")) !== f.path) return false;
  if (f.event_name && e.name !== f.event_name) return false;
  if (f.prop && e.props?.[f.prop[0]] !== f.prop[1]) return false;
  return true;
}

/** Totals over [from, to) as the API defines them (README of docs/rollups.md). */
export function refTotals(evs: Ev[], from: number, to: number, f: RefFilter = {}) {
  const all = evs.filter((e) => matches(e, f));
  const inRange = all.filter((e) => e.ts >= from && e.ts < to);
  const sessions = new Map<string, Ev[]>();
  for (const e of all) {
    const k = session(e);
    if (k) sessions.set(`${k}|${e.channel ?? "web"}|${isBot(e)}`, [...(sessions.get(`${k}|${e.channel ?? "web"}|${isBot(e)}`) ?? []), e]);
  }
  const started = [...sessions.values()].filter((s) => {
    const first = Math.min(...s.map((e) => e.ts));
    return first >= from && first < to;
  });
  const pv = (s: Ev[]) => s.filter((e) => e.name === "page_view").length;
  const withPv = started.filter((s) => pv(s) >= 1);
  const durations = started.map((s) => Math.max(...s.map((e) => e.ts)) - Math.min(...s.map((e) => e.ts)));
  return {
    visitors: new Set(inRange.map(visitor).filter(Boolean)).size,
    sessions: new Set(inRange.map(session).filter(Boolean)).size,
    pageviews: inRange.filter((e) => e.name === "page_view").length,
    events: inRange.length,
    bounce_rate: withPv.length ? Math.round((withPv.filter((s) => pv(s) === 1).length / withPv.length) * 10_000) / 10_000 : null,
    avg_session_seconds: durations.length ? Math.round(durations.reduce((a, b) => a + b, 0) / durations.length / 100) / 10 : null,
  };
}

/** Series for a zone with a fixed offset (ms), by local day or hour. */
export function refSeries(evs: Ev[], from: number, to: number, offset: number, interval: "day" | "hour", f: RefFilter = {}) {
  const label = (t: number) => {
    const iso = new Date(t + offset).toISOString();
    return interval === "day" ? iso.slice(0, 10) : iso.slice(0, 13) + ":00";
  };
  const buckets = new Map<string, Ev[]>();
  for (let t = from; t < to; t += 900_000) buckets.set(label(t), []);
  for (const e of evs) if (matches(e, f) && e.ts >= from && e.ts < to) buckets.get(label(e.ts))!.push(e);
  return [...buckets].map(([bucket, list]) => ({
    bucket,
    visitors: new Set(list.map(visitor).filter(Boolean)).size,
    sessions: new Set(list.map(session).filter(Boolean)).size,
    pageviews: list.filter((e) => e.name === "page_view").length,
    events: list.length,
  }));
}
