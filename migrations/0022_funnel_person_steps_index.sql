-- Funnel steps after the first: each entrant's own events of a step, one seek per person, bounded by
-- the time the person reached the step before and the window (workers/funnels/run.ts). Covers what a
-- step reads except `properties`, which only a step with `where` fetches, for candidate rows alone.
CREATE INDEX `events_project_person_name_time` ON `events` (`project_id`,`person_id`,`event_name`,`timestamp`,`is_bot`,`channel_type`,`path`);
