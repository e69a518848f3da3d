import { dimensionValue, FILTER_DIMENSIONS, ROLLUP_DIMENSIONS, sessionKey } from "./dimensions";
import { GRAINS } from "./grains";

/**
 * Rollup statements run in the same D1 transaction as the event insert, over exactly the rows
 * whose `ingest_id` is this batch's: a redelivered or duplicate event was ignored by the insert,
 * keeps its old ingest_id, and so never counts twice. Tables: workers/db/schema-rollups.ts.
 * Distinct visitors and sessions are sketches in a Durable Object (workers/rollups/uniques.ts).
 */

const FRESH = `WITH fresh AS (
  SELECT * FROM events WHERE (project_id, event_id) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))
    AND ingest_id = ?2
)`;
const DIMS = `dims(dim) AS (VALUES ${ROLLUP_DIMENSIONS.map((d) => `('${d}')`).join(", ")})`;
const GRAIN_ROWS = `grains(grain, width) AS (VALUES ${GRAINS.map((w, g) => `(${g}, ${w})`).join(", ")})`;

// Every event adds to its bucket of each grain, so any range reads few rows (workers/rollups/grains.ts).
// `counted` yields event rows with a sign `n` (+1 adds, -1 takes out) and the time `at` they count at;
// they are first counted per 15-minute bucket, then each count is added to the hour and day too.
const countsSql = (counted: string) => `${counted}, ${DIMS}, ${GRAIN_ROWS}, q AS (
  SELECT f.project_id, d.dim, f.at - f.at % ${GRAINS[0]} AS bucket, ${dimensionValue("d.dim", "f.")} AS value,
    f.channel_type, f.is_bot, sum(f.n) AS events, sum(f.n * (f.event_name = 'page_view')) AS pageviews
  FROM counted f CROSS JOIN dims d GROUP BY 1, 2, 3, 4, 5, 6
)
INSERT INTO rollup_counts (project_id, dimension, grain, bucket, value, channel_type, is_bot, events, pageviews)
SELECT q.project_id, q.dim, g.grain, q.bucket - q.bucket % g.width, q.value, q.channel_type, q.is_bot, sum(q.events), sum(q.pageviews)
FROM q CROSS JOIN grains g WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT DO UPDATE SET events = events + excluded.events, pageviews = pageviews + excluded.pageviews`;
const COUNTS_SQL = countsSql(`${FRESH}, counted AS (SELECT *, 1 AS n, timestamp AS at FROM fresh)`);

// A stored event of name ?2 about to move back in time (?1: JSON `[project_id, event_id, timestamp]`, the
// earliest wins): its counts leave the buckets of its stored time and join those of the new one. Runs
// in the insert's transaction, after the batch's own counts and before the move itself. Only counts
// move: the event that moves (a `first_contact`) shares its conversation with the earlier message that
// moved it, which already moved that session's start, and a visitor seen in a bucket stays seen there.
const RETIME_SQL = countsSql(`WITH r AS (
  SELECT json_extract(value, '$[0]') AS project, json_extract(value, '$[1]') AS id, min(json_extract(value, '$[2]')) AS ts
  FROM json_each(?1) GROUP BY 1, 2
), moved AS (
  SELECT e.*, r.ts AS moved_to FROM events e JOIN r ON e.project_id = r.project AND e.event_id = r.id
  WHERE e.event_name = ?2 AND e.timestamp > r.ts
), counted AS (
  SELECT *, -1 AS n, timestamp AS at FROM moved UNION ALL SELECT *, 1 AS n, moved_to AS at FROM moved
)`);

// The sessions this batch touches, as they stand, added to (sign +1) or taken out of (-1) the
// per-bucket session totals: taken out before the upsert below and added back after it, so a
// session whose start moved back or whose page views grew is counted once, in its start's bucket.
const TOUCHED = `touched AS (SELECT DISTINCT project_id, ${sessionKey()} AS k, channel_type, is_bot FROM fresh WHERE ${sessionKey()} IS NOT NULL)`;
const sessionTotals = (sign: 1 | -1) => `${FRESH}, ${TOUCHED}, ${GRAIN_ROWS}
INSERT INTO rollup_session_totals (project_id, grain, bucket, channel_type, is_bot, sessions, pv_sessions, bounces, duration_ms)
SELECT s.project_id, g.grain, s.started_at - s.started_at % g.width, s.channel_type, s.is_bot,
  ${sign} * count(*), ${sign} * sum(s.pageviews >= 1), ${sign} * sum(s.pageviews = 1), ${sign} * sum(s.ended_at - s.started_at)
FROM touched t JOIN rollup_sessions s ON s.project_id = t.project_id AND s.session_key = t.k AND s.channel_type = t.channel_type AND s.is_bot = t.is_bot
CROSS JOIN grains g WHERE true GROUP BY 1, 2, 3, 4, 5
ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions, pv_sessions = pv_sessions + excluded.pv_sessions,
  bounces = bounces + excluded.bounces, duration_ms = duration_ms + excluded.duration_ms`;

