import { describe, expect, it } from "vitest";
import { fold } from "../../workers/conversations/fold";
import type { FoldOptions } from "../../workers/conversations/state-machine";
import type { ConversationEvent } from "../../workers/conversations/types";

/**
 * The definitions of docs/support-metrics.md, one hand-built conversation per row. Each row's
 * expected figures are written out by hand from the timeline in its comment (seconds from T0).
 */
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const S = 1000;
let n = 0;
const ev = (name: string, at: number, over: Partial<ConversationEvent> = {}): ConversationEvent => ({
  event_id: `d${n++}`,
  name,
  timestamp: T0 + at * S,
  ...over,
});
const GRACE: FoldOptions = { followUpGraceMs: 600 * S };
const agentSays = (at: number, agent = "ann") => ev("message_sent", at, { sender: "agent", agent_id: agent });
const customer = (at: number, over: Partial<ConversationEvent> = {}) => ev("message_received", at, over);

type Row = {
  name: string;
  events: ConversationEvent[];
  options?: FoldOptions;
  expected: Record<string, unknown>;
  cycles?: Record<string, unknown>[];
};

const ROWS: Row[] = [
  {
    // 0 customer, 3 bot "connecting you to an agent", 4 handoff, 30 ann assigned, 90 ann answers, 200 ann resolves.
    name: "a bot's acknowledgement before the handoff does not stop the first-response clock",
    events: [
      customer(0),
      ev("bot_response", 3, { sender: "bot" }),
      ev("handoff_requested", 4),
      ev("agent_assigned", 30, { agent_id: "ann" }),
      agentSays(90),
      ev("conversation_resolved", 200, { agent_id: "ann" }),
    ],
    expected: {
      first_response_ms: 90 * S,
      handoff_wait_ms: 86 * S,
      queue_wait_ms: 26 * S,
      resolved_by: "agent",
      agent_id: "ann",
      bot_first_response_ms: 3 * S,
    },
    cycles: [
      {
        agent_id: "ann",
        resolved_by: "agent",
        first_response_ms: 90 * S,
        handoff_wait_ms: 86 * S,
        handle_time_ms: 170 * S,
        resolution_time_ms: 200 * S,
      },
    ],
  },
  {
    // 0 customer, 2 bot answers, 50 customer again, 55 handoff, 70 ben answers: the clock runs from 0, the handoff wait from 55.
    name: "the clock runs from the first customer message no human answered",
    events: [customer(0), ev("bot_response", 2, { sender: "bot" }), customer(50), ev("handoff_requested", 55), agentSays(70, "ben")],
    expected: { first_response_ms: 70 * S, handoff_wait_ms: 15 * S, response_times: [70 * S], state: "agent", agent_id: "ben" },
  },
  {
    // 0 customer, 5 ann assigned, 20 ann answers, 60 resolved by ann, 120 "thanks!" (7 chars): a follow-up, no reopen.
    name: "a short customer follow-up within the grace window does not reopen",
    events: [
      customer(0),
      ev("agent_assigned", 5, { agent_id: "ann" }),
      agentSays(20),
      ev("conversation_resolved", 60, { agent_id: "ann" }),
      customer(120, { content_length: 7 }),
    ],
    expected: {
      state: "resolved",
      reopen_count: 0,
      follow_ups: 1,
      messages_in: 2,
      resolved_by: "agent",
      agent_id: "ann",
      resolved_at: T0 + 60 * S,
    },
    cycles: [{ agent_id: "ann", resolved_by: "agent" }],
  },
  {
    // The same "thanks!" 601 s after the resolution reopens; 24 h later the idle close ends cycle 1; cycle 0 stays ann's.
    name: "a message after the grace window reopens; each cycle keeps its agent; the idle close is idle's",
    events: [
      customer(0),
      ev("agent_assigned", 5, { agent_id: "ann" }),
      agentSays(20),
      ev("conversation_resolved", 60, { agent_id: "ann" }),
      customer(661, { content_length: 7 }),
      ev("conversation_resolved", 661 + 86_400, { reason: "idle", resolved_by: "idle" }),
    ],
    expected: { state: "resolved", reopen_count: 1, follow_ups: 0, resolved_by: "idle", agent_id: "ann" },
    cycles: [
      { cycle: 0, agent_id: "ann", resolved_by: "agent", resolution_time_ms: 60 * S },
      { cycle: 1, agent_id: null, resolved_by: "idle", resolution_time_ms: 86_400 * S },
    ],
  },
  {
    // A long message (200 chars) or a photo within the window is a new request: both reopen.
    name: "a long message or media within the grace window reopens",
    events: [customer(0), agentSays(10), ev("conversation_resolved", 30, { agent_id: "ann" }), customer(40, { content_length: 200 })],
    expected: { state: "bot", reopen_count: 1, follow_ups: 0, agent_id: "ann" },
  },
  {
    name: "media within the grace window reopens",
    events: [
      customer(0),
      agentSays(10),
      ev("conversation_resolved", 30, { agent_id: "ann" }),
      customer(40, { has_media: true, content_length: 0 }),
    ],
    expected: { state: "bot", reopen_count: 1 },
  },
  {
    // Grace 0 (the project turned it off): every customer message after a resolution reopens.
    name: "a zero grace window reopens on any message",
    events: [customer(0), agentSays(10), ev("conversation_resolved", 30), customer(31, { content_length: 3 })],
    options: { followUpGraceMs: 0 },
    expected: { state: "bot", reopen_count: 1 },
  },
  {
    // After an idle close the customer coming back is a new request, however short and soon.
    name: "no grace after an idle close",
    events: [customer(0), ev("conversation_resolved", 86_400, { reason: "idle" }), customer(86_430, { content_length: 5 })],
    expected: { state: "bot", reopen_count: 1 },
  },
  {
    // 0 customer, 4 bot answers, 30 resolved with no human: the bot's.
    name: "a resolution without a human is the bot's",
    events: [customer(0), ev("bot_response", 4, { sender: "bot" }), ev("conversation_resolved", 30)],
    expected: { resolved_by: "bot", first_response_ms: null, handoff_wait_ms: null, agent_id: null, handoffs: 0 },
    cycles: [{ resolved_by: "bot", resolution_time_ms: 30 * S, bot_first_response_ms: 4 * S }],
  },
  {
    name: "a resolution the customer closed is the customer's",
    events: [customer(0), ev("handoff_requested", 2), ev("conversation_resolved", 30, { reason: "customer_closed" })],
    expected: { resolved_by: "customer", handoffs: 1 },
  },
  {
    name: "an explicit resolved_by wins",
    events: [customer(0), ev("agent_assigned", 2, { agent_id: "ann" }), ev("conversation_resolved", 30, { resolved_by: "customer" })],
    expected: { resolved_by: "customer", agent_id: "ann" },
  },
];

describe("support metric definitions", () => {
  it.each(ROWS.map((r) => [r.name, r] as const))("%s", (_name, row) => {
    const c = fold(row.events, row.options ?? GRACE);
    expect(c).toMatchObject(row.expected);
    if (row.cycles) {
      expect(c.cycles).toHaveLength(row.cycles.length);
      row.cycles.forEach((cy, i) => expect(c.cycles[i]).toMatchObject(cy));
    }
    // Out of order and with duplicates, the same answer.
    expect(fold([...row.events].reverse().concat(row.events.slice(0, 2)), row.options ?? GRACE)).toEqual(c);
  });
});
