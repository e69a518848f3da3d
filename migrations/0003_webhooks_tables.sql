CREATE TABLE `contacts` (
	`project_id` text NOT NULL,
	`external_id` text NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`consent` text,
	`consent_changed_at` integer,
	PRIMARY KEY(`project_id`, `external_id`)
);
--> statement-breakpoint
CREATE INDEX `contacts_project_consent` ON `contacts` (`project_id`,`consent`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`provider` text NOT NULL,
	`endpoint` text NOT NULL,
	`received_at` integer NOT NULL,
	`verified` integer NOT NULL,
	`size_bytes` integer NOT NULL,
	`outcome` text NOT NULL,
	`http_status` integer NOT NULL,
	`event_ids` text DEFAULT '[]' NOT NULL,
	`delivery_ref` text
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_project_time` ON `webhook_deliveries` (`project_id`,`received_at`);