import type { EventRecord } from "../contract";
import { personSql } from "../identity/links";
import { rollupStatements } from "./rollups";

const COLUMNS = [
  "event_id", "project_id", "event_name", "channel_type", "timestamp", "received_at",
  "anonymous_id", "session_id", "user_id", "external_id", "conversation_id", "handshake_token",
  "url", "path", "referrer", "title", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
  "country", "region", "city", "timezone", "colo", "asn", "device_type", "browser", "os", "is_bot", "properties",
] as const;

// The whole batch travels as ONE bound parameter (a JSON array) and SQLite unpacks it with
// json_each: D1 caps a statement at 100 bound parameters, which would otherwise allow only 3 rows.
// Each row's person is resolved from identities as it is inserted (links.ts has why).
const INSERT_SQL = `INSERT OR IGNORE INTO events (${COLUMNS.join(", ")}, ingest_id, person_id)
SELECT ${COLUMNS.join(", ")}, ?2, ${personSql("r")}
FROM (SELECT ${COLUMNS.map((c) => `json_extract(value, '$.${c}') AS ${c}`).join(", ")} FROM json_each(?1)) r
RETURNING event_id`;

function row(e: EventRecord) {
  return { ...e, is_bot: e.is_bot ? 1 : 0, properties: JSON.stringify(e.properties ?? {}) };
}

/**
 * Inserts events, skipping ids already stored (queue retries, duplicate webhooks), and updates
 * rollups from exactly the rows that were new, all in one D1 transaction. Returns the new ids.
 */
export async function storeEvents(db: D1Database, events: EventRecord[], extra: D1PreparedStatement[] = []): Promise<Set<string>> {
  const ingestId = crypto.randomUUID();
  const json = JSON.stringify(events.map(row));
  const insert = db.prepare(INSERT_SQL).bind(json, ingestId);
  const results = await db.batch([insert, ...rollupStatements(db, ingestId, json), ...extra]);
  return new Set((results[0].results as { event_id: string }[]).map((r) => r.event_id));
}
