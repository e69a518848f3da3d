import type { Distribution } from "../contract";

export type { Distribution };

export const EMPTY: Distribution = { count: 0, mean: null, median: null, p90: null };

/**
 * Percentile `p` by linear interpolation between the closest ranks (numpy's default):
 * position h = (n - 1) * p over the values sorted ascending (0-based index i).
 * `p` is a constant from this module, never client input.
 */
function percentile(p: number): string {
  const h = `((n - 1) * ${p})`;
  const lo = `CAST(${h} AS INTEGER)`;
  return `sum(CASE WHEN i = ${lo} THEN x * (1 - (${h} - ${lo})) WHEN i = ${lo} + 1 THEN x * (${h} - ${lo}) ELSE 0 END)`;
}

const seconds = (ms: number | null) => (ms == null ? null : Math.round(ms) / 1000);

/**
 * Distributions of durations (ms) per key, computed inside SQLite so only one row per key
 * travels back. `valuesSql` selects rows `(k, x)`; nulls are ignored.
 */
export async function distributions(db: D1Database, valuesSql: string, params: unknown[]): Promise<Map<string, Distribution>> {
  const sql = `WITH v(k, x) AS (${valuesSql}),
    r AS (SELECT k, x, row_number() OVER (PARTITION BY k ORDER BY x) - 1 AS i, count(*) OVER (PARTITION BY k) AS n
          FROM v WHERE x IS NOT NULL)
    SELECT k, max(n) AS n, avg(x) AS mean, ${percentile(0.5)} AS median, ${percentile(0.9)} AS p90 FROM r GROUP BY k`;
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<{ k: string; n: number; mean: number; median: number; p90: number }>();
  return new Map(results.map((r) => [r.k, { count: r.n, mean: seconds(r.mean), median: seconds(r.median), p90: seconds(r.p90) }]));
}

/** The same figures as `distributions`, from values already in hand (ms): linear-interpolated percentiles. */
export function distributionOf(values: number[]): Distribution {
  const n = values.length;
  if (!n) return EMPTY;
  const xs = Float64Array.from(values).sort();
  const at = (p: number) => {
    const h = (n - 1) * p;
    const lo = Math.floor(h);
    return xs[lo]! * (1 - (h - lo)) + (lo + 1 < n ? xs[lo + 1]! * (h - lo) : 0);
  };
  const mean = values.reduce((a, x) => a + x, 0) / n;
  return { count: n, mean: seconds(mean), median: seconds(at(0.5)), p90: seconds(at(0.9)) };
}

/** `num / den`, rounded to 4 places, or null when there is nothing to divide by. */
export function rate(num: number, den: number): number | null {
  return den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null;
}
