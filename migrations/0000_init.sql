CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`queue` text NOT NULL,
	`message_id` text NOT NULL,
	`body` text NOT NULL,
	`error` text NOT NULL,
	`attempts` integer NOT NULL,
	`failed_at` integer NOT NULL,
	`replayed_at` integer
);
--> statement-breakpoint
CREATE INDEX `dead_letters_failed` ON `dead_letters` (`failed_at`);--> statement-breakpoint
CREATE TABLE `events` (
	`event_id` text PRIMARY KEY NOT NULL,
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
	`ingest_id` text
);
--> statement-breakpoint
CREATE INDEX `events_project_time` ON `events` (`project_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `events_project_name_time` ON `events` (`project_id`,`event_name`,`timestamp`);--> statement-breakpoint
CREATE INDEX `events_project_anon_time` ON `events` (`project_id`,`anonymous_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `events_project_user_time` ON `events` (`project_id`,`user_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `events_project_external_time` ON `events` (`project_id`,`external_id`,`timestamp`);--> statement-breakpoint
CREATE INDEX `events_project_conversation_time` ON `events` (`project_id`,`conversation_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `projects` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`allowed_origins` text DEFAULT '["*"]' NOT NULL,
	`read_token_hash` text,
	`whatsapp_accounts` text DEFAULT '[]' NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
