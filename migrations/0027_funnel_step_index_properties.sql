-- Funnel steps after the first read each entrant's own events of a step from this index, one seek per
-- person (workers/funnels/run.ts). With `properties` in it, a step with `where` conditions is answered
-- from the index alone too, instead of fetching one table row per candidate.
DROP INDEX IF EXISTS `events_project_person_name_time`;--> statement-breakpoint
CREATE INDEX `events_project_person_name_time` ON `events` (`project_id`,`person_id`,`event_name`,`timestamp`,`is_bot`,`channel_type`,`path`,`properties`);
