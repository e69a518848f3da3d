CREATE TABLE `rollup_session_totals` (
	`project_id` text NOT NULL,
	`grain` integer NOT NULL,
	`bucket` integer NOT NULL,
	`channel_type` text NOT NULL,
	`is_bot` integer NOT NULL,
	`sessions` integer NOT NULL,
	`pv_sessions` integer NOT NULL,
	`bounces` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	PRIMARY KEY(`project_id`, `grain`, `bucket`, `channel_type`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
DROP TABLE `rollup_uniques`;--> statement-breakpoint
DROP INDEX `rollup_sessions_project_start`;--> statement-breakpoint
CREATE TABLE `__new_rollup_counts` (
	`project_id` text NOT NULL,
	`dimension` text NOT NULL,
	`grain` integer DEFAULT 0 NOT NULL,
	`bucket` integer NOT NULL,
	`value` text NOT NULL,
	`channel_type` text NOT NULL,
	`is_bot` integer NOT NULL,
	`events` integer NOT NULL,
	`pageviews` integer NOT NULL,
	PRIMARY KEY(`project_id`, `dimension`, `grain`, `bucket`, `value`, `channel_type`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `__new_rollup_counts`("project_id", "dimension", "grain", "bucket", "value", "channel_type", "is_bot", "events", "pageviews") SELECT "project_id", "dimension", 0, "bucket", "value", "channel_type", "is_bot", "events", "pageviews" FROM `rollup_counts`;--> statement-breakpoint
DROP TABLE `rollup_counts`;--> statement-breakpoint
ALTER TABLE `__new_rollup_counts` RENAME TO `rollup_counts`;--> statement-breakpoint
-- Existing 15-minute counts roll up into the hour and day grains; existing sessions into their start buckets.
INSERT INTO `rollup_counts` SELECT c.project_id, c.dimension, g.grain, c.bucket - c.bucket % g.width, c.value, c.channel_type, c.is_bot, sum(c.events), sum(c.pageviews)
FROM `rollup_counts` c CROSS JOIN (SELECT 1 AS grain, 3600000 AS width UNION ALL SELECT 2, 86400000) g WHERE c.grain = 0 GROUP BY 1, 2, 3, 4, 5, 6, 7;--> statement-breakpoint
INSERT INTO `rollup_session_totals` SELECT s.project_id, g.grain, s.started_at - s.started_at % g.width, s.channel_type, s.is_bot,
  count(*), sum(s.pageviews >= 1), sum(s.pageviews = 1), sum(s.ended_at - s.started_at)
FROM `rollup_sessions` s CROSS JOIN (SELECT 0 AS grain, 900000 AS width UNION ALL SELECT 1, 3600000 UNION ALL SELECT 2, 86400000) g GROUP BY 1, 2, 3, 4, 5;
