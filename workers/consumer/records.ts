import type { QueueMessage } from "../contract";
import { contactStatements } from "../contacts";
import { agentStatusStatements, csatStatements, summaryStatements } from "../conversations";
import { deliveryStatements } from "../deliveries";
import { identityLinkStatements } from "../identity";

type Kind = Exclude<QueueMessage["kind"], "event">;
type Handler<K extends Kind> = (db: D1Database, m: Extract<QueueMessage, { kind: K }>) => D1PreparedStatement[];

/** One handler per non-event Queue message kind (each lives in its feature). */
const handlers: { [K in Kind]: Handler<K> } = {
  contact: contactStatements,
  identity_link: identityLinkStatements,
  webhook_delivery: deliveryStatements,
  conversation_summary: summaryStatements,
  csat: csatStatements,
  agent_status: agentStatusStatements,
};

/**
 * D1 statements for Queue messages that are not events (e.g. conversation summaries). They run
 * in the same transaction as the batch's event inserts, so they must be upserts (redelivery-safe).
 */
export function recordStatements(db: D1Database, messages: QueueMessage[]): D1PreparedStatement[] {
  return messages.flatMap((m) => (m.kind === "event" ? [] : (handlers[m.kind] as Handler<Kind>)(db, m as never)));
}
