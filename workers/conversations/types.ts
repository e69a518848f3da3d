/** Types of the conversation state machine (see state-machine.ts). */

import { FAILED_STATUSES, type ConversationCycle, type ConversationState, type ResolvedBy } from "../contract";

export type { ConversationCycle, ConversationState, ResolvedBy };

/** The parts of a WhatsApp event the state machine reads (see `toConversationEvent`). */
export interface ConversationEvent {
  event_id: string;
  name: string;
  timestamp: number;
  direction?: "inbound" | "outbound" | null;
  /** Who sent an outbound message, when the producer knows. */
  sender?: "bot" | "agent" | null;
  agent_id?: string | null;
  status?: string | null;
  /** Provider message id: dedups one message reported twice (e.g. message_sent + bot_response). */
  message_id?: string | null;
  reason?: string | null;
  /** Inbound message size and media flag: a short text within the grace window is a follow-up. */
  content_length?: number | null;
  has_media?: boolean | null;
  /** An explicit resolver on `conversation_resolved` (CRM `resolved_by`), else derived. */
  resolved_by?: string | null;
  /** Set on a customer reply that is a CSAT score (workers/conversations/csat.ts). */
  csat_score?: number | null;
  /** Labels the event puts on the conversation (CRM / helpdesk tags). */
  labels?: string[] | null;
  /** A priority the helpdesk or CRM gives the conversation (SLA policies can target it). */
  priority?: string | null;
}

export interface Conversation {
  state: ConversationState;
  agent_id: string | null;
  opened_at: number | null;
  /** Start of the current cycle (the first open, or the latest reopen). */
  cycle_opened_at: number | null;
  queued_at: number | null;
  assigned_at: number | null;
  resolved_at: number | null;
  last_event_at: number | null;
  /** Last event that is conversation activity (delivery receipts are not): drives the idle timer. */
  last_activity_at: number | null;
  messages_in: number;
  messages_out: number;
  bot_responses: number;
  /** Oldest customer message nobody has answered yet. */
  pending_since: number | null;
  /** Oldest customer message of this cycle no human has answered (a bot's reply does not answer it). */
  human_pending_since: number | null;
  /** When humans became responsible in this cycle (handoff, else explicit assignment): "wait since handoff" starts here. */
  human_since: number | null;
  first_response_ms: number | null;
  bot_first_response_ms: number | null;
  response_times: number[];
  bot_response_times: number[];
  queue_wait_ms: number | null;
  handle_time_ms: number | null;
  resolution_time_ms: number | null;
  reopen_count: number;
  /** The conversation's first human response measured from the handoff (or explicit assignment). */
  handoff_wait_ms: number | null;
  /** Who resolved the latest cycle (null while open). */
  resolved_by: ResolvedBy | null;
  handoffs: number;
  /** Short customer messages within the grace window after a resolution (not reopens). */
  follow_ups: number;
  labels: string[];
  /** Every cycle, the current one last. */
  cycles: ConversationCycle[];
  /** Best delivery status per provider message id. */
  statuses: Record<string, string>;
  /** Provider message ids already counted. */
  counted: Record<string, true>;
}

/** A conversation before any event. */
export function initialConversation(): Conversation {
  return {
    state: "bot",
    agent_id: null,
    opened_at: null,
    cycle_opened_at: null,
    queued_at: null,
    assigned_at: null,
    resolved_at: null,
    last_event_at: null,
    last_activity_at: null,
    messages_in: 0,
    messages_out: 0,
    bot_responses: 0,
    pending_since: null,
    human_pending_since: null,
    human_since: null,
    first_response_ms: null,
    bot_first_response_ms: null,
    response_times: [],
    bot_response_times: [],
    queue_wait_ms: null,
    handle_time_ms: null,
    resolution_time_ms: null,
    reopen_count: 0,
    handoff_wait_ms: null,
    resolved_by: null,
    handoffs: 0,
    follow_ups: 0,
    labels: [],
    cycles: [],
    statuses: {},
    counted: {},
  };
}

/** A cycle opened at `t`. */
export function newCycle(cycle: number, t: number): ConversationCycle {
  return {
    cycle,
    agent_id: null,
    opened_at: t,
    queued_at: null,
    assigned_at: null,
    resolved_at: null,
    resolved_by: null,
    first_response_ms: null,
    handoff_wait_ms: null,
    queue_wait_ms: null,
    handle_time_ms: null,
    resolution_time_ms: null,
    bot_first_response_ms: null,
    response_times: [],
    bot_response_times: [],
  };
}

/**
 * Delivery statuses never move backwards; a failure (FAILED_STATUSES) wins only over `sent`
 * (nothing later seen); a status Junction does not know ranks below `sent`.
 */
export const STATUS_RANK: Record<string, number> = {
  sent: 1,
  ...Object.fromEntries(FAILED_STATUSES.map((s) => [s, 1.5])),
  delivered: 2,
  read: 3,
  played: 4,
};
const UNKNOWN_RANK = 0.5;
const rank = (s: string) => STATUS_RANK[s] ?? UNKNOWN_RANK;

/** The higher of two delivery statuses (the current one on a tie). */
export function bestStatus(current: string | undefined, next: string): string {
  if (!current) return next;
  return rank(next) > rank(current) ? next : current;
}
