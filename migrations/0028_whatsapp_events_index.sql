-- WhatsApp figures (workers/whatsapp/*) read messages and statuses by name and time and then look at their
-- bot flag, contact and properties. WhatsApp events are a small share of all events, so a partial index
-- over them alone, covering what those queries read, answers every WhatsApp chart without a table row.
CREATE INDEX IF NOT EXISTS `events_whatsapp_name_time` ON `events` (`project_id`,`event_name`,`timestamp`,`is_bot`,`channel_type`,`external_id`,`event_id`,`properties`) WHERE channel_type = 'whatsapp';
