-- Message templates (workers/templates): the provider template a campaign sends and where each of
-- its variables comes from (a trait, an event property or a fixed value, with a default).
CREATE TABLE `templates` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`language` text NOT NULL,
	`category` text NOT NULL,
	`components` text NOT NULL,
	`twilio_content_sid` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `templates_project_name_language` ON `templates` (`project_id`, `name`, `language`);
--> statement-breakpoint
-- Campaigns (workers/campaigns): a segment × one or more weighted template variants, sent by a
-- Workflow instance whose id is the campaign id. `variants` is a JSON array of {name, template_id, weight}.
CREATE TABLE `campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`segment_id` text NOT NULL,
	`variants` text NOT NULL,
	`status` text NOT NULL,
	`pause_reason` text,
	`send_at` integer,
	`goal_event` text,
	`goal_days` integer NOT NULL,
	`cost_per_message` real,
	`sender` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`audience` integer,
	`created_at` integer NOT NULL,
	`launched_at` integer,
	`completed_at` integer
);
--> statement-breakpoint
CREATE INDEX `campaigns_project` ON `campaigns` (`project_id`, `created_at`);
--> statement-breakpoint
-- One row per (campaign, person): the audience snapshot taken at launch, then the send's state.
-- The primary key is the idempotency key: a send is claimed here before the provider is called.
CREATE TABLE `campaign_recipients` (
	`campaign_id` text NOT NULL,
	`project_id` text NOT NULL,
	`person_id` text NOT NULL,
	`address` text NOT NULL,
	`timezone` text,
	`variant` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`error_code` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer,
	`provider` text,
	`provider_message_id` text,
	`category` text,
	`sent_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`campaign_id`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `campaign_recipients_due` ON `campaign_recipients` (`campaign_id`, `status`, `not_before`);
--> statement-breakpoint
CREATE INDEX `campaign_recipients_message` ON `campaign_recipients` (`project_id`, `provider_message_id`);
--> statement-breakpoint
-- The frequency cap: a person's recent sends, across campaigns.
CREATE INDEX `campaign_recipients_person_sent` ON `campaign_recipients` (`project_id`, `person_id`, `sent_at`);
--> statement-breakpoint
-- Per-project sending rules (one row; defaults apply when none).
CREATE TABLE `campaign_settings` (
	`project_id` text PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`updated_at` integer NOT NULL
);