// Late, out-of-order events move a session's start back or its end forward: min/max, never overwrite.
const SESSIONS_SQL = `${FRESH}
INSERT INTO rollup_sessions (project_id, session_key, channel_type, is_bot, started_at, ended_at, pageviews, events)
SELECT f.project_id, ${sessionKey("f.")}, f.channel_type, f.is_bot, min(f.timestamp), max(f.timestamp),
  sum(f.event_name = 'page_view'), count(*)
FROM fresh f WHERE ${sessionKey("f.")} IS NOT NULL GROUP BY 1, 2, 3, 4
ON CONFLICT DO UPDATE SET started_at = min(started_at, excluded.started_at), ended_at = max(ended_at, excluded.ended_at),
  pageviews = pageviews + excluded.pageviews, events = events + excluded.events`;

// The same sessions and totals per filter value (migration 0017): each session built from the
// batch's events that carry the value, so a filtered bounce rate is the raw scan's.
const FILTERED = `fdims(dim) AS (VALUES ${FILTER_DIMENSIONS.map((d) => `('${d}')`).join(", ")}),
ff AS (SELECT f.*, d.dim AS fdim, ${dimensionValue("d.dim", "f.")} AS fval, ${sessionKey("f.")} AS k FROM fresh f CROSS JOIN fdims d)`;
const filterTotals = (sign: 1 | -1) => `${FRESH}, ${FILTERED},
ftouched AS (SELECT DISTINCT project_id, fdim, fval, k, channel_type, is_bot FROM ff WHERE fval != '' AND k IS NOT NULL), ${GRAIN_ROWS}
INSERT INTO rollup_filter_session_totals (project_id, filter_dim, filter_value, grain, bucket, channel_type, is_bot, sessions, pv_sessions, bounces, duration_ms)
SELECT s.project_id, s.filter_dim, s.filter_value, g.grain, s.started_at - s.started_at % g.width, s.channel_type, s.is_bot,
  ${sign} * count(*), ${sign} * sum(s.pageviews >= 1), ${sign} * sum(s.pageviews = 1), ${sign} * sum(s.ended_at - s.started_at)
FROM ftouched t JOIN rollup_filter_sessions s ON s.project_id = t.project_id AND s.filter_dim = t.fdim AND s.filter_value = t.fval
  AND s.session_key = t.k AND s.channel_type = t.channel_type AND s.is_bot = t.is_bot
CROSS JOIN grains g WHERE true GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions, pv_sessions = pv_sessions + excluded.pv_sessions,
  bounces = bounces + excluded.bounces, duration_ms = duration_ms + excluded.duration_ms`;
const FILTER_SESSIONS_SQL = `${FRESH}, ${FILTERED}
INSERT INTO rollup_filter_sessions (project_id, filter_dim, filter_value, session_key, channel_type, is_bot, started_at, ended_at, pageviews, events)
SELECT project_id, fdim, fval, k, channel_type, is_bot, min(timestamp), max(timestamp), sum(event_name = 'page_view'), count(*)
FROM ff WHERE fval != '' AND k IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT DO UPDATE SET started_at = min(started_at, excluded.started_at), ended_at = max(ended_at, excluded.ended_at),
  pageviews = pageviews + excluded.pageviews, events = events + excluded.events`;

/** The rollup upserts for one stored batch (`keys` = the JSON array of its `[project_id, event_id]` keys). */
export function rollupStatements(db: D1Database, ingestId: string, keys: string): D1PreparedStatement[] {
  return [COUNTS_SQL, sessionTotals(-1), SESSIONS_SQL, sessionTotals(1), filterTotals(-1), FILTER_SESSIONS_SQL, filterTotals(1)].map(
    (sql) => db.prepare(sql).bind(keys, ingestId),
  );
}

/**
 * Moves the rollup counts of stored `name` events about to be re-timed to an earlier time (`moves`: tuples
 * starting `[project_id, event_id, timestamp]`; later items are ignored).
 */
export function retimeStatement(db: D1Database, name: string, moves: ReadonlyArray<readonly [string, string, number, ...unknown[]]>) {
  return db.prepare(RETIME_SQL).bind(JSON.stringify(moves.map(([p, id, ts]) => [p, id, ts])), name);
}
