/**
 * Calendar arithmetic in an IANA zone with nothing but `Intl` (workerd and browsers ship full ICU
 * data). One definition for the Worker and the dashboard, so both agree on where a local day starts
 * (DST days are 23 or 25 hours long). Plain functions, no zod: the dashboard imports it as code.
 */

const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** True when `tz` is an IANA zone the runtime knows (a URL or a request may carry anything). */
export function isTimeZone(tz: string): boolean {
  try {
    return !!tz && !!formatter(tz);
  } catch {
    return false;
  }
}

/**
 * The runtime's canonical name of a zone it knows (`europe/london` → `Europe/London`), so a zone
 * typed in another case is stored, compared and shown one way; an unknown zone is returned as given.
 */
export function canonicalTimeZone(tz: string): string {
  return isTimeZone(tz) ? formatter(tz).resolvedOptions().timeZone : tz;
}

/** The wall clock of `tz` at instant `t`, encoded as if it were UTC (whole seconds). */
export function wallClock(tz: string, t: number): number {
  const p: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(t))) if (part.type !== "literal") p[part.type] = Number(part.value);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** Offset of `tz` from UTC at instant `t`, in ms (Nairobi → +3 h). */
export function tzOffset(tz: string, t: number): number {
  return wallClock(tz, t) - (t - (((t % 1000) + 1000) % 1000));
}

/** The instant at which the wall clock of `tz` shows `wall` (a UTC-encoded local time). */
export function zonedToUtc(wall: number, tz: string): number {
  // Two passes: the offset at the first guess may differ from the offset at the answer across a DST change.
  const first = wall - tzOffset(tz, wall);
  return wall - tzOffset(tz, first);
}

/** Local midnight of an ISO date `YYYY-MM-DD` in `tz`, as epoch ms. */
export function localMidnight(date: string, tz: string): number {
  return zonedToUtc(Date.parse(date + "T00:00:00Z"), tz);
}

/** The local date `YYYY-MM-DD` in `tz` at instant `t`. */
export function localDate(t: number, tz: string): string {
  return new Date(wallClock(tz, t)).toISOString().slice(0, 10);
}

/** `date` plus `n` calendar days (no zone involved: dates are labels here). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(date + "T00:00:00Z") + n * DAY).toISOString().slice(0, 10);
}

/** Whole calendar days from `a` to `b` (both `YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + "T00:00:00Z") - Date.parse(a + "T00:00:00Z")) / DAY);
}

/** True for a real `YYYY-MM-DD` date. */
export function isDate(s: string | null | undefined): s is string {
  if (!s || !/^\d{4}-\d\d-\d\d$/.test(s)) return false;
  const t = Date.parse(s + "T00:00:00Z");
  // Date.parse rolls 2026-02-30 over to March: a round trip catches it.
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(s);
}
