-- Session rollups per filter value, so the dashboard's most used filters (one of country, device,
-- UTM source/medium/campaign, page; with channel and bots as ever) are answered from rollups:
-- bounce rate and session duration of the sessions built from the matching events only, exactly as
-- a raw scan builds them. Counts and distinct visitors per value were kept already
-- (rollup_counts by dimension, UniquesDO sketches); docs/rollups.md.
CREATE TABLE `rollup_filter_sessions` (
	`project_id` text NOT NULL,
	`filter_dim` text NOT NULL,
	`filter_value` text NOT NULL,
	`session_key` text NOT NULL,
	`channel_type` text NOT NULL,
	`is_bot` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`pageviews` integer NOT NULL,
	`events` integer NOT NULL,
	PRIMARY KEY(`project_id`, `filter_dim`, `filter_value`, `session_key`, `channel_type`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `rollup_filter_session_totals` (
	`project_id` text NOT NULL,
	`filter_dim` text NOT NULL,
	`filter_value` text NOT NULL,
	`grain` integer NOT NULL,
	`bucket` integer NOT NULL,
	`channel_type` text NOT NULL,
	`is_bot` integer NOT NULL,
	`sessions` integer NOT NULL,
	`pv_sessions` integer NOT NULL,
	`bounces` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`project_id`, `filter_dim`, `filter_value`, `grain`, `bucket`, `channel_type`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
-- Events stored before this migration: their sessions per filter value, and those sessions' totals.
INSERT INTO `rollup_filter_sessions`
SELECT e.project_id, d.dim, CASE d.dim WHEN 'country' THEN e.country WHEN 'device_type' THEN e.device_type
    WHEN 'utm_source' THEN e.utm_source WHEN 'utm_medium' THEN e.utm_medium WHEN 'utm_campaign' THEN e.utm_campaign WHEN 'path' THEN e.path END AS v,
  coalesce(e.session_id, e.conversation_id) AS k, e.channel_type, e.is_bot, min(e.timestamp), max(e.timestamp), sum(e.event_name = 'page_view'), count(*)
FROM `events` e CROSS JOIN (SELECT column1 AS dim FROM (VALUES ('country'), ('device_type'), ('utm_source'), ('utm_medium'), ('utm_campaign'), ('path'))) d
WHERE v IS NOT NULL AND v != '' AND k IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
INSERT INTO `rollup_filter_session_totals` SELECT s.project_id, s.filter_dim, s.filter_value, g.grain, s.started_at - s.started_at % g.width,
  s.channel_type, s.is_bot, count(*), sum(s.pageviews >= 1), sum(s.pageviews = 1), sum(s.ended_at - s.started_at)
FROM `rollup_filter_sessions` s CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) g
GROUP BY 1, 2, 3, 4, 5, 6, 7;
