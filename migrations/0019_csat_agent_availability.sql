-- CSAT: one row per satisfaction response (CRM `csat` events, or a WhatsApp button/list reply whose id
-- the project maps to a score). The response belongs to the conversation cycle that was open (the
-- latest opened at or before `submitted_at`); that is resolved when reading, so the order in which
-- responses and conversation summaries arrive does not matter. A comment is kept as its length only.
CREATE TABLE `csat_responses` (
	`project_id` text NOT NULL,
	`response_id` text NOT NULL,
	`conversation_id` text NOT NULL,
	`external_id` text,
	`score` integer NOT NULL,
	`comment_length` integer,
	`source` text NOT NULL,
	`submitted_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `response_id`)
);
--> statement-breakpoint
CREATE INDEX `csat_responses_project_submitted` ON `csat_responses` (`project_id`, `submitted_at`);
--> statement-breakpoint
CREATE INDEX `csat_responses_project_conversation` ON `csat_responses` (`project_id`, `conversation_id`, `submitted_at`);
--> statement-breakpoint
CREATE INDEX `csat_responses_project_contact` ON `csat_responses` (`project_id`, `external_id`);
--> statement-breakpoint
-- A project's WhatsApp reply ids (interactive button/list reply ids, template button payloads) that are CSAT scores.
CREATE TABLE `csat_replies` (
	`project_id` text NOT NULL,
	`reply_id` text NOT NULL,
	`score` integer NOT NULL,
	PRIMARY KEY(`project_id`, `reply_id`)
);
--> statement-breakpoint
-- Agent availability: each row is a status change; the agent keeps that status until the next change.
CREATE TABLE `agent_status_changes` (
	`project_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`at` integer NOT NULL,
	`status` text NOT NULL,
	PRIMARY KEY(`project_id`, `agent_id`, `at`)
);
--> statement-breakpoint
CREATE INDEX `agent_status_changes_project_at` ON `agent_status_changes` (`project_id`, `at`);
--> statement-breakpoint
-- Availability reads the cycles an agent was handling during a range.
CREATE INDEX `conversation_cycles_project_agent_assigned` ON `conversation_cycles` (`project_id`, `agent_id`, `assigned_at`);
