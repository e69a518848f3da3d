import { cover } from "../grains";
import { rollupFilter } from "./can";
import { countUniques } from "../uniques";
import type { UniquesQuery } from "../object";
import type { Bucket, Dimension, Filters } from "../../lib/filters";
import { sessionMetrics, shownValue, type BreakdownRow, type StatsSource } from "./types";

/** Ranges as the bucket runs that cover them, one bound JSON parameter: `[[i, grain, lo, hi], …]`. */
export const runsJson = (ranges: [number, number][]) =>
  JSON.stringify(ranges.flatMap(([from, to], i) => cover(from, to).map((r) => [i, r.grain, r.lo, r.hi])));
export const RUNS_CTE = `r AS (SELECT json_extract(value, '$[0]') AS i, json_extract(value, '$[1]') AS grain,
  json_extract(value, '$[2]') AS lo, json_extract(value, '$[3]') AS hi FROM json_each(?))`;

/** Channel and bot conditions: the only filters rollups are keyed by (`onlyChannelFilters`). */
export function keyed(f: Filters) {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.eq.channel_type) parts.push("c.channel_type = ?"), params.push(f.eq.channel_type);
  if (!f.includeBots) parts.push("c.is_bot = 0");
  return { sql: parts.map((p) => " AND " + p).join(""), params };
}

type CountRow = { i: number; events: number; pageviews: number };
type SessionRow = { i: number; sessions: number; pv_sessions: number; bounces: number; duration_ms: number };

/**
 * Answers from the rollups: counts and session totals from D1 at three grains (a 30-day range reads
 * tens of rows), distinct visitors and sessions from the project's sketches. Never touches `events`.
 */
