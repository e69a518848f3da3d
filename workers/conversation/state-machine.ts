import { bestStatus, type Conversation, type ConversationEvent, type ConversationState } from "./types";

/**
 * The conversation state machine as a pure function: bot → queued (handoff requested) → agent
 * (assigned) → resolved, reopened when the customer writes again after resolution. Metrics are
 * derived while folding events in time order, so the Durable Object only persists and schedules.
 */

export type Action = "inbound" | "bot_reply" | "agent_reply" | "handoff" | "assign" | "resolve" | "status" | "other";

/** What an event means; an outbound message of unknown sender is the agent's only while an agent owns the chat. */
export function actionOf(e: ConversationEvent, state: ConversationState): Action {
  switch (e.name) {
    case "message_received":
      return "inbound";
    case "bot_response":
      return "bot_reply";
    case "message_sent":
      if (e.direction === "inbound") return "inbound";
      if (e.sender === "bot") return "bot_reply";
      if (e.sender === "agent" || e.agent_id) return "agent_reply";
      return state === "agent" ? "agent_reply" : "bot_reply";
    case "handoff_requested":
      return "handoff";
    case "agent_assigned":
      return "assign";
    case "conversation_resolved":
      return "resolve";
    case "message_status":
      return "status";
    default:
      return "other";
  }
}

const max = (a: number | null, b: number) => (a === null ? b : Math.max(a, b));
const isMessage = (a: Action) => a === "inbound" || a === "bot_reply" || a === "agent_reply";

/** The conversation after one more event (events must be applied in time order; see `fold`). */
export function transition(prev: Conversation, e: ConversationEvent): Conversation {
  const t = e.timestamp;
  const c: Conversation = { ...prev, last_event_at: max(prev.last_event_at, t) };
  const action = actionOf(e, prev.state);
  if (action === "status") {
    if (e.message_id && e.status) c.statuses = { ...c.statuses, [e.message_id]: bestStatus(c.statuses[e.message_id], e.status) };
    return c;
  }
  c.last_activity_at = max(prev.last_activity_at, t);
  if (c.opened_at === null) c.opened_at = c.cycle_opened_at = t;
  if (isMessage(action) && e.message_id) {
    // One message reported twice (message_sent + bot_response, or two providers) counts once.
    if (c.counted[e.message_id]) return c;
    c.counted = { ...c.counted, [e.message_id]: true };
    if (action !== "inbound") c.statuses = { ...c.statuses, [e.message_id]: bestStatus(c.statuses[e.message_id], "sent") };
  }
  switch (action) {
    case "inbound":
      if (c.state === "resolved") reopen(c, t);
      c.messages_in++;
      c.pending_since ??= t;
      c.human_pending_since ??= t;
      return c;
    case "bot_reply":
      c.messages_out++;
      c.bot_responses++;
      if (c.pending_since !== null) {
        const rt = t - c.pending_since;
        c.bot_response_times = [...c.bot_response_times, rt];
        c.bot_first_response_ms ??= rt;
        c.pending_since = null;
      }
      // While the bot owns the chat its answer is the answer; once humans own it, the customer still waits for one.
      if (c.state === "bot") c.human_pending_since = null;
      return c;
    case "agent_reply":
      c.messages_out++;
      if (c.state === "resolved") return c; // a follow-up (e.g. a survey) does not reopen
      if (c.state !== "agent") assign(c, t, e.agent_id, false);
      if (c.human_pending_since !== null) {
        const rt = t - Math.max(c.human_pending_since, c.human_since ?? c.human_pending_since);
        c.response_times = [...c.response_times, rt];
        c.first_response_ms ??= rt;
      }
      c.pending_since = c.human_pending_since = null;
      return c;
    case "handoff":
      if (c.state === "resolved") reopen(c, t);
      if (c.state === "bot") Object.assign(c, { state: "queued", queued_at: t, human_since: t });
      return c;
    case "assign":
      if (c.state === "resolved") reopen(c, t);
      if (c.state !== "agent") assign(c, t, e.agent_id, true);
      else if (e.agent_id) c.agent_id = e.agent_id; // reassignment keeps the cycle's assigned_at
      return c;
    case "resolve":
      if (c.state === "resolved") return c;
      c.state = "resolved";
      c.resolved_at = t;
      if (c.assigned_at !== null) c.handle_time_ms = (c.handle_time_ms ?? 0) + t - c.assigned_at;
      c.resolution_time_ms = (c.resolution_time_ms ?? 0) + t - (c.cycle_opened_at ?? t);
      c.pending_since = c.human_pending_since = null;
      return c;
    default:
      return c;
  }
}

/** An agent takes over. An explicit assignment starts the human clock; an agent simply replying does not (we measure from the customer's message). */
function assign(c: Conversation, t: number, agentId: string | null | undefined, explicit: boolean) {
  if (c.state === "queued" && c.queued_at !== null) c.queue_wait_ms = (c.queue_wait_ms ?? 0) + t - c.queued_at;
  c.state = "agent";
  c.assigned_at = t;
  if (explicit) c.human_since ??= t;
  if (agentId) c.agent_id = agentId;
}

/** A new cycle after resolution: milestones restart, counters and durations carry on. */
function reopen(c: Conversation, t: number) {
  Object.assign(c, {
    state: "bot", reopen_count: c.reopen_count + 1, cycle_opened_at: t, queued_at: null, assigned_at: null,
    resolved_at: null, human_since: null, agent_id: null,
  });
}
