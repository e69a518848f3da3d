-- Scoped API tokens per project: read (dashboards), write (funnels and other definitions), bot
-- (issues handshakes, nothing else), privacy (erases people), share (a read-only dashboard link,
-- optionally pinned to one view). Only SHA-256 hashes are stored; revoked tokens stay for audit.
CREATE TABLE `project_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`project_id` text NOT NULL,
	`scope` text NOT NULL,
	`name` text NOT NULL,
	`token_hash` text NOT NULL,
	`view` text,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `project_tokens_hash` ON `project_tokens` (`token_hash`);
--> statement-breakpoint
CREATE INDEX `project_tokens_project` ON `project_tokens` (`project_id`, `created_at`);
--> statement-breakpoint
-- The local demo's write token `demo-write-token` (manages funnels, issues handshakes).
INSERT OR IGNORE INTO project_tokens (id, project_id, scope, name, token_hash, created_at)
SELECT 'demo-write', 'demo', 'write', 'Demo write token', '66b40fcb785655ba6e7c7b70a15aac4be7fa7ccac1dcf85b534c19104e332624', 0
WHERE EXISTS (SELECT 1 FROM projects WHERE id = 'demo');
