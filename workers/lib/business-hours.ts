import { WEEKDAYS, type BusinessHours } from "../contract/business-hours";

const MIN = 60_000;
const DAY = 86_400_000;
const WEEK = 7 * DAY;
// A deadline further than this is no deadline (a schedule with almost no open hours).
const MAX_SEARCH_DAYS = 3660;

const formatters = new Map<string, Intl.DateTimeFormat>();
// Intl look-ups dominate the cost, and a conversation refolds the same instants each time: offsets are
// remembered per zone and minute (zones change offset on whole minutes), up to a bound per isolate.
const offsets = new Map<string, number>();
const MAX_OFFSETS = 50_000;

/** The zone's offset from UTC at an instant (ms, local = utc + offset). */
function zoneOffset(tz: string, t: number): number {
  const minute = Math.floor(t / MIN) * MIN;
  const key = `${tz}|${minute}`;
  const hit = offsets.get(key);
  if (hit !== undefined) return hit;
  if (offsets.size >= MAX_OFFSETS) offsets.clear();
  const offset = lookUpOffset(tz, minute);
  offsets.set(key, offset);
  return offset;
}

function lookUpOffset(tz: string, t: number): number {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(t).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return local - t;
}

/** The instant of a local wall time (ms since the local epoch); a time skipped by DST maps to the instant after the gap. */
function toInstant(tz: string, local: number): number {
  const first = local - zoneOffset(tz, local);
  const second = local - zoneOffset(tz, first);
  return first === second ? first : Math.max(first, second);
}

/** Day number (days since 1970-01-01) of the local date of an instant. */
const localDay = (tz: string, t: number) => Math.floor((t + zoneOffset(tz, t)) / DAY);

/** A compiled schedule: per weekday its open intervals in minutes, and holidays as day numbers. */
interface Compiled {
  tz: string;
  days: [number, number][][];
  holidays: Set<number>;
  /** Open ms of a week without DST change or holiday. */
  weekMs: number;
}

const compiled = new WeakMap<BusinessHours, Compiled>();
const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function compile(s: BusinessHours): Compiled {
  let c = compiled.get(s);
  if (c) return c;
  const days = WEEKDAYS.map((d) =>
    s.weekly[d].map((i) => [minutes(i.from), minutes(i.to)] as [number, number]).sort((a, b) => a[0] - b[0]),
  );
  const weekMs = days.flat().reduce((sum, [a, b]) => sum + (b - a) * MIN, 0);
  c = { tz: s.timezone, days, holidays: new Set(s.holidays.map((h) => Date.parse(`${h}T00:00:00Z`) / DAY)), weekMs };
  compiled.set(s, c);
  return c;
}

// 1970-01-01 was a Thursday.
const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;

/** The open intervals of a local day, as instants. */
function openSpans(c: Compiled, day: number): [number, number][] {
  if (c.holidays.has(day)) return [];
  return c.days[weekdayOf(day)].map(([a, b]) => [toInstant(c.tz, day * DAY + a * MIN), toInstant(c.tz, day * DAY + b * MIN)]);
}

/** True when the seven local days from `day` have one UTC offset and no holiday: such a week is `weekMs` long. */
function plainWeek(c: Compiled, day: number): boolean {
  // A day of margin each side: local midnight read as UTC is up to 14 h away from the real instant.
  const start = day * DAY;
  if (zoneOffset(c.tz, start - DAY) !== zoneOffset(c.tz, start + WEEK + DAY)) return false;
  for (let d = day; d < day + 7; d++) if (c.holidays.has(d)) return false;
  return true;
}

/**
 * Business milliseconds between two instants: the part of [start, end) inside the schedule's open
 * intervals, in the schedule's zone (DST-correct: a local day lasts 23, 24 or 25 hours). Null
 * schedule: every hour counts. Whole weeks without a DST change or holiday are counted at once, so a
 * range of months costs a few dozen zone look-ups, not one per minute.
 */
export function businessMs(schedule: BusinessHours | null, start: number, end: number): number {
  if (!(end > start)) return 0;
  if (!schedule) return end - start;
  const c = compile(schedule);
  let total = 0;
  let day = localDay(c.tz, start);
  const last = localDay(c.tz, end);
  while (day <= last) {
    // Whole weeks strictly inside the range (a day of margin on each side for zone offsets).
    if (day > localDay(c.tz, start) && day + 8 < last && c.weekMs > 0 && plainWeek(c, day)) {
      total += c.weekMs;
      day += 7;
      continue;
    }
    for (const [a, b] of openSpans(c, day)) total += Math.max(0, Math.min(b, end) - Math.max(a, start));
    day++;
  }
  return total;
}

/**
 * The instant at which `ms` business milliseconds have passed since `start` (the deadline of a
 * target measured in business hours), or null when the schedule never opens long enough.
 */
export function businessDeadline(schedule: BusinessHours | null, start: number, ms: number): number | null {
  if (!schedule) return start + ms;
  const c = compile(schedule);
  if (c.weekMs === 0) return null;
  let left = ms;
  const first = localDay(c.tz, start);
  for (let day = first; day < first + MAX_SEARCH_DAYS; day++) {
    if (day > first && left > c.weekMs && plainWeek(c, day)) {
      left -= c.weekMs;
      day += 6;
      continue;
    }
    for (const [a, b] of openSpans(c, day)) {
      const from = Math.max(a, start);
      if (b <= from) continue;
      if (left <= b - from) return from + left;
      left -= b - from;
    }
  }
  return null;
}
