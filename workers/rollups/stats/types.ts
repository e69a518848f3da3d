import type { BreakdownRow, SeriesPoint, TrafficTotals } from "../../contract";
import type { Bucket, Dimension, Filters } from "../../lib/filters";

// The shapes every source answers are the contract's, so a source cannot drift from the API.
export type Totals = TrafficTotals;
export type { BreakdownRow, SeriesPoint };

/** One way of answering the dashboard's questions: rollup tables, a raw scan, or Analytics Engine. */
export interface StatsSource {
  totals(f: Filters): Promise<Totals>;
  series(f: Filters, buckets: Bucket[]): Promise<SeriesPoint[]>;
  /** Top values; `exclude` drops values before ranking (e.g. the project's own hosts as referrers). */
  breakdown(f: Filters, dimension: Dimension, limit: number, exclude?: (value: string) => boolean): Promise<BreakdownRow[]>;
}

/** Buckets as one bound JSON parameter: `[[label, start, end], …]`, unpacked in SQL by json_each. */
export const bucketsJson = (buckets: Bucket[]) => JSON.stringify(buckets.map((b) => [b.label, b.start, b.end]));
export const BUCKETS_CTE = `b AS (SELECT key AS i, json_extract(value, '$[0]') AS label, json_extract(value, '$[1]') AS s, json_extract(value, '$[2]') AS e FROM json_each(?))`;

/** Bounce rate (single-page-view share of sessions with a page view) and mean duration, from session aggregates. */
export function sessionMetrics(r: { pv_sessions: number | null; bounces: number | null; avg_ms: number | null } | null) {
  return {
    bounce_rate: r?.pv_sessions ? round(r.bounces! / r.pv_sessions, 4) : null,
    avg_session_seconds: r?.avg_ms == null ? null : round(r.avg_ms / 1000, 1),
  };
}

export const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A stored '' (missing value) is reported as null. */
export const shownValue = (v: unknown) => (v === "" || v == null ? null : String(v));
