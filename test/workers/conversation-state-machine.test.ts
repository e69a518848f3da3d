import { describe, expect, it } from "vitest";
import { fold } from "../../workers/conversations/fold";
import { transition, type FoldOptions } from "../../workers/conversations/state-machine";
import { bestStatus, initialConversation, type ConversationEvent, type ConversationState } from "../../workers/conversations/types";

/** Every customer message after a resolution reopens (the follow-up grace window has its own tests). */
const NO_GRACE: FoldOptions = { followUpGraceMs: 0 };
const T0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const sec = (s: number) => T0 + s * 1000;
let n = 0;
const ev = (name: string, at: number, over: Partial<ConversationEvent> = {}): ConversationEvent => ({
  event_id: `e${n++}`,
  name,
  timestamp: sec(at),
  ...over,
});

/** A conversation brought into `state` by events at t = 0..2 s. */
const PREFIX: Record<ConversationState, ConversationEvent[]> = {
  bot: [ev("message_received", 0)],
  queued: [ev("message_received", 0), ev("handoff_requested", 1)],
  agent: [ev("message_received", 0), ev("agent_assigned", 1, { agent_id: "ag-1" })],
  resolved: [ev("message_received", 0), ev("conversation_resolved", 2)],
};

// Every state × every event: the state after the event (at t = 10 s).
const TABLE: [string, Partial<ConversationEvent>, Record<ConversationState, ConversationState>][] = [
  ["message_received", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "bot" }],
  ["message_sent", { sender: "bot" }, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["message_sent", { sender: "agent", agent_id: "ag-2" }, { bot: "agent", queued: "agent", agent: "agent", resolved: "resolved" }],
  ["message_sent", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["message_status", { status: "read", message_id: "m1" }, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["first_contact", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["consent_changed", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["conversation_started", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["bot_response", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["handoff_requested", {}, { bot: "queued", queued: "queued", agent: "agent", resolved: "queued" }],
  ["agent_assigned", { agent_id: "ag-2" }, { bot: "agent", queued: "agent", agent: "agent", resolved: "agent" }],
  ["webview_opened", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
  ["conversation_resolved", {}, { bot: "resolved", queued: "resolved", agent: "resolved", resolved: "resolved" }],
  ["some_future_event", {}, { bot: "bot", queued: "queued", agent: "agent", resolved: "resolved" }],
];

describe("conversation state machine: every state × event", () => {
  const cases = TABLE.flatMap(([name, over, next]) =>
    (Object.keys(next) as ConversationState[]).map((from) => [from, name, JSON.stringify(over), next[from]] as const),
  );
  it.each(cases)("%s + %s %s → %s", (from, name, over, to) => {
    const before = fold(PREFIX[from], NO_GRACE);
    expect(before.state).toBe(from);
    const after = transition(before, ev(name, 10, JSON.parse(over)), NO_GRACE);
    expect(after.state).toBe(to);
    expect(before.state).toBe(from); // pure: the input is untouched
    if (from === "resolved" && to !== "resolved") expect(after.reopen_count).toBe(1);
  });
});

describe("conversation metrics", () => {
  // Customer writes at 0 s, bot answers at 2 s, customer writes at 10 s, bot hands off at 20 s,
  // agent is assigned at 80 s and answers at 100 s, customer at 110 s, agent at 130 s, resolved at 300 s.
  const journey = () => [
    ev("conversation_started", 0),
    ev("message_received", 0, { message_id: "in1" }),
    ev("bot_response", 2, { message_id: "out1" }),
    ev("message_sent", 2, { message_id: "out1", sender: "bot" }),
    ev("message_received", 10, { message_id: "in2" }),
    ev("handoff_requested", 20),
    ev("bot_response", 21, { message_id: "out2" }), // "an agent will be with you shortly"
    ev("agent_assigned", 80, { agent_id: "ag-7" }),
    ev("message_sent", 100, { message_id: "out3", agent_id: "ag-7", sender: "agent" }),
    ev("message_received", 110, { message_id: "in3" }),
    ev("message_sent", 130, { message_id: "out4", sender: "agent" }),
    ev("conversation_resolved", 300),
  ];

  it("measures bot and human response times separately; the bot's replies do not stop the human clock", () => {
    const c = fold(journey());
    expect(c).toMatchObject({
      state: "resolved",
      agent_id: "ag-7",
      opened_at: sec(0),
      queued_at: sec(20),
      assigned_at: sec(80),
      resolved_at: sec(300),
      messages_in: 3,
      messages_out: 4,
      bot_responses: 2,
      bot_first_response_ms: 2000,
      bot_response_times: [2000, 11_000],
      // The customer's first message (0 s) waited for a human until 100 s; from the handoff at 20 s it was 80 s.
      first_response_ms: 100_000,
      handoff_wait_ms: 80_000,
      response_times: [100_000, 20_000],
      queue_wait_ms: 60_000,
      handle_time_ms: 220_000,
      resolution_time_ms: 300_000,
    });
  });

  it("gives the same result whatever order and however often the events arrive", () => {
    const events = journey();
    const expected = fold(events);
    const shuffled = [...events].reverse();
    // The same events (same ids) delivered again, interleaved.
    const withDuplicates = [...events, ...events.slice(3, 8)].sort(() => 0.5 - Math.random());
    expect(fold(shuffled)).toEqual(expected);
    expect(fold(withDuplicates)).toEqual(expected);
  });

  it("measures an agent-only conversation from the customer's message", () => {
    const c = fold([ev("message_received", 0), ev("message_sent", 45, { sender: "agent", agent_id: "ag-1" })]);
    expect(c).toMatchObject({ state: "agent", first_response_ms: 45_000, bot_first_response_ms: null, queue_wait_ms: null });
  });

  it("reopens on a new inbound message and adds up durations over cycles", () => {
    const c = fold(
      [
        ev("message_received", 0),
        ev("agent_assigned", 10, { agent_id: "a" }),
        ev("conversation_resolved", 40),
        ev("message_received", 100),
        ev("handoff_requested", 105),
        ev("agent_assigned", 115, { agent_id: "b" }),
        ev("conversation_resolved", 160),
      ],
      NO_GRACE,
    );
    expect(c).toMatchObject({
      state: "resolved",
      reopen_count: 1,
      agent_id: "b",
      queued_at: sec(105),
      assigned_at: sec(115),
      resolved_at: sec(160),
      queue_wait_ms: 10_000,
      handle_time_ms: 30_000 + 45_000,
      resolution_time_ms: 40_000 + 60_000,
    });
  });

  it("does not reopen for an outbound follow-up after resolution", () => {
    const c = fold([ev("message_received", 0), ev("conversation_resolved", 5), ev("message_sent", 9, { sender: "agent" })]);
    expect(c).toMatchObject({ state: "resolved", reopen_count: 0, messages_out: 1 });
  });
});

describe("delivery status", () => {
  it.each([
    [["sent", "delivered", "read"], "read"],
    [["read", "delivered", "sent"], "read"],
    [["delivered", "read", "played"], "played"],
    [["sent", "failed"], "failed"],
    [["failed", "sent"], "failed"],
    [["failed", "delivered"], "delivered"],
    [["read", "failed"], "read"],
  ])("%j ends as %s, never moving backwards", (statuses, final) => {
    const c = [
      ev("message_sent", 0, { message_id: "m", sender: "bot" }),
      ...statuses.map((s, i) => ev("message_status", i + 1, { status: s, message_id: "m" })),
    ].reduce((c, e) => transition(c, e), initialConversation());
    expect(c.statuses.m).toBe(final);
    expect(bestStatus(final, "sent")).toBe(final);
  });

  it("keeps the state when statuses arrive, and they do not count as activity", () => {
    const c = fold([ev("message_received", 0), ev("message_status", 50, { status: "read", message_id: "x" })]);
    expect(c).toMatchObject({ state: "bot", last_activity_at: sec(0), last_event_at: sec(50) });
  });
});
