import type { Bucket, Dimension, Filters } from "../filters";
import { BUCKETS_CTE, bucketsJson, sessionMetrics, shownValue, type BreakdownRow, type StatsSource } from "./types";

/** Channel and bot conditions: the only filters rollups are keyed by (`onlyChannelFilters`). */
function keyed(f: Filters, a = "") {
  const parts: string[] = [];
  const params: unknown[] = [];
  if (f.eq.channel_type) parts.push(`${a}channel_type = ?`), params.push(f.eq.channel_type);
  if (!f.includeBots) parts.push(`${a}is_bot = 0`);
  return { sql: parts.map((p) => " AND " + p).join(""), params };
}

/** Answers from rollup_counts / rollup_uniques / rollup_sessions: never touches `events`. */
export function rollupSource(db: D1Database, projectId: string): StatsSource {
  return {
    async totals(f) {
      const k = keyed(f);
      const range = "bucket >= ? AND bucket < ?";
      const [counts, visitors, sessions, s] = await db.batch<Record<string, number | null>>([
        db.prepare(`SELECT coalesce(sum(events), 0) AS events, coalesce(sum(pageviews), 0) AS pageviews FROM rollup_counts
          WHERE project_id = ? AND dimension = '' AND ${range}${k.sql}`).bind(projectId, f.from, f.to, ...k.params),
        db.prepare(`SELECT count(DISTINCT key) AS n FROM rollup_uniques
          WHERE project_id = ? AND kind = 'v' AND dimension = '' AND ${range}${k.sql}`).bind(projectId, f.from, f.to, ...k.params),
        db.prepare(`SELECT count(DISTINCT key) AS n FROM rollup_uniques
          WHERE project_id = ? AND kind = 's' AND dimension = '' AND ${range}${k.sql}`).bind(projectId, f.from, f.to, ...k.params),
        db.prepare(`SELECT sum(pageviews >= 1) AS pv_sessions, sum(pageviews = 1) AS bounces, avg(ended_at - started_at) AS avg_ms
          FROM rollup_sessions WHERE project_id = ? AND started_at >= ? AND started_at < ?${k.sql}`).bind(projectId, f.from, f.to, ...k.params),
      ]);
      const c = counts.results[0];
      return {
        visitors: visitors.results[0].n ?? 0,
        sessions: sessions.results[0].n ?? 0,
        pageviews: c.pageviews ?? 0,
        events: c.events ?? 0,
        ...sessionMetrics(s.results[0] as never),
      };
    },

    async series(f, buckets: Bucket[]) {
      const k = keyed(f, "r.");
      const json = bucketsJson(buckets);
      const join = (table: string, extra: string) =>
        `FROM b JOIN ${table} r ON r.project_id = ? AND ${extra} AND r.bucket >= b.s AND r.bucket < b.e${k.sql} GROUP BY b.i`;
      const [counts, visitors, sessions] = await db.batch<{ i: number; events: number; pageviews: number; n: number }>([
        db.prepare(`WITH ${BUCKETS_CTE} SELECT b.i, sum(r.events) AS events, sum(r.pageviews) AS pageviews ${join("rollup_counts", "r.dimension = ''")}`)
          .bind(json, projectId, ...k.params),
        db.prepare(`WITH ${BUCKETS_CTE} SELECT b.i, count(DISTINCT r.key) AS n ${join("rollup_uniques", "r.kind = 'v' AND r.dimension = ''")}`)
          .bind(json, projectId, ...k.params),
        db.prepare(`WITH ${BUCKETS_CTE} SELECT b.i, count(DISTINCT r.key) AS n ${join("rollup_uniques", "r.kind = 's' AND r.dimension = ''")}`)
          .bind(json, projectId, ...k.params),
      ]);
      const at = <T extends { i: number }>(rows: T[]) => new Map(rows.map((r) => [r.i, r]));
      const c = at(counts.results), v = at(visitors.results), s = at(sessions.results);
      return buckets.map((b, i) => ({
        bucket: b.label,
        visitors: v.get(i)?.n ?? 0,
        sessions: s.get(i)?.n ?? 0,
        pageviews: c.get(i)?.pageviews ?? 0,
        events: c.get(i)?.events ?? 0,
      }));
    },

    async breakdown(f, dimension: Dimension, limit) {
      const k = keyed(f);
      const where = `project_id = ? AND dimension = ? AND bucket >= ? AND bucket < ?${k.sql}`;
      const { results } = await db
        .prepare(`SELECT c.value, coalesce(v.visitors, 0) AS visitors, c.pageviews, c.events
          FROM (SELECT value, sum(events) AS events, sum(pageviews) AS pageviews FROM rollup_counts WHERE ${where} GROUP BY value) c
          LEFT JOIN (SELECT value, count(DISTINCT key) AS visitors FROM rollup_uniques WHERE kind = 'v' AND ${where} GROUP BY value) v USING (value)
          ORDER BY visitors DESC, c.events DESC, c.value ASC LIMIT ?`)
        .bind(projectId, dimension, f.from, f.to, ...k.params, projectId, dimension, f.from, f.to, ...k.params, limit)
        .all<BreakdownRow>();
      return results.map((r) => ({ ...r, value: shownValue(r.value) }));
    },
  };
}
