import { describe, expect, it } from "vitest";
import { businessHoursSchema, conversationSummaryMessageSchema } from "../../workers/contract";
import { businessMs } from "../../workers/lib/business-hours";
import { withSla } from "../../workers/conversations/sla-summary";
import { toSummary } from "../../workers/conversations/summary";
import { cycleSla, newsworthyBreaches, pickPolicy, slaState, type SlaPolicy } from "../../workers/conversations/sla";
import { foldTimed } from "../../workers/conversations/timed-fold";
import type { ConversationEvent } from "../../workers/conversations/types";

const MIN = 60_000;
const H = 60 * MIN;
const policy = (over: Partial<SlaPolicy>): SlaPolicy => ({
  id: "p",
  label: null,
  priority: null,
  first_response_ms: null,
  resolution_ms: null,
  business_hours: false,
  changed_at: 0,
  ...over,
});

describe("pickPolicy", () => {
  const any = policy({ id: "any" });
  const vip = policy({ id: "vip", label: "vip" });
  const urgent = policy({ id: "urgent", priority: "urgent" });
  const vipUrgent = policy({ id: "vip-urgent", label: "vip", priority: "urgent" });
  it.each([
    [[], null, "any"],
    [["vip"], null, "vip"],
    [[], "urgent", "urgent"],
    [["vip", "billing"], "urgent", "vip-urgent"],
    [["billing"], "low", "any"],
  ] as const)("labels %j and priority %s get the policy %s", (labels, priority, id) => {
    expect(pickPolicy([any, vip, urgent, vipUrgent], [...labels], priority)?.id).toBe(id);
  });

  it("takes the first created among equally specific policies, and none when nothing matches", () => {
    expect(pickPolicy([policy({ id: "a", label: "x" }), policy({ id: "b", priority: "y" })], ["x"], "y")?.id).toBe("a");
    expect(pickPolicy([vip], [], null)).toBeNull();
  });
});

// Mon–Fri 09:00–17:00 UTC.
const office = businessHoursSchema.parse({
  timezone: "UTC",
  weekly: Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from: "09:00", to: "17:00" }]])),
});
const fri = Date.parse("2026-11-27T16:00:00Z");
const ev = (name: string, at: number, extra: Partial<ConversationEvent> = {}): ConversationEvent => ({
  event_id: `${name}-${at}-${Math.random()}`,
  name,
  timestamp: at,
  ...extra,
});

/** The SLA of the conversation's latest cycle at `now`. */
function slaOf(events: ConversationEvent[], p: SlaPolicy, now: number) {
  const { conversation: c, spans } = foldTimed(events);
  const i = c.cycles.length - 1;
  return cycleSla(c.cycles[i], spans[i], { policy: p, schedule: office, now });
}

describe("cycleSla", () => {
  // Customer writes Fri 16:00, handed off; an agent answers Mon 10:00 (2 business hours, 66 wall hours) and resolves Mon 11:00.
  const answered = [
    ev("message_received", fri, { direction: "inbound" }),
    ev("handoff_requested", fri),
    ev("message_sent", fri + 66 * H, { direction: "outbound", sender: "agent", agent_id: "ann" }),
    ev("conversation_resolved", fri + 67 * H, { agent_id: "ann" }),
  ];
  const target = { first_response_ms: 3 * H, resolution_ms: 3 * H };

  it("meets a 3 h target counted in business hours that it breaches on the wall clock", () => {
    const now = fri + 100 * H;
    expect(slaOf(answered, policy({ ...target, business_hours: true }), now)).toEqual({
      policy_id: "p",
      first_response: "met",
      resolution: "met",
      // 3 business hours from Fri 16:00: one on Friday, two on Monday from 09:00.
      first_response_due_at: Date.parse("2026-11-30T11:00:00Z"),
      resolution_due_at: Date.parse("2026-11-30T11:00:00Z"),
    });
    expect(slaOf(answered, policy(target), now)).toMatchObject({
      first_response: "breached",
      resolution: "breached",
      first_response_due_at: fri + 3 * H,
    });
  });

  it("is pending before the deadline and breached after it while the customer waits", () => {
    const waiting = answered.slice(0, 2);
    const p = policy({ first_response_ms: H });
    const before = slaOf(waiting, p, fri + 59 * MIN);
    expect(before).toMatchObject({ first_response: "pending", first_response_due_at: fri + H, resolution: null });
    expect(slaState(before)).toEqual({ breached: [], nextDue: fri + H });
    const after = slaOf(waiting, p, fri + H + 1);
    expect(slaState(after)).toEqual({ breached: ["first_response"], nextDue: null });
    // An event for it only when the policy existed before the deadline.
    expect(newsworthyBreaches(after, [p])).toEqual(["first_response"]);
    expect(newsworthyBreaches(after, [{ ...p, changed_at: fri + 2 * H }])).toEqual([]);
  });

  it("owes nothing for a cycle the bot handled alone, and nothing for one closed unanswered before its deadline", () => {
    const bot = [
      ev("message_received", fri, { direction: "inbound" }),
      ev("bot_response", fri + MIN),
      ev("conversation_resolved", fri + 2 * MIN),
    ];
    expect(slaOf(bot, policy(target), fri + 10 * H)).toBeNull();
    const closedEarly = [...answered.slice(0, 2), ev("conversation_resolved", fri + 30 * MIN, { reason: "customer_closed" })];
    expect(slaOf(closedEarly, policy({ first_response_ms: H }), fri + 10 * H)).toMatchObject({ first_response: null });
    const closedLate = [...answered.slice(0, 2), ev("conversation_resolved", fri + 2 * H, { reason: "customer_closed" })];
    expect(slaOf(closedLate, policy({ first_response_ms: H }), fri + 10 * H)).toMatchObject({ first_response: "breached" });
  });

  it("measures a reopened cycle from its own customer message", () => {
    const reopened = [
      ...answered,
      ev("message_received", fri + 80 * H, { direction: "inbound", content_length: 200 }),
      ev("handoff_requested", fri + 80 * H),
    ];
    expect(slaOf(reopened, policy({ first_response_ms: H }), fri + 80 * H + 30 * MIN)).toMatchObject({
      first_response: "pending",
      first_response_due_at: fri + 81 * H,
    });
  });
});

