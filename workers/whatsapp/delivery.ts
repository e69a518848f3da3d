import type { Filters, Sql } from "../lib/filters";
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

/** The message a status (or an outbound event) is about: its provider message id. */
export const MESSAGE_ID = "coalesce(json_extract(properties, '$.provider_message_id'), event_id)";

/** How far one status event takes its message: 1 sent, 2 delivered, 3 read (a voice note's `played` counts as read). */
export const STATUS_REACH =
  "CASE json_extract(properties, '$.status') WHEN 'read' THEN 3 WHEN 'played' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END";
/** 1 when a status event reports a failure (FAILED_STATUSES). */
export const STATUS_FAILED = `(json_extract(properties, '$.status') IN (${FAILED_SQL}))`;

/**
 * Which messages of `deliveryMessages` each funnel figure counts, over its `reach` and `failed`:
 * one definition for the funnel and for the lists behind its numbers.
 */
export const DELIVERY_FIGURES = {
  sent: "1",
  delivered: "reach >= 2",
  read: "reach = 3",
  failed: "failed AND reach < 2",
} as const;
export type DeliveryFigure = keyof typeof DELIVERY_FIGURES;

const FUNNEL = Object.entries(DELIVERY_FIGURES)
  .map(([name, counts]) => `coalesce(sum(${counts}), 0) AS ${name}`)
  .join(", ");

/**
 * `WITH …, m AS (…)`: one row per message with statuses in the range: `mid`, its furthest `reach`,
 * whether it `failed`, and with `group` its tag `value` (NULL = untagged), found on its statuses
 * or on the `message_sent`/`bot_response` that sent it. Statuses arrive out of order and repeat,
 * which is why each message is folded to one row before anything is counted.
 */
export function deliveryMessages(project: string, f: Filters, group?: DeliveryGroup): Sql {
  const s = whatsappWhere(project, f, ["message_status"]);
  const t = whatsappWhere(project, { ...f, from: f.from - TAG_LOOKBACK_MS }, ["message_sent", "bot_response"]);
  const tag = group ? TAG[group] : "NULL";
  // Without a group the tag lookup over sent messages is skipped entirely.
  const tagged = group
    ? `, t AS (SELECT json_extract(properties, '$.provider_message_id') AS mid, max(${tag}) AS tag
         FROM events WHERE ${t.sql} AND ${tag} IS NOT NULL GROUP BY mid)`
    : "";
  const sql = `WITH s AS (
      SELECT ${MESSAGE_ID} AS mid, max(${STATUS_REACH}) AS reach, max(${STATUS_FAILED}) AS failed, max(${tag}) AS tag
      FROM events WHERE ${s.sql} GROUP BY mid)${tagged},
    m AS (SELECT s.mid, ${group ? "coalesce(s.tag, t.tag)" : "NULL"} AS value, reach, failed
      FROM s ${group ? "LEFT JOIN t ON t.mid = s.mid" : ""})`;
  return { sql, params: group ? [...s.params, ...t.params] : s.params };
}

/**
 * Delivery funnel from `message_status` events, each message counted once at its furthest status:
 * sent ⊇ delivered ⊇ read; failed = failed (any of FAILED_STATUSES: Meta's `failed`, Twilio's
 * `failed`/`undelivered`/`canceled`) and never delivered. With `group`, one row per template/campaign tag.
 */
export async function deliveryRows(db: D1Database, project: string, f: Filters, group?: DeliveryGroup) {
  const m = deliveryMessages(project, f, group);
  const { results } = await db
    .prepare(`${m.sql} SELECT value, ${FUNNEL} FROM m GROUP BY value ORDER BY sent DESC, value`)
    .bind(...m.params)
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
