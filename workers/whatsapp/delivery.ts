import type { Filters } from "../lib/filters";
import { rate } from "../lib/distribution";
import { whatsappWhere } from "../lib/filters/whatsapp";

import { DELIVERY_GROUPS, FAILED_STATUSES } from "../contract";

const FAILED_SQL = FAILED_STATUSES.map((s) => `'${s}'`).join(", ");

export { DELIVERY_GROUPS };
export type DeliveryGroup = (typeof DELIVERY_GROUPS)[number];

// Whitelisted tag expressions per group; Meta echoes `biz_opaque_callback_data` on statuses,
// which senders commonly use as the campaign tag.
const TAG = {
  template: "json_extract(properties, '$.template')",
  campaign: "coalesce(json_extract(properties, '$.campaign'), json_extract(properties, '$.biz_opaque_callback_data'))",
} as const;

// A status may arrive days after its message was sent; tags are looked up that far back.
const TAG_LOOKBACK_MS = 30 * 86_400_000;

const FUNNEL = `count(*) AS sent, coalesce(sum(reach >= 2), 0) AS delivered, coalesce(sum(reach = 3), 0) AS read,
  coalesce(sum(failed AND reach < 2), 0) AS failed`;

const MESSAGE_ID = "coalesce(json_extract(properties, '$.provider_message_id'), event_id)";

/**
 * Delivery funnel from `message_status` events. Statuses arrive out of order and repeat, so each
 * message counts once, at its furthest status: sent ⊇ delivered ⊇ read (a voice note's `played` counts as read); failed = failed (any of FAILED_STATUSES: Meta's `failed`, Twilio's `failed`/`undelivered`/`canceled`) and never delivered.
 * With `group`, messages are split by the template/campaign tag found on their statuses or on the
 * `message_sent`/`bot_response` that sent them.
 */
export async function deliveryRows(db: D1Database, project: string, f: Filters, group?: DeliveryGroup) {
  const s = whatsappWhere(project, f, ["message_status"]);
  const t = whatsappWhere(project, { ...f, from: f.from - TAG_LOOKBACK_MS }, ["message_sent", "bot_response"]);
  const tag = group ? TAG[group] : "NULL";
  // Without a group the tag lookup over sent messages is skipped entirely.
  const tagged = group
    ? `, t AS (SELECT json_extract(properties, '$.provider_message_id') AS mid, max(${tag}) AS tag
         FROM events WHERE ${t.sql} AND ${tag} IS NOT NULL GROUP BY mid)`
    : "";
  const sql = `WITH s AS (
      SELECT ${MESSAGE_ID} AS mid,
        max(CASE json_extract(properties, '$.status') WHEN 'read' THEN 3 WHEN 'played' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END) AS reach,
        max(json_extract(properties, '$.status') IN (${FAILED_SQL})) AS failed,
        max(${tag}) AS tag
      FROM events WHERE ${s.sql} GROUP BY mid)${tagged}
    SELECT ${group ? "coalesce(s.tag, t.tag)" : "NULL"} AS value, ${FUNNEL}
    FROM s ${group ? "LEFT JOIN t ON t.mid = s.mid" : ""} GROUP BY value`;
  const params = group ? [...s.params, ...t.params] : s.params;
  const { results } = await db
    .prepare(`${sql} ORDER BY sent DESC, value`)
    .bind(...params)
    .all<{ value: string | null; sent: number; delivered: number; read: number; failed: number }>();
  return results.map((r) => ({
    ...r,
    delivery_rate: rate(r.delivered, r.sent),
    read_rate: rate(r.read, r.delivered),
    failure_rate: rate(r.failed, r.sent),
  }));
}

/** The funnel over all messages (one row, zeros when there were none). */
export async function deliveryTotals(db: D1Database, project: string, f: Filters) {
  const [row] = await deliveryRows(db, project, f);
  const { value: _value, ...totals } = row ?? {
    value: null,
    sent: 0,
    delivered: 0,
    read: 0,
    failed: 0,
    delivery_rate: null,
    read_rate: null,
    failure_rate: null,
  };
  return totals;
}
