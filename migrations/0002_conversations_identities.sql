CREATE TABLE `conversations` (
	`project_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`external_id` text,
	`state` text NOT NULL,
	`agent_id` text,
	`opened_at` integer,
	`queued_at` integer,
	`assigned_at` integer,
	`resolved_at` integer,
	`last_event_at` integer,
	`messages_in` integer DEFAULT 0 NOT NULL,
	`messages_out` integer DEFAULT 0 NOT NULL,
	`bot_responses` integer DEFAULT 0 NOT NULL,
	`first_response_ms` integer,
	`bot_first_response_ms` integer,
	`queue_wait_ms` integer,
	`handle_time_ms` integer,
	`resolution_time_ms` integer,
	`response_times_json` text DEFAULT '[]' NOT NULL,
	`bot_response_times_json` text DEFAULT '[]' NOT NULL,
	`reopen_count` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `conversation_id`)
);
--> statement-breakpoint
CREATE INDEX `conversations_project_opened` ON `conversations` (`project_id`,`opened_at`);--> statement-breakpoint
CREATE INDEX `conversations_project_state` ON `conversations` (`project_id`,`state`);--> statement-breakpoint
CREATE INDEX `conversations_project_agent` ON `conversations` (`project_id`,`agent_id`);--> statement-breakpoint
CREATE TABLE `handshake_attempts` (
	`event_id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`token_hash` text NOT NULL,
	`outcome` text NOT NULL,
	`anonymous_id` text,
	`attempted_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `handshake_attempts_project_outcome` ON `handshake_attempts` (`project_id`,`outcome`,`attempted_at`);--> statement-breakpoint
CREATE TABLE `handshakes` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`external_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `handshakes_project_issued` ON `handshakes` (`project_id`,`issued_at`);--> statement-breakpoint
CREATE TABLE `identities` (
	`project_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`person_id` text NOT NULL,
	`linked_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `kind`, `value`),
	CONSTRAINT "identities_kind" CHECK("identities"."kind" IN ('anonymous_id','external_id','user_id'))
);
--> statement-breakpoint
CREATE INDEX `identities_project_person` ON `identities` (`project_id`,`person_id`);