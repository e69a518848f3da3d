-- Support metrics: who resolved a conversation, the wait since handoff, customer follow-ups within the
-- project's grace window, labels, and one row per conversation cycle (each reopen keeps its own agent).
ALTER TABLE `conversations` ADD `resolved_by` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `handoff_wait_ms` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `handoffs` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `follow_ups` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `labels_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
CREATE INDEX `conversations_project_opened_id` ON `conversations` (`project_id`,`opened_at`,`conversation_id`);--> statement-breakpoint
CREATE INDEX `conversations_project_resolved_by_opened` ON `conversations` (`project_id`,`resolved_by`,`opened_at`);--> statement-breakpoint
CREATE TABLE `conversation_cycles` (
	`project_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`cycle` integer NOT NULL,
	`agent_id` text,
	`opened_at` integer NOT NULL,
	`queued_at` integer,
	`assigned_at` integer,
	`resolved_at` integer,
	`resolved_by` text,
	`first_response_ms` integer,
	`handoff_wait_ms` integer,
	`queue_wait_ms` integer,
	`handle_time_ms` integer,
	`resolution_time_ms` integer,
	`bot_first_response_ms` integer,
	`response_times_json` text DEFAULT '[]' NOT NULL,
	`bot_response_times_json` text DEFAULT '[]' NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `conversation_id`, `cycle`)
);
--> statement-breakpoint
CREATE INDEX `conversation_cycles_project_opened` ON `conversation_cycles` (`project_id`,`opened_at`,`agent_id`,`resolved_by`);--> statement-breakpoint
CREATE INDEX `conversation_cycles_project_agent_opened` ON `conversation_cycles` (`project_id`,`agent_id`,`opened_at`);--> statement-breakpoint
ALTER TABLE `projects` ADD `follow_up_grace_seconds` integer DEFAULT 600 NOT NULL;--> statement-breakpoint
ALTER TABLE `projects` ADD `internal_hosts` text DEFAULT '[]' NOT NULL;
