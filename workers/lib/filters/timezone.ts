/**
 * Timezone arithmetic on epoch ms with nothing but `Intl` (workerd ships full ICU data).
 * Every offset in use today is a multiple of 15 minutes, which is why rollups keep 15-minute
 * UTC buckets: any local hour/day/week/month is an exact union of them (docs/rollups.md).
 */

import { tzOffset } from "../../contract/zone";

export { isTimeZone, localMidnight, tzOffset } from "../../contract/zone";

export const INTERVALS = ["hour", "day", "week", "month"] as const;
export type Interval = (typeof INTERVALS)[number];

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;

/** The label of the local bucket holding wall time `wall`: "2026-11-01T13:00" for hours, else a date. */
function label(wall: number, interval: Interval): string {
  const d = new Date(wall);
  if (interval === "hour") return d.toISOString().slice(0, 13) + ":00";
  if (interval === "month") return d.toISOString().slice(0, 8) + "01";
  if (interval === "week") return new Date(wall - ((d.getUTCDay() + 6) % 7) * DAY).toISOString().slice(0, 10);
  return d.toISOString().slice(0, 10);
}

export type Bucket = { label: string; start: number; end: number };

/**
 * Local buckets covering [from, to), as UTC instants. Walks 15-minute steps and asks `Intl` for the
 * offset twice per UTC day (per step only on days whose offset changes), so DST days come out as
 * 23/25-hour days and :30/:45 zones are exact. Buckets at the edges are clipped to the range.
 */
export function localBuckets(from: number, to: number, tz: string, interval: Interval): Bucket[] {
  const out: Bucket[] = [];
  let day = -1;
  let steady: number | null = null;
  for (let q = from - (from % QUARTER); q < to; q += QUARTER) {
    const t = Math.max(q, from);
    const d = Math.floor(t / DAY);
    if (d !== day) {
      day = d;
      const a = tzOffset(tz, d * DAY);
      steady = a === tzOffset(tz, (d + 1) * DAY - 1) ? a : null;
    }
    const name = label(t + (steady ?? tzOffset(tz, t)), interval);
    const last = out.at(-1);
    if (last && last.label === name) last.end = Math.min(q + QUARTER, to);
    else out.push({ label: name, start: t, end: Math.min(q + QUARTER, to) });
  }
  return out;
}

/** True when `t` sits on a 15-minute UTC boundary, i.e. rollup buckets can answer exactly. */
export const onQuarter = (t: number) => t % QUARTER === 0;
export const QUARTER_MS = QUARTER;
