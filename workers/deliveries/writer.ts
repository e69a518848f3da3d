import type { WebhookDeliveryMessage } from "../contract";

/** Insert of one delivery audit row (its id is fixed at the edge, so redelivery is a no-op). */
export function deliveryStatements(db: D1Database, m: WebhookDeliveryMessage): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT OR IGNORE INTO webhook_deliveries
         (id, project_id, provider, endpoint, received_at, verified, size_bytes, outcome, http_status, event_ids, delivery_ref, accounts)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        m.id,
        m.project_id,
        m.provider,
        m.endpoint,
        m.received_at,
        m.verified ? 1 : 0,
        m.size_bytes,
        m.outcome,
        m.http_status,
        JSON.stringify(m.event_ids),
        m.delivery_ref ?? null,
        m.accounts ? JSON.stringify(m.accounts) : null,
      ),
  ];
}