export function rollupSource(env: Cloudflare.Env, projectId: string): StatsSource {
  const db = env.DB;
  const uniques = (f: Filters, kind: "v" | "s", dim: string, values: string[], ranges: [number, number][]): UniquesQuery => ({
    kind,
    dim,
    values,
    channel: f.eq.channel_type ?? null,
    bots: f.includeBots,
    ranges,
  });
  /** The all-events series, or the one filter value's (rollupsCanOverview): [dimension, value]. */
  const series = (f: Filters): [string, string] => {
    const filter = rollupFilter(f);
    return filter ? [filter.dim, filter.value] : ["", ""];
  };

  /** Events, page views and session totals per range. */
  async function counts(f: Filters, ranges: [number, number][]) {
    const k = keyed(f);
    const runs = runsJson(ranges);
    const [dim, value] = series(f);
    const totals = dim
      ? db
          .prepare(`WITH ${RUNS_CTE} SELECT r.i, sum(c.sessions) AS sessions, sum(c.pv_sessions) AS pv_sessions, sum(c.bounces) AS bounces,
          sum(c.duration_ms) AS duration_ms FROM r JOIN rollup_filter_session_totals c
          ON c.project_id = ? AND c.filter_dim = ? AND c.filter_value = ? AND c.grain = r.grain AND c.bucket >= r.lo AND c.bucket < r.hi${k.sql}
          GROUP BY r.i`)
          .bind(runs, projectId, dim, value, ...k.params)
      : db
          .prepare(`WITH ${RUNS_CTE} SELECT r.i, sum(c.sessions) AS sessions, sum(c.pv_sessions) AS pv_sessions, sum(c.bounces) AS bounces,
          sum(c.duration_ms) AS duration_ms FROM r JOIN rollup_session_totals c
          ON c.project_id = ? AND c.grain = r.grain AND c.bucket >= r.lo AND c.bucket < r.hi${k.sql} GROUP BY r.i`)
          .bind(runs, projectId, ...k.params);
    const [c, s] = await db.batch<CountRow & SessionRow>([
      db
        .prepare(`WITH ${RUNS_CTE} SELECT r.i, sum(c.events) AS events, sum(c.pageviews) AS pageviews FROM r JOIN rollup_counts c
        ON c.project_id = ? AND c.dimension = ? AND c.value = ? AND c.grain = r.grain AND c.bucket >= r.lo AND c.bucket < r.hi${k.sql} GROUP BY r.i`)
        .bind(runs, projectId, dim, value, ...k.params),
      totals,
    ]);
    const at = <T extends { i: number }>(rows: T[]) => new Map(rows.map((row) => [row.i, row]));
    return { counts: at(c.results as CountRow[]), sessions: at(s.results as SessionRow[]) };
  }

  const one = (f: Filters): [string, string[]] => {
    const [dim, value] = series(f);
    return [dim, [value]];
  };

  return {
    async totals(f) {
      const range: [number, number][] = [[f.from, f.to]];
      const [{ counts: c, sessions: s }, [[[visitors]], [[sessions]]]] = await Promise.all([
        counts(f, range),
        countUniques(env, projectId, [uniques(f, "v", ...one(f), range), uniques(f, "s", ...one(f), range)]),
      ]);
      const st = s.get(0);
      return {
        visitors,
        sessions,
        pageviews: c.get(0)?.pageviews ?? 0,
        events: c.get(0)?.events ?? 0,
        ...sessionMetrics(st?.sessions ? { pv_sessions: st.pv_sessions, bounces: st.bounces, avg_ms: st.duration_ms / st.sessions } : null),
      };
    },

    async series(f, buckets: Bucket[]) {
      const ranges = buckets.map((b): [number, number] => [b.start, b.end]);
      const [{ counts: c }, [visitors, sessions]] = await Promise.all([
        counts(f, ranges),
        countUniques(env, projectId, [uniques(f, "v", ...one(f), ranges), uniques(f, "s", ...one(f), ranges)]),
      ]);
      return buckets.map((b, i) => ({
        bucket: b.label,
        visitors: visitors[i][0],
        sessions: sessions[i][0],
        pageviews: c.get(i)?.pageviews ?? 0,
        events: c.get(i)?.events ?? 0,
      }));
    },

    async breakdown(f, dimension: Dimension, limit, exclude) {
      const k = keyed(f);
      const { results: all } = await db
        .prepare(`WITH ${RUNS_CTE} SELECT c.value, sum(c.events) AS events, sum(c.pageviews) AS pageviews FROM r JOIN rollup_counts c
          ON c.project_id = ? AND c.dimension = ? AND c.grain = r.grain AND c.bucket >= r.lo AND c.bucket < r.hi${k.sql}
          GROUP BY c.value HAVING sum(c.events) > 0 ORDER BY events DESC, c.value ASC`)
        .bind(runsJson([[f.from, f.to]]), projectId, dimension, ...k.params)
        .all<{ value: string; events: number; pageviews: number }>();
      const results = exclude ? all.filter((r) => !exclude(r.value)) : all;
      // Visitors come from sketches, value by value, in order of events. A value has no more
      // visitors than events, so once the next value's events fall below the `limit`-th best
      // visitor count, no later value can enter the top: the answer is the same as counting all.
      const rows: BreakdownRow[] = [];
      const chunk = Math.max(50, 2 * limit);
      for (let at = 0; at < results.length; at += chunk) {
        const part = results.slice(at, at + chunk);
        const [[counts]] = await countUniques(env, projectId, [
          uniques(
            f,
            "v",
            dimension,
            part.map((r) => r.value),
            [[f.from, f.to]],
          ),
        ]);
        part.forEach((r, i) => rows.push({ value: r.value, visitors: counts[i], pageviews: r.pageviews, events: r.events }));
        rows.sort((a, b) => b.visitors! - a.visitors! || b.events - a.events || (a.value! < b.value! ? -1 : a.value! > b.value! ? 1 : 0));
        const next = results[at + chunk];
        if (!next || (rows.length >= limit && next.events < rows[limit - 1].visitors!)) break;
      }
      return rows.slice(0, limit).map((r) => ({ ...r, value: shownValue(r.value) }));
    },
  };
}
