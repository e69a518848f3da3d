-- Event ids are unique per project, not across projects: an event captured into one project with an
-- id another project already stored is stored too, and provider-derived ids (`status:<sid>:<status>`,
-- `webview_<hash>`, ...) are scoped by project the same way. The events and handshake_attempts
-- tables are rebuilt with primary key (project_id, event_id); data and indexes are kept.
CREATE TABLE `__new_events` (
	`event_id` text NOT NULL,
	`project_id` text NOT NULL,
	`event_name` text NOT NULL,
	`channel_type` text NOT NULL,
	`timestamp` integer NOT NULL,
	`received_at` integer NOT NULL,
	`anonymous_id` text,
	`session_id` text,
	`user_id` text,
	`external_id` text,
	`conversation_id` text,
	`handshake_token` text,
	`url` text,
	`path` text,
	`referrer` text,
	`title` text,
	`utm_source` text,
	`utm_medium` text,
	`utm_campaign` text,
	`utm_term` text,
	`utm_content` text,
	`country` text,
	`region` text,
	`city` text,
	`timezone` text,
	`colo` text,
	`asn` integer,
	`device_type` text,
	`browser` text,
	`os` text,
	`is_bot` integer DEFAULT false NOT NULL,
	`properties` text DEFAULT '{}' NOT NULL,
	`ingest_id` text,
	`person_id` text,
	PRIMARY KEY(`project_id`, `event_id`)
);
--> statement-breakpoint
INSERT INTO `__new_events` (`event_id`, `project_id`, `event_name`, `channel_type`, `timestamp`, `received_at`, `anonymous_id`, `session_id`, `user_id`, `external_id`, `conversation_id`, `handshake_token`, `url`, `path`, `referrer`, `title`, `utm_source`, `utm_medium`, `utm_campaign`, `utm_term`, `utm_content`, `country`, `region`, `city`, `timezone`, `colo`, `asn`, `device_type`, `browser`, `os`, `is_bot`, `properties`, `ingest_id`, `person_id`)
SELECT `event_id`, `project_id`, `event_name`, `channel_type`, `timestamp`, `received_at`, `anonymous_id`, `session_id`, `user_id`, `external_id`, `conversation_id`, `handshake_token`, `url`, `path`, `referrer`, `title`, `utm_source`, `utm_medium`, `utm_campaign`, `utm_term`, `utm_content`, `country`, `region`, `city`, `timezone`, `colo`, `asn`, `device_type`, `browser`, `os`, `is_bot`, `properties`, `ingest_id`, `person_id` FROM `events`;
--> statement-breakpoint
DROP TABLE `events`;
--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;
--> statement-breakpoint
CREATE INDEX `events_project_time` ON `events` (`project_id`,`timestamp`);
--> statement-breakpoint
CREATE INDEX `events_project_name_time` ON `events` (`project_id`,`event_name`,`timestamp`);
--> statement-breakpoint
CREATE INDEX `events_project_name_path_time` ON `events` (`project_id`,`event_name`,`path`,`timestamp`,`is_bot`,`channel_type`,`person_id`,`properties`);
--> statement-breakpoint
CREATE INDEX `events_project_anon_time` ON `events` (`project_id`,`anonymous_id`,`timestamp`);
--> statement-breakpoint
CREATE INDEX `events_project_user_time` ON `events` (`project_id`,`user_id`,`timestamp`);
--> statement-breakpoint
CREATE INDEX `events_project_external_time` ON `events` (`project_id`,`external_id`,`timestamp`);
--> statement-breakpoint
CREATE INDEX `events_project_conversation_time` ON `events` (`project_id`,`conversation_id`,`timestamp`);
--> statement-breakpoint
CREATE TABLE `__new_handshake_attempts` (
	`event_id` text NOT NULL,
	`project_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`outcome` text NOT NULL,
	`anonymous_id` text,
	`attempted_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `event_id`)
);
--> statement-breakpoint
INSERT INTO `__new_handshake_attempts` (`event_id`, `project_id`, `token_hash`, `outcome`, `anonymous_id`, `attempted_at`)
SELECT `event_id`, `project_id`, `token_hash`, `outcome`, `anonymous_id`, `attempted_at` FROM `handshake_attempts`;
--> statement-breakpoint
DROP TABLE `handshake_attempts`;
--> statement-breakpoint
ALTER TABLE `__new_handshake_attempts` RENAME TO `handshake_attempts`;
--> statement-breakpoint
CREATE INDEX `handshake_attempts_project_outcome` ON `handshake_attempts` (`project_id`,`outcome`,`attempted_at`);
