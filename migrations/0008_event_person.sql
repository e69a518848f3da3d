-- Each event's person, resolved through identity links (workers/identity/links.ts, personSql), so
-- funnels read people from the steps index instead of joining identities per event.
DROP INDEX `events_project_name_path_time`;--> statement-breakpoint
ALTER TABLE `events` ADD `person_id` text;--> statement-breakpoint
UPDATE `events` SET `person_id` = coalesce(
  (SELECT person_id FROM identities WHERE project_id = events.project_id AND kind = 'anonymous_id' AND value = events.anonymous_id),
  (SELECT person_id FROM identities WHERE project_id = events.project_id AND kind = 'external_id' AND value = events.external_id),
  (SELECT person_id FROM identities WHERE project_id = events.project_id AND kind = 'user_id' AND value = events.user_id),
  'a:' || anonymous_id, 'x:' || external_id, 'u:' || user_id);--> statement-breakpoint
CREATE INDEX `events_project_name_path_time` ON `events` (`project_id`,`event_name`,`path`,`timestamp`,`is_bot`,`channel_type`,`person_id`,`properties`);
