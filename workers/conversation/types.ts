/** Types of the conversation state machine (see state-machine.ts). */

export const STATES = ["bot", "queued", "agent", "resolved"] as const;
export type ConversationState = (typeof STATES)[number];

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
  /** Oldest customer message no human has answered (the bot answering while it owns the chat counts). */
  human_pending_since: number | null;
  /** When humans became responsible in this cycle: human metrics never count time before it. */
  human_since: number | null;
  first_response_ms: number | null;
  bot_first_response_ms: number | null;
  response_times: number[];
  bot_response_times: number[];
  queue_wait_ms: number | null;
  handle_time_ms: number | null;
  resolution_time_ms: number | null;
  reopen_count: number;
  /** Best delivery status per provider message id. */
  statuses: Record<string, string>;
  /** Provider message ids already counted. */
  counted: Record<string, true>;
}

/** A conversation before any event. */
export function initialConversation(): Conversation {
  return {
    state: "bot", agent_id: null, opened_at: null, cycle_opened_at: null, queued_at: null, assigned_at: null,
    resolved_at: null, last_event_at: null, last_activity_at: null, messages_in: 0, messages_out: 0, bot_responses: 0,
    pending_since: null, human_pending_since: null, human_since: null, first_response_ms: null,
    bot_first_response_ms: null, response_times: [], bot_response_times: [], queue_wait_ms: null,
    handle_time_ms: null, resolution_time_ms: null, reopen_count: 0, statuses: {}, counted: {},
  };
}

/** Delivery statuses never move backwards; `failed` wins only over `sent` (nothing later seen). */
export const STATUS_RANK: Record<string, number> = { sent: 1, failed: 1.5, delivered: 2, read: 3, played: 4 };

/** The higher of two delivery statuses. */
export function bestStatus(current: string | undefined, next: string): string {
  if (!(next in STATUS_RANK)) return current ?? next;
  if (!current || !(current in STATUS_RANK)) return next;
  return STATUS_RANK[next] > STATUS_RANK[current] ? next : current;
}
