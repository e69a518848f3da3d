import { z } from "zod";
import { eventNameSchema, type HoursMode, type WhatsAppBot } from "../contract";
import { distributions, EMPTY, rate } from "../lib/distribution";
import type { Filters } from "../lib/filters";
import { CONVERSATIONS_IN_RANGE } from "../lib/filters/whatsapp";

export const botQuerySchema = z.object({
  /** The web event that completes the journey a webview link starts. */
  goal: eventNameSchema.default("return_filed"),
  /** How long after the link was issued the goal still counts. */
  days: z.coerce.number().int().min(1).max(90).default(7),
});

// A cycle some human touched: handed off, assigned, held by an agent, or answered by one.
const HUMAN = "(queued_at IS NOT NULL OR assigned_at IS NOT NULL OR agent_id IS NOT NULL OR first_response_ms IS NOT NULL)";

const CYCLES_SQL = `SELECT count(*) AS cycles, coalesce(sum(${HUMAN}), 0) AS handoffs,
    coalesce(sum(resolved_at IS NOT NULL AND NOT ${HUMAN}), 0) AS contained, coalesce(sum(resolved_by = 'bot'), 0) AS bot_resolutions
  FROM conversation_cycles WHERE ${CONVERSATIONS_IN_RANGE}`;

/**
 * Conversations opened in the range that sent a webview link; opened = the link's `webview_opened`
 * reached the conversation; completed = the contact's person (identity links) sent the goal event
 * within `days` of the first link.
 */
const WEBVIEW_SQL = `WITH h AS (
    SELECT h.conversation_id, h.external_id, min(h.issued_at) AS issued_at FROM handshakes h
    JOIN conversations c ON c.project_id = h.project_id AND c.conversation_id = h.conversation_id
    WHERE h.project_id = ?1 AND c.opened_at >= ?2 AND c.opened_at < ?3 GROUP BY h.conversation_id, h.external_id)
  SELECT count(*) AS sent,
    coalesce(sum(EXISTS (SELECT 1 FROM events w WHERE w.project_id = ?1 AND w.conversation_id = h.conversation_id
      AND w.event_name = 'webview_opened')), 0) AS opened,
    coalesce(sum(EXISTS (SELECT 1 FROM identities i JOIN events g ON g.project_id = ?1 AND g.event_name = ?4
      AND g.timestamp >= h.issued_at AND g.timestamp < h.issued_at + ?5 AND g.person_id = i.person_id
      WHERE i.project_id = ?1 AND i.kind = 'external_id' AND i.value = h.external_id)), 0) AS completed
  FROM h`;

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
