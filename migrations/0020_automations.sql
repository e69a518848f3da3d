-- Automations (workers/automations): a trigger, optional wait and conditions, and actions, each run
-- a Workflow instance. `trigger_kind` / `trigger_event` / `wait_event` are copies of the definition
-- the consumer reads (cached) to hand matching events over without parsing every definition.
CREATE TABLE `automations` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL DEFAULT 'active',
	`definition` text NOT NULL,
	`trigger_kind` text NOT NULL,
	`trigger_event` text,
	`wait_event` text,
	`secret` text NOT NULL,
	`max_runs_per_hour` integer NOT NULL,
	`last_tick_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "automations_status" CHECK("automations"."status" IN ('active','paused'))
);
--> statement-breakpoint
CREATE INDEX `automations_project_active` ON `automations` (`project_id`, `status`, `trigger_kind`);
--> statement-breakpoint
-- One row per (automation, person, trigger): the unique key makes a duplicate trigger a no-op, and
-- the id is the run's Workflow instance id.
CREATE TABLE `automation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`automation_id` text NOT NULL,
	`project_id` text NOT NULL,
	`person_id` text NOT NULL,
	`trigger_key` text NOT NULL,
	`status` text NOT NULL,
	`reason` text,
	`wait_event` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `automation_runs_trigger` ON `automation_runs` (`automation_id`, `person_id`, `trigger_key`);
--> statement-breakpoint
CREATE INDEX `automation_runs_recent` ON `automation_runs` (`automation_id`, `started_at`);
--> statement-breakpoint
CREATE INDEX `automation_runs_waiting` ON `automation_runs` (`project_id`, `person_id`, `wait_event`) WHERE `status` = 'waiting';
--> statement-breakpoint
-- Each step a run took (wait, conditions, every action) and its outcome.
CREATE TABLE `automation_run_steps` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`detail` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`run_id`, `seq`)
);
--> statement-breakpoint
-- Segment-entry triggers: who was in the segment at the last evaluation, so only new members start runs.
CREATE TABLE `automation_segment_members` (
	`automation_id` text NOT NULL,
	`person_id` text NOT NULL,
	`entered_at` integer NOT NULL,
	`seen_at` integer NOT NULL,
	PRIMARY KEY(`automation_id`, `person_id`)
);
--> statement-breakpoint
-- Static lists people are added to by an automation's `add_to_list`; a segment condition reads them.
CREATE TABLE `list_members` (
	`project_id` text NOT NULL,
	`list` text NOT NULL,
	`person_id` text NOT NULL,
	`added_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `list`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `list_members_person` ON `list_members` (`project_id`, `person_id`);
