import { localBuckets, previousPeriod, QUARTER_MS, type Filters } from "../lib/filters";
import { rate } from "../lib/distribution";
import { whatsappWhere } from "../lib/filters/whatsapp";

/** The events that are messages: inbound, and outbound from an agent or the bot. */
export const MESSAGE_EVENTS = ["message_received", "message_sent", "bot_response"];

/**
 * Messages in/out and the distinct contacts who wrote or were written to. Outbound counts agent and
 * bot messages alike, once per provider message (a CRM may report one reply as both kinds).
 */
export async function messageVolume(db: D1Database, project: string, f: Filters) {
  const w = whatsappWhere(project, f, MESSAGE_EVENTS);
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

// One key per message: an inbound event by its id, an outbound one by its provider message id (as in messageVolume).
export const MESSAGE_KEY = `CASE WHEN event_name = 'message_received' THEN 'in:' || event_id
  ELSE 'out:' || coalesce(json_extract(properties, '$.provider_message_id'), event_id) END`;

/**
 * Messages in and out per local bucket of `f.interval` in `f.tz`, every bucket listed. SQLite counts
 * each message once at the 15-minute UTC quarter of its first report; quarters lie wholly inside one
 * local bucket of any zone, so they are assigned to buckets here. The buckets add up to messageVolume.
 */
export async function messageSeries(db: D1Database, project: string, f: Filters) {
  const w = whatsappWhere(project, f, MESSAGE_EVENTS);
  const { results } = await db
    .prepare(
      `SELECT q, sum(inbound) AS messages_in, count(*) - sum(inbound) AS messages_out FROM (
         SELECT min(timestamp) / ${QUARTER_MS} AS q, max(event_name = 'message_received') AS inbound
         FROM events WHERE ${w.sql} GROUP BY ${MESSAGE_KEY}
       ) GROUP BY q ORDER BY q`,
    )
    .bind(...w.params)
    .all<{ q: number; messages_in: number; messages_out: number }>();
  const buckets = localBuckets(f.from, f.to, f.tz, f.interval).map((b) => ({
    bucket: b.label,
    start: b.start,
    messages_in: 0,
    messages_out: 0,
  }));
  let i = 0;
  for (const r of results) {
    const at = r.q * QUARTER_MS;
    // Quarters come sorted, so walk the buckets forward; a range edge off a quarter still lands in its bucket.
    while (i + 1 < buckets.length && buckets[i + 1].start <= at) i++;
    if (!buckets[i]) continue;
    buckets[i].messages_in += r.messages_in;
    buckets[i].messages_out += r.messages_out;
  }
  return buckets.map(({ start: _s, ...b }) => b);
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
