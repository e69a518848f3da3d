import type { EventRecord } from "../contract";

// A contact's `first_contact` has one id per contact, so the insert keeps whichever message was
// stored first; a message delivered late but sent earlier moves it back to its own time.
const EARLIER_SQL = `UPDATE events SET timestamp = r.ts, properties = r.properties
FROM (SELECT json_extract(value, '$[0]') AS project, json_extract(value, '$[1]') AS id, json_extract(value, '$[2]') AS ts,
  json_extract(value, '$[3]') AS properties FROM json_each(?1)) r
WHERE events.project_id = r.project AND events.event_id = r.id AND events.event_name = 'first_contact' AND events.timestamp > r.ts`;

/**
 * Keeps `first_contact` at the earliest message by event time however late it arrives: runs in the
 * consumer's transaction after the insert (which ignored the batch's already-known ids).
 */
export function firstContactStatements(db: D1Database, events: EventRecord[]): D1PreparedStatement[] {
  const firsts = events
    .filter((e) => e.event_name === "first_contact" && e.channel_type === "whatsapp")
    .map((e) => [e.project_id, e.event_id, e.timestamp, JSON.stringify(e.properties ?? {})]);
  return firsts.length ? [db.prepare(EARLIER_SQL).bind(JSON.stringify(firsts))] : [];
}
