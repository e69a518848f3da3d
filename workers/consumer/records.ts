import type { QueueMessage } from "../contract";

/**
 * D1 statements for Queue messages that are not events (e.g. conversation summaries). They run
 * in the same transaction as the batch's event inserts, so they must be upserts (redelivery-safe).
 */
export function recordStatements(_db: D1Database, _messages: QueueMessage[]): D1PreparedStatement[] {
  return [];
}
