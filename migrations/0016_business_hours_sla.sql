-- Business hours and service levels. A project's business hours (IANA zone, weekly open intervals,
-- holidays) as JSON; NULL: every hour is business time. Each duration of a conversation and of each
-- cycle is also stored in business milliseconds, computed when the conversation's Durable Object folds
-- it (with the schedule of that moment), so agent figures in business hours read columns, not schedules.
-- SLA policies per project, and per cycle the policy that applied and whether each target was met.
ALTER TABLE `projects` ADD `business_hours` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `first_response_bms` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `bot_first_response_bms` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `handoff_wait_bms` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `queue_wait_bms` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `handle_time_bms` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `resolution_time_bms` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `response_times_bms_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `bot_response_times_bms_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_policy_id` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_first_response` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_first_response_due_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_resolution` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_resolution_due_at` integer;--> statement-breakpoint
ALTER TABLE `conversations` ADD `sla_breaches` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `first_response_bms` integer;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `bot_first_response_bms` integer;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `handoff_wait_bms` integer;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `queue_wait_bms` integer;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `handle_time_bms` integer;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `resolution_time_bms` integer;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `response_times_bms_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `bot_response_times_bms_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `sla_policy_id` text;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `sla_first_response` text;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `sla_first_response_due_at` integer;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `sla_resolution` text;--> statement-breakpoint
ALTER TABLE `conversation_cycles` ADD `sla_resolution_due_at` integer;--> statement-breakpoint
-- The at-risk list: open cycles with a pending target, by deadline.
CREATE INDEX `conversation_cycles_project_sla_open` ON `conversation_cycles` (`project_id`,`resolved_at`,`sla_policy_id`);--> statement-breakpoint
CREATE TABLE `sla_policies` (
	`project_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`label` text,
	`priority` text,
	`first_response_s` integer,
	`resolution_s` integer,
	`business_hours` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `id`)
);
