/**
 * Timezone arithmetic on epoch ms with nothing but `Intl` (workerd ships full ICU data).
 * Every offset in use today is a multiple of 15 minutes, which is why rollups keep 15-minute
 * UTC buckets: any local hour/day/week/month is an exact union of them (docs/rollups.md).
 */

export const INTERVALS = ["hour", "day", "week", "month"] as const;
export type Interval = (typeof INTERVALS)[number];

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is an IANA zone the runtime knows. */
export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Offset of `tz` from UTC at instant `t`, in ms (Nairobi → +3 h). */
export function tzOffset(tz: string, t: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(t))) if (part.type !== "literal") p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (t - (t % 1000));
}

/** The instant at which the wall clock of `tz` shows `wall` (a UTC-encoded local time). */
export function zonedToUtc(wall: number, tz: string): number {
  const first = wall - tzOffset(tz, wall);
  return wall - tzOffset(tz, first);
}

/** Local midnight of an ISO date `YYYY-MM-DD` in `tz`, as epoch ms. */
export function localMidnight(date: string, tz: string): number {
  return zonedToUtc(Date.parse(date + "T00:00:00Z"), tz);
}

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
