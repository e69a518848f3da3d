import { RESOLVERS } from "../contract";
import {
  bestStatus,
  newCycle,
  type Conversation,
  type ConversationCycle,
  type ConversationEvent,
  type ConversationState,
  type ResolvedBy,
} from "./types";

/**
 * The conversation state machine as a pure function: bot → queued (handoff requested) → agent
 * (assigned) → resolved, reopened when the customer writes again after resolution (unless it is a
 * short follow-up within the project's grace window). Each open and reopen is a cycle with its own
 * agent and metrics. Metrics are derived while folding events in time order, so the Durable Object
 * only persists and schedules. Definitions: docs/support-metrics.md.
 */

export type Action = "inbound" | "bot_reply" | "agent_reply" | "handoff" | "assign" | "resolve" | "status" | "other";

/** Settings of the project that change how events are read. */
export interface FoldOptions {
  /** A short customer message this soon after a (non-idle) resolution does not reopen. 0 = every message reopens. */
  followUpGraceMs: number;
}
export const DEFAULT_FOLD_OPTIONS: FoldOptions = { followUpGraceMs: 600_000 };

/** A follow-up is short text: at most this many characters (when the provider reports a length) and no media. */
export const FOLLOW_UP_MAX_CHARS = 80;

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
const MAX_LABELS = 50;

/**
 * Who resolved: an explicit `resolved_by`, else the reason (`idle` is the system's auto-close; a
 * reason naming the customer or the bot), else whoever owned the chat: an agent when one holds
 * it, the bot otherwise (no human touched this cycle).
 */
export function resolverOf(e: ConversationEvent, c: Conversation): ResolvedBy {
  const explicit = e.resolved_by?.toLowerCase();
  if (explicit && (RESOLVERS as readonly string[]).includes(explicit)) return explicit as ResolvedBy;
  const reason = e.reason?.toLowerCase() ?? "";
  if (reason === "idle" || reason === "timeout" || reason === "expired") return "idle";
  if (/customer|contact|user/.test(reason)) return "customer";
  if (/bot|automat|contain/.test(reason)) return "bot";
  if (e.agent_id || c.state === "agent" || (c.state === "queued" && current(c).agent_id)) return "agent";
  return "bot";
}

/** True for a customer message that is a follow-up ("thanks!") to the latest resolution rather than a new request. */
function isFollowUp(e: ConversationEvent, c: Conversation, o: FoldOptions): boolean {
  if (c.resolved_at === null || c.resolved_by === "idle" || o.followUpGraceMs <= 0) return false;
  if (e.timestamp - c.resolved_at > o.followUpGraceMs || e.has_media) return false;
  return e.content_length == null || e.content_length <= FOLLOW_UP_MAX_CHARS;
}

const current = (c: Conversation): ConversationCycle => c.cycles[c.cycles.length - 1];

