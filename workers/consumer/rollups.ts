/**
 * Rollup statements run in the same D1 transaction as the event insert, over exactly the rows
 * whose `ingest_id` is this batch's: a redelivered or duplicate event was ignored by the insert,
 * keeps its old ingest_id, and so never counts twice. Tables: workers/db/schema-rollups.ts.
 */

/** Rollup bucket width: 15 minutes, the finest offset granularity of any time zone in use. */
export const BUCKET_MS = 900_000;

/** Dimensions kept in the rollups ('' = all events); the same whitelist the API accepts. */
export const ROLLUP_DIMENSIONS = [
  "", "path", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
  "country", "region", "city", "device_type", "browser", "os", "event_name", "channel_type",
] as const;

/** Who a visitor is: the web anonymous id, else the WhatsApp contact (shared with raw scans). */
export const visitorKey = (a = "") => `coalesce(${a}anonymous_id, 'x:' || ${a}external_id, 'u:' || ${a}user_id)`;
/** What a session is: the web session, else the WhatsApp conversation. */
export const sessionKey = (a = "") => `coalesce(${a}session_id, ${a}conversation_id)`;
/** A dimension's value as rollups store it ('' for missing), for CASE over a `dim` column. */
export const dimensionValue = (dim: string, a = "") =>
  `CASE ${dim} ${ROLLUP_DIMENSIONS.map((d) => `WHEN '${d}' THEN ${d ? `coalesce(${a}${d}, '')` : "''"}`).join(" ")} END`;

const FRESH = `WITH fresh AS (
  SELECT * FROM events WHERE event_id IN (SELECT value FROM json_each(?1)) AND ingest_id = ?2
), dims(dim) AS (VALUES ${ROLLUP_DIMENSIONS.map((d) => `('${d}')`).join(", ")})`;
const BUCKET = `f.timestamp - f.timestamp % ${BUCKET_MS}`;

const COUNTS_SQL = `${FRESH}
INSERT INTO rollup_counts (project_id, dimension, bucket, value, channel_type, is_bot, events, pageviews)
SELECT f.project_id, d.dim, ${BUCKET}, ${dimensionValue("d.dim", "f.")}, f.channel_type, f.is_bot,
  count(*), sum(f.event_name = 'page_view')
FROM fresh f CROSS JOIN dims d WHERE true GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT DO UPDATE SET events = events + excluded.events, pageviews = pageviews + excluded.pageviews`;

const VISITORS_SQL = `${FRESH}
INSERT OR IGNORE INTO rollup_uniques (project_id, kind, dimension, bucket, value, channel_type, is_bot, key)
SELECT DISTINCT f.project_id, 'v', d.dim, ${BUCKET}, ${dimensionValue("d.dim", "f.")}, f.channel_type, f.is_bot, ${visitorKey("f.")}
FROM fresh f CROSS JOIN dims d WHERE ${visitorKey("f.")} IS NOT NULL`;

const SESSION_KEYS_SQL = `${FRESH}
INSERT OR IGNORE INTO rollup_uniques (project_id, kind, dimension, bucket, value, channel_type, is_bot, key)
SELECT DISTINCT f.project_id, 's', '', ${BUCKET}, '', f.channel_type, f.is_bot, ${sessionKey("f.")}
FROM fresh f WHERE ${sessionKey("f.")} IS NOT NULL`;

// Late, out-of-order events move a session's start back or its end forward: min/max, never overwrite.
const SESSIONS_SQL = `${FRESH}
INSERT INTO rollup_sessions (project_id, session_key, channel_type, is_bot, started_at, ended_at, pageviews, events)
SELECT f.project_id, ${sessionKey("f.")}, f.channel_type, f.is_bot, min(f.timestamp), max(f.timestamp),
  sum(f.event_name = 'page_view'), count(*)
FROM fresh f WHERE ${sessionKey("f.")} IS NOT NULL GROUP BY 1, 2, 3, 4
ON CONFLICT DO UPDATE SET started_at = min(started_at, excluded.started_at), ended_at = max(ended_at, excluded.ended_at),
  pageviews = pageviews + excluded.pageviews, events = events + excluded.events`;

/** The rollup upserts for one stored batch (`eventsJson` = the JSON array the insert consumed). */
export function rollupStatements(db: D1Database, ingestId: string, eventsJson: string): D1PreparedStatement[] {
  // Only the ids travel again (the full rows can approach D1's 2 MB value limit); the PK finds them.
  const ids = JSON.stringify((JSON.parse(eventsJson) as { event_id: string }[]).map((e) => e.event_id));
  return [COUNTS_SQL, VISITORS_SQL, SESSION_KEYS_SQL, SESSIONS_SQL].map((sql) => db.prepare(sql).bind(ids, ingestId));
}
