-- Segments: saved, named definitions over people (workers/segments). Membership is evaluated on
-- demand from `definition` (one compiled SQL statement), never materialised.
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`name` text NOT NULL,
	`definition` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `segments_project` ON `segments` (`project_id`, `created_at`);
--> statement-breakpoint
-- Per-person seeks (segments' "within a time after", funnel steps, last seen, conversions of a
-- campaign recipient) and the set of a project's people.
CREATE INDEX `events_project_person_time` ON `events` (`project_id`, `person_id`, `timestamp`);
--> statement-breakpoint
-- Imported contact data: display name, attributes (traits, JSON object), IANA time zone, where
-- consent came from, and the hash of the last imported row (an identical re-import changes nothing).
ALTER TABLE `contacts` ADD COLUMN `name` text;
--> statement-breakpoint
ALTER TABLE `contacts` ADD COLUMN `attributes` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE `contacts` ADD COLUMN `timezone` text;
--> statement-breakpoint
ALTER TABLE `contacts` ADD COLUMN `consent_source` text;
--> statement-breakpoint
ALTER TABLE `contacts` ADD COLUMN `import_hash` text;
