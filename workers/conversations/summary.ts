import type { ConversationSummary } from "../contract";
import { MAX_CYCLES, MAX_RESPONSE_TIMES } from "../contract";
import { STATUS_RANK, type Conversation } from "./types";

// Per cycle, the first responses are kept (a Queue message holds at most 128 KB).
const CYCLE_RESPONSE_TIMES = 50;

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
    resolved_by: c.resolved_by,
    handoff_wait_ms: c.handoff_wait_ms,
    handoffs: c.handoffs,
    follow_ups: c.follow_ups,
    labels: c.labels,
    // The latest cycles, each with its own capped response times.
    cycles: c.cycles.slice(-MAX_CYCLES).map((cy) => ({
      ...cy,
      response_times: cy.response_times.slice(0, CYCLE_RESPONSE_TIMES),
      bot_response_times: cy.bot_response_times.slice(0, CYCLE_RESPONSE_TIMES),
    })),
    delivery: deliveryCounts(c.statuses),
    updated_at: updatedAt,
  };
}
