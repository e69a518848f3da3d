import { z } from "zod";
import { STATES, STATUS_RANK, type Conversation } from "./types";

const ms = z.number().int().nullable();
// A Queue message holds at most 128 KB: keep the first response times of very long conversations.
export const MAX_RESPONSE_TIMES = 1000;

/** Per-conversation summary the ConversationDO sends to D1 (`conversations` table) via the Queue. */
export const conversationSummarySchema = z.object({
  project_id: z.string().min(1).max(64),
  conversation_id: z.string().min(1).max(200),
  external_id: z.string().max(32).nullable(),
  state: z.enum(STATES),
  agent_id: z.string().max(200).nullable(),
  opened_at: ms,
  queued_at: ms,
  assigned_at: ms,
  resolved_at: ms,
  last_event_at: ms,
  messages_in: z.number().int().nonnegative(),
  messages_out: z.number().int().nonnegative(),
  bot_responses: z.number().int().nonnegative(),
  first_response_ms: ms,
  bot_first_response_ms: ms,
  queue_wait_ms: ms,
  handle_time_ms: ms,
  resolution_time_ms: ms,
  response_times: z.array(z.number().int()).max(MAX_RESPONSE_TIMES),
  bot_response_times: z.array(z.number().int()).max(MAX_RESPONSE_TIMES),
  reopen_count: z.number().int().nonnegative(),
  /** Outbound messages by their best delivery status (not stored in D1; the events table has the detail). */
  delivery: z.record(z.string(), z.number().int()).default({}),
  updated_at: z.number().int(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const conversationSummaryMessageSchema = z.object({
  kind: z.literal("conversation_summary"),
  summary: conversationSummarySchema,
});
export type ConversationSummaryMessage = z.infer<typeof conversationSummaryMessageSchema>;

/** Counts of outbound messages by their best delivery status. */
export function deliveryCounts(statuses: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(Object.keys(STATUS_RANK).map((s) => [s, 0]));
  for (const s of Object.values(statuses)) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}

/** The summary of a folded conversation. */
export function toSummary(
  c: Conversation,
  ids: { project_id: string; conversation_id: string; external_id: string | null },
  updatedAt: number,
): ConversationSummary {
  return {
    ...ids,
    state: c.state,
    agent_id: c.agent_id,
    opened_at: c.opened_at,
    queued_at: c.queued_at,
    assigned_at: c.assigned_at,
    resolved_at: c.resolved_at,
    last_event_at: c.last_event_at,
    messages_in: c.messages_in,
    messages_out: c.messages_out,
    bot_responses: c.bot_responses,
    first_response_ms: c.first_response_ms,
    bot_first_response_ms: c.bot_first_response_ms,
    queue_wait_ms: c.queue_wait_ms,
    handle_time_ms: c.handle_time_ms,
    resolution_time_ms: c.resolution_time_ms,
    response_times: c.response_times.slice(0, MAX_RESPONSE_TIMES),
    bot_response_times: c.bot_response_times.slice(0, MAX_RESPONSE_TIMES),
    reopen_count: c.reopen_count,
    delivery: deliveryCounts(c.statuses),
    updated_at: updatedAt,
  };
}
