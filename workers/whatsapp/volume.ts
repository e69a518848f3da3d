import { previousPeriod, type Filters } from "../lib/filters";
import { rate } from "../lib/distribution";
import { whatsappWhere } from "../lib/filters/whatsapp";

/**
 * Messages in/out and the distinct contacts who wrote or were written to. Outbound counts agent and
 * bot messages alike, once per provider message (a CRM may report one reply as both kinds).
 */
export async function messageVolume(db: D1Database, project: string, f: Filters) {
  const w = whatsappWhere(project, f, ["message_received", "message_sent", "bot_response"]);
  const row = await db
    .prepare(
      `SELECT coalesce(sum(event_name = 'message_received'), 0) AS messages_in,
              count(DISTINCT CASE WHEN event_name <> 'message_received'
                THEN coalesce(json_extract(properties, '$.provider_message_id'), event_id) END) AS messages_out,
              count(DISTINCT external_id) AS unique_contacts
       FROM events WHERE ${w.sql}`,
    )
    .bind(...w.params)
    .first<{ messages_in: number; messages_out: number; unique_contacts: number }>();
  return row!;
}

/** `first_contact` events in the range and in the period of equal length before it. */
export async function newContacts(db: D1Database, project: string, f: Filters) {
  const count = async (g: Filters) => {
    const w = whatsappWhere(project, g, ["first_contact"]);
    return (await db
      .prepare(`SELECT count(*) AS n FROM events WHERE ${w.sql}`)
      .bind(...w.params)
      .first<{ n: number }>())!.n;
  };
  const [total, previous] = await Promise.all([count(f), count(previousPeriod(f))]);
  return { total, previous, growth_rate: previous > 0 ? rate(total - previous, previous) : null };
}

/**
 * Share of the period's contacts who opted out in it: distinct contacts with a
 * `consent_changed` to `opted_out`, over distinct contacts who messaged or were messaged.
 */
export async function optOuts(db: D1Database, project: string, f: Filters): Promise<number> {
  const w = whatsappWhere(project, f, ["consent_changed"]);
  const row = await db
    .prepare(`SELECT count(DISTINCT external_id) AS n FROM events WHERE ${w.sql} AND json_extract(properties, '$.consent') = 'opted_out'`)
    .bind(...w.params)
    .first<{ n: number }>();
  return row!.n;
}
