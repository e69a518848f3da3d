-- WITHOUT ROWID added by hand: the rollup tables are all key, so the clustered primary key is the index.
CREATE TABLE `funnels` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `funnels_project` ON `funnels` (`project_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `rollup_counts` (
	`project_id` text NOT NULL,
	`dimension` text NOT NULL,
	`bucket` integer NOT NULL,
	`value` text NOT NULL,
	`channel_type` text NOT NULL,
	`is_bot` integer NOT NULL,
	`events` integer NOT NULL,
	`pageviews` integer NOT NULL,
	PRIMARY KEY(`project_id`, `dimension`, `bucket`, `value`, `channel_type`, `is_bot`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `rollup_sessions` (
	`project_id` text NOT NULL,
	`session_key` text NOT NULL,
	`channel_type` text NOT NULL,
	`is_bot` integer NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer NOT NULL,
	`pageviews` integer NOT NULL,
	`events` integer NOT NULL,
	PRIMARY KEY(`project_id`, `session_key`, `channel_type`, `is_bot`)
);
--> statement-breakpoint
CREATE INDEX `rollup_sessions_project_start` ON `rollup_sessions` (`project_id`,`started_at`);--> statement-breakpoint
CREATE TABLE `rollup_uniques` (
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`dimension` text NOT NULL,
	`bucket` integer NOT NULL,
	`value` text NOT NULL,
	`channel_type` text NOT NULL,
	`is_bot` integer NOT NULL,
	`key` text NOT NULL,
	PRIMARY KEY(`project_id`, `kind`, `dimension`, `bucket`, `value`, `channel_type`, `is_bot`, `key`)
) WITHOUT ROWID;
