import { z } from "zod";
import { eventNameSchema, type HoursMode, type WhatsAppBot } from "../contract";
import { distributions, EMPTY, rate } from "../lib/distribution";
import type { Filters } from "../lib/filters";
import { CONVERSATIONS_IN_RANGE } from "../lib/filters/whatsapp";

export const botQuerySchema = z.object({
  /** The web event that completes the journey a webview link starts. */
  goal: eventNameSchema.default("return_submitted"),
  /** How long after the link was first opened the goal still counts. */
  days: z.coerce.number().int().min(1).max(90).default(7),
});

// A cycle some human touched: handed off, assigned, held by an agent, or answered by one.
const HUMAN = "(queued_at IS NOT NULL OR assigned_at IS NOT NULL OR agent_id IS NOT NULL OR first_response_ms IS NOT NULL)";

const CYCLES_SQL = `SELECT count(*) AS cycles, coalesce(sum(${HUMAN}), 0) AS handoffs,
    coalesce(sum(resolved_at IS NOT NULL AND NOT ${HUMAN}), 0) AS contained, coalesce(sum(resolved_by = 'bot'), 0) AS bot_resolutions
  FROM conversation_cycles WHERE ${CONVERSATIONS_IN_RANGE}`;

/**
 * Conversations opened in the range that sent a webview link; opened = the link's `webview_opened`
 * reached the conversation; completed = the contact's person (identity links: `events.person_id`
 * follows every link) sent the goal event within `days` of first opening the link.
 *
 * The window starts at the opening, not at the link's issue: `webview_opened` carries the web
 * visitor's event time, the clock the goal event is on too, whereas `issued_at` is the server's
 * clock when the bot asked. A journey replayed with its own times (a backfill, the demo) would
 * otherwise fall outside every window, and a link nobody opened starts no web journey.
 */
const WEBVIEW_SQL = `WITH h AS (
    SELECT h.conversation_id, h.external_id FROM handshakes h
    JOIN conversations c ON c.project_id = h.project_id AND c.conversation_id = h.conversation_id
    WHERE h.project_id = ?1 AND c.opened_at >= ?2 AND c.opened_at < ?3 GROUP BY h.conversation_id, h.external_id),
  -- Materialized: the opening time is read three times per link below, and computed once.
  o AS MATERIALIZED (
    SELECT h.external_id, (SELECT min(w.timestamp) FROM events w WHERE w.project_id = ?1 AND w.conversation_id = h.conversation_id
      AND w.event_name = 'webview_opened') AS opened_at FROM h)
  SELECT count(*) AS sent, coalesce(sum(opened_at IS NOT NULL), 0) AS opened,
    coalesce(sum(EXISTS (SELECT 1 FROM identities i JOIN events g ON g.project_id = ?1 AND g.event_name = ?4
      AND g.timestamp >= o.opened_at AND g.timestamp < o.opened_at + ?5 AND g.person_id = i.person_id
      WHERE i.project_id = ?1 AND i.kind = 'external_id' AND i.value = o.external_id)), 0) AS completed
  FROM o`;

/** Containment, handoff rate, bot resolution time and webview journey completion. */
export async function botMetrics(
  db: D1Database,
  project: string,
  f: Filters,
  q: z.infer<typeof botQuerySchema>,
  hours: HoursMode = "wall",
): Promise<WhatsAppBot> {
  const range = [project, f.from, f.to];
  const [cycles, webview, d] = await Promise.all([
    db
      .prepare(CYCLES_SQL)
      .bind(...range)
      .first<{ cycles: number; handoffs: number; contained: number; bot_resolutions: number }>(),
    db
      .prepare(WEBVIEW_SQL)
      .bind(...range, q.goal, q.days * 86_400_000)
      .first<{ sent: number; opened: number; completed: number }>(),
    distributions(
      db,
      `SELECT 'bot', resolution_time_${hours === "business" ? "bms" : "ms"} FROM conversation_cycles WHERE ${CONVERSATIONS_IN_RANGE} AND resolved_by = 'bot'`,
      range,
    ),
  ]);
  const c = cycles!;
  const w = webview!;
  return {
    ...c,
    handoff_rate: rate(c.handoffs, c.cycles),
    containment_rate: rate(c.contained, c.cycles),
    bot_resolution_time: d.get("bot") ?? EMPTY,
    webview: { goal: q.goal, days: q.days, ...w, completion_rate: rate(w.completed, w.sent) },
  };
}
