-- Deliveries whose provider account no project claims are audited under project `_unmapped`;
-- `accounts` names those accounts (JSON array) so an admin can map them.
ALTER TABLE `webhook_deliveries` ADD COLUMN `accounts` text;
