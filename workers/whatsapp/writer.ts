import type { EventRecord } from "../contract";

/** A `first_contact` to keep at its earliest time: `[project_id, event_id, timestamp, properties]`. */
export type FirstContactMove = [string, string, number, string];

// A contact's `first_contact` has one id per contact, so the insert keeps whichever message was
// stored first; a message delivered late but sent earlier moves it back to its own time. Two copies
// in one batch: the earliest wins.
const EARLIER_SQL = `UPDATE events SET timestamp = r.ts, properties = r.properties
FROM (SELECT project, id, ts, properties FROM (
    SELECT json_extract(value, '$[0]') AS project, json_extract(value, '$[1]') AS id, json_extract(value, '$[2]') AS ts,
      json_extract(value, '$[3]') AS properties, row_number() OVER (PARTITION BY json_extract(value, '$[0]'), json_extract(value, '$[1]')
        ORDER BY json_extract(value, '$[2]')) AS k
    FROM json_each(?1)) WHERE k = 1) r
WHERE events.project_id = r.project AND events.event_id = r.id AND events.event_name = 'first_contact' AND events.timestamp > r.ts`;

/** The batch's WhatsApp `first_contact` events, each a candidate to move a stored one back in time. */
export function firstContactMoves(events: EventRecord[]): FirstContactMove[] {
  return events
    .filter((e) => e.event_name === "first_contact" && e.channel_type === "whatsapp")
    .map((e) => [e.project_id, e.event_id, e.timestamp, JSON.stringify(e.properties ?? {})]);
}

/**
 * Keeps `first_contact` at the earliest message by event time however late it arrives: runs in the
 * consumer's transaction after the insert (which ignored the batch's already-known ids) and after the
 * rollups moved the event's counts (`retimeStatement` in workers/rollups).
 */
export function firstContactStatement(db: D1Database, moves: FirstContactMove[]): D1PreparedStatement {
  return db.prepare(EARLIER_SQL).bind(JSON.stringify(moves));
}