/** The conversation after one more event (events must be applied in time order; see `fold`). */
export function transition(prev: Conversation, e: ConversationEvent, o: FoldOptions = DEFAULT_FOLD_OPTIONS): Conversation {
  const t = e.timestamp;
  const c: Conversation = { ...prev, last_event_at: max(prev.last_event_at, t) };
  const action = actionOf(e, prev.state);
  if (action === "status") {
    if (e.message_id && e.status) c.statuses = { ...c.statuses, [e.message_id]: bestStatus(c.statuses[e.message_id], e.status) };
    return c;
  }
  c.last_activity_at = max(prev.last_activity_at, t);
  if (c.opened_at === null) {
    c.opened_at = c.cycle_opened_at = t;
    c.cycles = [newCycle(0, t)];
  } else {
    c.cycles = [...c.cycles.slice(0, -1), { ...current(c) }];
  }
  if (e.labels?.length) c.labels = [...new Set([...c.labels, ...e.labels])].slice(0, MAX_LABELS);
  if (isMessage(action) && e.message_id) {
    // One message reported twice (message_sent + bot_response, or two providers) counts once.
    if (c.counted[e.message_id]) return c;
    c.counted = { ...c.counted, [e.message_id]: true };
    if (action !== "inbound") c.statuses = { ...c.statuses, [e.message_id]: bestStatus(c.statuses[e.message_id], "sent") };
  }
  switch (action) {
    case "inbound":
      // A CSAT answer (a survey reply the project maps to a score) is neither a new request nor a wait.
      if (e.csat_score != null) {
        c.messages_in++;
        return c;
      }
      if (c.state === "resolved") {
        if (isFollowUp(e, c, o)) {
          c.messages_in++;
          c.follow_ups++;
          return c;
        }
        reopen(c, t);
      }
      c.messages_in++;
      c.pending_since ??= t;
      c.human_pending_since ??= t;
      return c;
    case "bot_reply": {
      c.messages_out++;
      c.bot_responses++;
      if (c.pending_since !== null) {
        const rt = t - c.pending_since;
        const cy = current(c);
        c.bot_response_times = [...c.bot_response_times, rt];
        cy.bot_response_times = [...cy.bot_response_times, rt];
        c.bot_first_response_ms ??= rt;
        cy.bot_first_response_ms ??= rt;
        c.pending_since = null;
      }
      // A bot's reply (e.g. "connecting you to an agent") never answers for a human: the human clock keeps running.
      return c;
    }
    case "agent_reply": {
      c.messages_out++;
      if (c.state === "resolved") return c; // a follow-up (e.g. a survey) does not reopen
      if (c.state !== "agent") assign(c, t, e.agent_id, false);
      else if (e.agent_id && !current(c).agent_id) current(c).agent_id = c.agent_id = e.agent_id;
      if (c.human_pending_since !== null) {
        const rt = t - c.human_pending_since;
        const wait = t - Math.max(c.human_pending_since, c.human_since ?? c.human_pending_since);
        const cy = current(c);
        c.response_times = [...c.response_times, rt];
        cy.response_times = [...cy.response_times, rt];
        if (cy.first_response_ms === null) Object.assign(cy, { first_response_ms: rt, handoff_wait_ms: wait });
        if (c.first_response_ms === null) Object.assign(c, { first_response_ms: rt, handoff_wait_ms: wait });
      }
      c.pending_since = c.human_pending_since = null;
      return c;
    }
    case "handoff":
      if (c.state === "resolved") reopen(c, t);
      if (c.state === "bot") {
        Object.assign(c, { state: "queued", queued_at: t, human_since: t, handoffs: c.handoffs + 1 });
        current(c).queued_at = t;
      }
      return c;
    case "assign":
      if (c.state === "resolved") reopen(c, t);
      if (c.state !== "agent") assign(c, t, e.agent_id, true);
      else if (e.agent_id) current(c).agent_id = c.agent_id = e.agent_id; // reassignment keeps the cycle's assigned_at
      return c;
    case "resolve": {
      if (c.state === "resolved") return c;
      const by = resolverOf(e, c);
      const cy = current(c);
      if (!cy.agent_id && e.agent_id && by === "agent") cy.agent_id = c.agent_id = e.agent_id;
      c.state = "resolved";
      c.resolved_at = cy.resolved_at = t;
      c.resolved_by = cy.resolved_by = by;
      if (c.assigned_at !== null) {
        c.handle_time_ms = (c.handle_time_ms ?? 0) + t - c.assigned_at;
        cy.handle_time_ms = t - c.assigned_at;
      }
      const resolution = t - (c.cycle_opened_at ?? t);
      c.resolution_time_ms = (c.resolution_time_ms ?? 0) + resolution;
      cy.resolution_time_ms = resolution;
      c.pending_since = c.human_pending_since = null;
      return c;
    }
    default:
      return c;
  }
}

/** An agent takes over. An explicit assignment starts the human clock; an agent simply replying does not (we measure from the customer's message). */
function assign(c: Conversation, t: number, agentId: string | null | undefined, explicit: boolean) {
  const cy = current(c);
  if (c.state === "queued" && c.queued_at !== null) {
    c.queue_wait_ms = (c.queue_wait_ms ?? 0) + t - c.queued_at;
    cy.queue_wait_ms = t - c.queued_at;
  }
  c.state = "agent";
  c.assigned_at = cy.assigned_at = t;
  if (explicit) c.human_since ??= t;
  if (agentId) c.agent_id = cy.agent_id = agentId;
}

/**
 * A new cycle after resolution: milestones restart, counters and durations carry on. The previous
 * cycle keeps its agent; the conversation's `agent_id` stays the last agent who held it until a new one does.
 */
function reopen(c: Conversation, t: number) {
  Object.assign(c, {
    state: "bot",
    reopen_count: c.reopen_count + 1,
    cycle_opened_at: t,
    queued_at: null,
    assigned_at: null,
    resolved_at: null,
    resolved_by: null,
    human_since: null,
  });
  c.cycles = [...c.cycles, newCycle(c.cycles.length, t)];
}
