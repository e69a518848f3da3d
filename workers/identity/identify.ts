import type { EventRecord } from "../contract";
import { linkStatements } from "../lib/person";

/**
 * Links anonymous_id ↔ user_id for web events that carry a user_id (an identify), once per pair
 * per batch. Idempotent: linking ids that are already one person changes nothing.
 */
export async function linkIdentifiedVisitors(db: D1Database, events: EventRecord[]): Promise<void> {
  const pairs = new Map<string, EventRecord>();
  for (const e of events) {
    if (e.channel_type !== "web" || !e.user_id || !e.anonymous_id) continue;
    pairs.set(JSON.stringify([e.project_id, e.anonymous_id, e.user_id]), e);
  }
  const statements = [...pairs.values()].flatMap((e) =>
    linkStatements(
      db,
      e.project_id,
      { kind: "anonymous_id", value: e.anonymous_id! },
      { kind: "user_id", value: e.user_id! },
      e.received_at,
    ),
  );
  if (statements.length) await db.batch(statements);
}