describe("the summary with business durations", () => {
  it("still fits a Queue message for a conversation with very many responses", () => {
    // 50 cycles of 50 customer messages, each answered by the bot within minutes and by an agent a day and a half later.
    const events: ConversationEvent[] = [];
    let t = Date.parse("2026-01-05T08:00:00Z");
    for (let cycle = 0; cycle < 50; cycle++) {
      for (let i = 0; i < 50; i++) {
        events.push(ev("message_received", t, { direction: "inbound", content_length: 500 }), ev("bot_response", t + 1_234_567));
        if (i === 0) events.push(ev("handoff_requested", t));
        events.push(ev("message_sent", t + 123_456_789, { direction: "outbound", sender: "agent", agent_id: "ann" }));
        t += 130_000_000;
      }
      events.push(ev("conversation_resolved", t, { agent_id: "ann" }));
      t += 2 * H;
    }
    const { conversation, spans } = foldTimed(events);
    const ids = { project_id: "demo", conversation_id: "wa:demo:big", external_id: "+254700000000" };
    const { summary } = withSla(
      toSummary(conversation, ids, t),
      conversation,
      spans,
      { schedule: office, policies: [policy({ first_response_ms: H })] },
      t,
    );
    const message = conversationSummaryMessageSchema.parse({ kind: "conversation_summary", summary });
    expect(JSON.stringify(message).length).toBeLessThan(128_000);
    // Trimmed, the business copies keep the first responses: the first agent reply came 123,456,789 ms after a Monday 08:00 message.
    expect(message.summary.business?.response_times.length).toBeGreaterThan(0);
    expect(message.summary.business?.response_times[0]).toBe(
      businessMs(office, Date.parse("2026-01-05T08:00:00Z"), Date.parse("2026-01-05T08:00:00Z") + 123_456_789),
    );
  });
});

describe("closed cycles keep their figures", () => {
  const ids = { project_id: "demo", conversation_id: "wa:demo:kept", external_id: null };
  // Cycle 0 closes Monday 11:00; cycle 1 opens Monday 14:00 and is still waiting.
  const cycle0 = [
    ev("message_received", fri, { direction: "inbound" }),
    ev("handoff_requested", fri),
    ev("message_sent", fri + 66 * H, { direction: "outbound", sender: "agent", agent_id: "ann" }),
    ev("conversation_resolved", fri + 67 * H, { agent_id: "ann" }),
  ];
  const cycle1 = [
    ev("message_received", fri + 70 * H, { direction: "inbound", content_length: 200 }),
    ev("handoff_requested", fri + 70 * H),
  ];
  const run = (events: ConversationEvent[], o: Parameters<typeof withSla>[3], frozen?: Parameters<typeof withSla>[5]) => {
    const { conversation, spans } = foldTimed(events);
    return withSla(toSummary(conversation, ids, 1), conversation, spans, o, fri + 72 * H, frozen);
  };

  it("keeps the schedule and policy a cycle closed with when they change later", () => {
    const first = run([...cycle0, ...cycle1], { schedule: office, policies: [policy({ first_response_ms: 3 * H, business_hours: true })] });
    expect(first.summary.cycles[0]).toMatchObject({ business: { first_response_ms: 2 * H }, sla: { first_response: "met" } });
    // Business hours removed and the target cut to 1 h: the closed cycle keeps 2 h and "met"; the open one takes the new rules.
    const strict = policy({ id: "strict", first_response_ms: H });
    const later = run([...cycle0, ...cycle1], { schedule: null, policies: [strict] }, first.frozen);
    expect(later.summary.cycles[0]).toMatchObject({
      business: { first_response_ms: 2 * H },
      sla: { policy_id: "p", first_response: "met" },
    });
    expect(later.summary.cycles[1].sla).toMatchObject({
      policy_id: "strict",
      first_response: "breached",
      first_response_due_at: fri + 71 * H,
    });
    expect(later.summary.business?.first_response_ms).toBe(2 * H);
  });

  it("computes a closed cycle again when a late event changes it", () => {
    const first = run(cycle0, { schedule: office, policies: [] });
    // An earlier customer message arrives late: Friday 15:00, so the first response now counts 3 business hours.
    const late = run(
      [ev("message_received", fri - H, { direction: "inbound" }), ...cycle0],
      { schedule: office, policies: [] },
      first.frozen,
    );
    expect(late.summary.cycles[0].business?.first_response_ms).toBe(3 * H);
  });
});
