import { addDays, daysBetween, isDate, localDate, localMidnight } from "./zone";

/**
 * The API answers from 15-minute rollups only when `from` and `to` sit on bucket boundaries in the
 * requested zone (workers/api/stats `rollupsCan`); anything else falls back to a scan of raw events.
 * So every range the dashboard sends is aligned here, in one pure function.
 */

export const PRESETS = { "24h": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export type Preset = keyof typeof PRESETS;
export type RangeKey = Preset | "custom";
export const INTERVALS = ["hour", "day", "week", "month"] as const;
export type Interval = (typeof INTERVALS)[number];

const QUARTER = 15 * 60_000;
const DAY = 86_400_000;
/** The Worker refuses more than 1,000 buckets per series; 41 days of hours stay under it. */
export const MAX_HOUR_DAYS = 41;
/** The Worker refuses ranges longer than this. */
export const MAX_RANGE_DAYS = 400;

export interface RangeInput {
  range: RangeKey;
  /** Custom ranges only: local dates `YYYY-MM-DD` in `tz`, both inclusive. */
  from?: string;
  to?: string;
  interval: Interval;
  tz: string;
}
export type AlignedRange = { from: string; to: string; interval: Interval; days: number };
export type RangeResult = AlignedRange | { error: string };

/** "Now" rounded up to the next quarter hour, so the current partial bucket is still answered exactly. */
export const ceilQuarter = (t: number) => Math.ceil(t / QUARTER) * QUARTER;

/** The interval a range can be drawn with: 24 hours always by hour; hours only up to MAX_HOUR_DAYS. */
export function effectiveInterval(range: RangeKey, interval: Interval, days: number): Interval {
  if (range === "24h") return "hour";
  return interval === "hour" && days > MAX_HOUR_DAYS ? "day" : interval;
}

function custom(input: RangeInput, now: number): RangeResult {
  const today = localDate(now, input.tz);
  const from = input.from || input.to || today;
  const to = input.to || today;
  if (!isDate(from) || !isDate(to)) return { error: "Dates must be real days (YYYY-MM-DD)." };
  if (from > to) return { error: "The start date is after the end date: pick a start on or before the end." };
  const days = daysBetween(from, to) + 1;
  if (days > MAX_RANGE_DAYS) return { error: `A range may span at most ${MAX_RANGE_DAYS} days.` };
  // Whole local days: midnight of `from` to midnight after `to`, each computed in the zone (DST-correct).
  const start = localMidnight(from, input.tz);
  const end = localMidnight(addDays(to, 1), input.tz);
  return { from: iso(start), to: iso(end), interval: effectiveInterval("custom", input.interval, days), days };
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * `{from, to}` as ISO instants for a preset or custom range, aligned for rollups:
 * - presets end at now rounded up to the next quarter hour;
 * - by day/week/month they start at local midnight (in `input.tz`, not the browser's zone) of the
 *   day N days before today; by hour (the 24h preset) exactly N × 24 h before the end;
 * - custom ranges are whole local days, `to` inclusive.
 * Answers `{error}` (and the dashboard sends nothing) for a reversed or impossible range.
 */
export function alignedRange(input: RangeInput, now: number): RangeResult {
  if (input.range === "custom") return custom(input, now);
  const days = PRESETS[input.range] ?? 30;
  const interval = effectiveInterval(input.range, input.interval, days);
  const to = ceilQuarter(now);
  const from = interval === "hour" ? to - days * DAY : localMidnight(addDays(localDate(now, input.tz), -days), input.tz);
  return { from: iso(from), to: iso(to), interval, days };
}

/** The local dates a range covers, to prefill the custom date inputs when switching to "Custom". */
export function rangeDates(r: AlignedRange, tz: string): { from: string; to: string } {
  return { from: localDate(Date.parse(r.from), tz), to: localDate(Date.parse(r.to) - 1, tz) };
}
