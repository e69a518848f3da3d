import type { CampaignSettings } from "../contract";

const MINUTE = 60_000;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight at `now` in `zone`; null for a zone the runtime does not know. */
function localMinutes(now: number, zone: string): number | null {
  try {
    const parts = new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(
      new Date(now),
    );
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    return get("hour") * 60 + get("minute");
  } catch {
    return null;
  }
}

/**
 * When quiet hours hold at `now` in the recipient's zone, the time they end (ms); else null.
 * Windows may span midnight (21:00–08:00). A zone the runtime does not know falls back to the
 * project's default zone.
 */
export function quietUntil(now: number, zone: string | null, s: CampaignSettings): number | null {
  if (!s.quiet_hours) return null;
  const tz = [zone, s.default_timezone, "UTC"].find((z): z is string => !!z && localMinutes(now, z) !== null)!;
  const m = localMinutes(now, tz)!;
  const start = minutesOf(s.quiet_hours.start);
  const end = minutesOf(s.quiet_hours.end);
  if (start === end) return null;
  const inside = start < end ? m >= start && m < end : m >= start || m < end;
  if (!inside) return null;
  const naive = Math.floor(now / MINUTE) * MINUTE + ((end - m + 1440) % 1440) * MINUTE;
  // A daylight-saving change inside the wait shifts the local clock: correct by what it reads then.
  const drift = ((end - localMinutes(naive, tz)! + 2160) % 1440) - 720;
  return naive + drift * MINUTE;
}

/** 32-bit FNV-1a: a stable hash for variant assignment. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The variant of a person: by weight, from a hash of (campaign, person), so a re-snapshot assigns the same one. */
export function pickVariant<V extends { name: string; weight: number }>(variants: V[], campaignId: string, personId: string): V {
  const total = variants.reduce((n, v) => n + v.weight, 0);
  let x = fnv1a(`${campaignId}:${personId}`) % total;
  for (const v of variants) {
    if (x < v.weight) return v;
    x -= v.weight;
  }
  return variants[variants.length - 1]!;
}

/** Milliseconds between sends at `perSecond`. */
export const sendInterval = (perSecond: number) => 1000 / perSecond;

/** Recipients per Workflow step: about 20 seconds of sending, 1–100. */
export const batchSize = (perSecond: number) => Math.max(1, Math.min(100, Math.ceil(perSecond * 20)));

/**
 * Provider calls in flight at once: one per 5 messages/s of throughput, 1–50. A send is a claim, the
 * provider's answer and a record (up to ~200 ms), so each worker covers about 5 slots a second; the
 * pacer, not the pool, holds the rate.
 */
export const concurrency = (perSecond: number) => Math.max(1, Math.min(50, Math.ceil(perSecond / 5)));
