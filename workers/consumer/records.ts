import type { QueueMessage } from "../contract";
import { contactStatements, deliveryStatements } from "../webhooks/records";
import { summaryStatements } from "../conversation/records";

type Kind = Exclude<QueueMessage["kind"], "event">;
type Handler<K extends Kind> = (db: D1Database, m: Extract<QueueMessage, { kind: K }>) => D1PreparedStatement[];

/** One handler per non-event Queue message kind (each lives beside its producer). */
const handlers: { [K in Kind]: Handler<K> } = {
  contact: contactStatements,
  webhook_delivery: deliveryStatements,
  conversation_summary: summaryStatements,
};

/**
 * D1 statements for Queue messages that are not events (e.g. conversation summaries). They run
 * in the same transaction as the batch's event inserts, so they must be upserts (redelivery-safe).
 */
export function recordStatements(db: D1Database, messages: QueueMessage[]): D1PreparedStatement[] {
  return messages.flatMap((m) => (m.kind === "event" ? [] : (handlers[m.kind] as Handler<Kind>)(db, m as never)));
}
