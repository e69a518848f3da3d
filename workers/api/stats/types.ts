import type { Bucket, Dimension, Filters } from "../filters";

export type Totals = {
  visitors: number | null;
  sessions: number | null;
  pageviews: number;
  events: number;
  bounce_rate: number | null;
  avg_session_seconds: number | null;
};
export type SeriesPoint = { bucket: string; visitors: number | null; sessions: number | null; pageviews: number; events: number };
export type BreakdownRow = { value: string | null; visitors: number | null; pageviews: number; events: number };

/** One way of answering the dashboard's questions: rollup tables, a raw scan, or Analytics Engine. */
export interface StatsSource {
  totals(f: Filters): Promise<Totals>;
  series(f: Filters, buckets: Bucket[]): Promise<SeriesPoint[]>;
  breakdown(f: Filters, dimension: Dimension, limit: number): Promise<BreakdownRow[]>;
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
