import type { EventRecord } from "../contract";
import { personSql } from "../lib/person";

const COLUMNS = [
  "event_id",
  "project_id",
  "event_name",
  "channel_type",
  "timestamp",
  "received_at",
  "anonymous_id",
  "session_id",
  "user_id",
  "external_id",
  "conversation_id",
  "handshake_token",
  "url",
  "path",
  "referrer",
  "title",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "country",
  "region",
  "city",
  "timezone",
  "colo",
  "asn",
  "device_type",
  "browser",
  "os",
  "is_bot",
  "properties",
] as const;

// The whole batch travels as ONE bound parameter (a JSON array of rows, each an array of the
// COLUMNS values in order) and SQLite unpacks it with json_each: D1 caps a statement at 100 bound
// parameters, which would otherwise allow only 3 rows. Positional rows are smaller than objects
// and each value is found without matching its key.
// Each row's person is resolved from identities as it is inserted (links.ts has why). An id is
// unique within its project (primary key (project_id, event_id)); an id erased with its person
// (`erased_events`, docs/privacy.md) is never stored again, so a late redelivery cannot bring it back.
const INSERT_SQL = `INSERT OR IGNORE INTO events (${COLUMNS.join(", ")}, ingest_id, person_id)
SELECT ${COLUMNS.join(", ")}, ?2, ${personSql("r")}
FROM (SELECT ${COLUMNS.map((c, i) => `json_extract(value, '$[${i}]') AS ${c}`).join(", ")} FROM json_each(?1)) r
WHERE NOT EXISTS (SELECT 1 FROM erased_events x WHERE x.project_id = r.project_id AND x.event_id = r.event_id)
RETURNING project_id, event_id`;

/** The batch's ids that were erased: `?1` is the JSON array of its `[project_id, event_id]` keys. */
const ERASED_SQL = `SELECT project_id, event_id FROM erased_events
WHERE (project_id, event_id) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?1))`;

function row(e: EventRecord): unknown[] {
  const r = { ...e, is_bot: e.is_bot ? 1 : 0, properties: JSON.stringify(e.properties ?? {}) } as Record<string, unknown>;
  return COLUMNS.map((c) => r[c] ?? null);
}

type Keyed = { project_id: string; event_id: string };

/** An event's identity: its id within its project (the same id in two projects is two events). */
export function eventKey(e: Keyed): string {
  return JSON.stringify([e.project_id, e.event_id]);
}

/**
 * Statements that run after the insert in its transaction, over exactly the rows it stored: the
 * rows whose `ingest_id` is `ingestId` among `keysJson` (a JSON array of the batch's
 * `[project_id, event_id]` keys, which the primary key finds).
 */
export type AfterInsert = (db: D1Database, ingestId: string, keysJson: string) => D1PreparedStatement[];

/** What a store did, by `eventKey`: the events it stored now, and those refused because they were erased. */
export interface Stored {
  inserted: Set<string>;
  erased: Set<string>;
}

/**
 * Inserts events, skipping ids the project already stored (queue retries, duplicate webhooks) or
 * erased, and runs `after` (e.g. rollup upserts) and `extra` in the same D1 transaction.
 */
export async function storeEvents(
  db: D1Database,
  events: EventRecord[],
  after: AfterInsert,
  extra: D1PreparedStatement[] = [],
): Promise<Stored> {
  const ingestId = crypto.randomUUID();
  const json = JSON.stringify(events.map(row));
  // Only the keys travel again (the full rows can approach D1's 2 MB value limit).
  const keys = JSON.stringify(events.map((e) => [e.project_id, e.event_id]));
  const insert = db.prepare(INSERT_SQL).bind(json, ingestId);
  const erased = db.prepare(ERASED_SQL).bind(keys);
  const results = await db.batch<Keyed>([insert, erased, ...after(db, ingestId, keys), ...extra]);
  return { inserted: new Set(results[0].results.map(eventKey)), erased: new Set(results[1].results.map(eventKey)) };
}
