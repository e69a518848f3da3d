import { sessionKey, visitorKey } from "../dimensions";
import { DIMENSIONS, eventWhere, type Bucket, type Dimension, type Filters } from "../../lib/filters";
import { BUCKETS_CTE, bucketsJson, sessionMetrics, shownValue, type BreakdownRow, type StatsSource } from "./types";

const V = visitorKey("e.");
const S = sessionKey("e.");

/**
 * Answers by scanning `events` (time-bounded by the (project_id, timestamp) index): for any
 * filter combination, and as the reference the rollups are tested and benchmarked against.
 * Sessions are built from the matching events; those that start in the range count.
 */
export function rawSource(db: D1Database, projectId: string): StatsSource {
  return {
    async totals(f) {
      const w = eventWhere(projectId, f, { alias: "e" });
      const open = eventWhere(projectId, f, { alias: "e", noRange: true });
      const [t, s] = await db.batch<Record<string, number | null>>([
        db
          .prepare(`SELECT count(*) AS events, coalesce(sum(e.event_name = 'page_view'), 0) AS pageviews,
          count(DISTINCT ${V}) AS visitors, count(DISTINCT ${S}) AS sessions FROM events e WHERE ${w.sql}`)
          .bind(...w.params),
        db
          .prepare(`SELECT sum(pv >= 1) AS pv_sessions, sum(pv = 1) AS bounces, avg(last - first) AS avg_ms FROM (
            SELECT min(e.timestamp) AS first, max(e.timestamp) AS last, sum(e.event_name = 'page_view') AS pv
            FROM events e WHERE ${open.sql} AND ${S} IN (SELECT ${S} FROM events e WHERE ${w.sql})
            GROUP BY ${S}, e.channel_type, e.is_bot HAVING first >= ? AND first < ?)`)
          .bind(...open.params, ...w.params, f.from, f.to),
      ]);
      const r = t.results[0];
      return {
        visitors: r.visitors ?? 0,
        sessions: r.sessions ?? 0,
        pageviews: r.pageviews ?? 0,
        events: r.events ?? 0,
        ...sessionMetrics(s.results[0] as never),
      };
    },

    async series(f, buckets: Bucket[]) {
      const w = eventWhere(projectId, f, { alias: "e", noRange: true });
      const { results } = await db
        .prepare(`WITH ${BUCKETS_CTE} SELECT b.i, count(*) AS events, sum(e.event_name = 'page_view') AS pageviews,
          count(DISTINCT ${V}) AS visitors, count(DISTINCT ${S}) AS sessions
          FROM b JOIN events e ON e.timestamp >= b.s AND e.timestamp < b.e AND ${w.sql} GROUP BY b.i`)
        .bind(bucketsJson(buckets), ...w.params)
        .all<{ i: number; events: number; pageviews: number; visitors: number; sessions: number }>();
      const byIndex = new Map(results.map((r) => [r.i, r]));
      return buckets.map((b, i) => {
        const r = byIndex.get(i);
        return {
          bucket: b.label,
          visitors: r?.visitors ?? 0,
          sessions: r?.sessions ?? 0,
          pageviews: r?.pageviews ?? 0,
          events: r?.events ?? 0,
        };
      });
    },

    async breakdown(f: Filters, dimension: Dimension, limit, exclude) {
      const w = eventWhere(projectId, f, { alias: "e" });
      const { results } = await db
        .prepare(`SELECT coalesce(e.${DIMENSIONS[dimension]}, '') AS value, count(DISTINCT ${V}) AS visitors,
          sum(e.event_name = 'page_view') AS pageviews, count(*) AS events
          FROM events e WHERE ${w.sql} GROUP BY 1 ORDER BY visitors DESC, events DESC, value ASC LIMIT ?`)
        .bind(...w.params, exclude ? -1 : limit)
        .all<BreakdownRow>();
      const kept = exclude ? results.filter((r) => !exclude(String(r.value ?? ""))).slice(0, limit) : results;
      return kept.map((r) => ({ ...r, value: shownValue(r.value) }));
    },
  };
}
