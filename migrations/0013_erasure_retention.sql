-- Erasure and retention (docs/privacy.md).
-- How many days a project keeps raw events; NULL keeps them forever. Rollups are kept either way.
ALTER TABLE `projects` ADD COLUMN `retention_days` integer;
--> statement-breakpoint
-- The Durable Object id of each issued handshake token (`idFromName(token)`, hex), so erasing a person
-- can reach tokens whose plaintext Junction never keeps.
ALTER TABLE `handshakes` ADD COLUMN `object_id` text;
--> statement-breakpoint
CREATE INDEX `handshakes_project_external` ON `handshakes` (`project_id`, `external_id`);
--> statement-breakpoint
-- Ids of erased events, so a retried or late delivery of one is not stored again. New events of the
-- same person carry new ids and are stored. Pruned after 30 days by the scheduled retention run.
CREATE TABLE `erased_events` (
	`project_id` text NOT NULL,
	`event_id` text NOT NULL,
	`erased_at` integer NOT NULL,
	PRIMARY KEY(`project_id`, `event_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `erased_events_erased_at` ON `erased_events` (`erased_at`);
