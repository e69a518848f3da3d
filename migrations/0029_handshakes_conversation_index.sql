-- The bot report's webview outcome (workers/whatsapp/bot.ts) joins the range's conversations to the
-- links they sent. Without this index each conversation scanned every handshake of the project
-- (5.3 s for 7,262 conversations × 3,444 links on the benchmark database); with it, one seek each.
CREATE INDEX IF NOT EXISTS `handshakes_project_conversation` ON `handshakes` (`project_id`,`conversation_id`,`external_id`);
