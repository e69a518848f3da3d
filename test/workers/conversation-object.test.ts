import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  runDurableObjectAlarm,
  runInDurableObject,
} from "cloudflare:test";
import { consume } from "../../workers/consumer";
import { ConversationDO } from "../../workers/conversations";
import type { ConversationSummary } from "../../workers/contract";
import { describe, expect, it } from "vitest";
import { enqueue } from "../../workers/lib/queue";
import { conversationRow, conversationStub, newConversation, waEvent } from "./conversation-helpers";
import { countEvents, waitFor } from "./helpers";

const MIN = 60_000;

describe("ConversationDO", { timeout: 30_000 }, () => {
  it("computes metrics over RPC and writes the summary to D1", async () => {
    const conv = newConversation();
    const t = Date.now() - 30 * MIN;
    const stub = conversationStub(conv.conversationId);
    const summary = await stub.apply([
      waEvent(conv, "message_received", t, { direction: "inbound", provider_message_id: "wamid.in1" }),
      waEvent(conv, "bot_response", t + 3_000, { direction: "outbound", provider_message_id: "wamid.o1" }),
      waEvent(conv, "handoff_requested", t + 60_000),
      waEvent(conv, "agent_assigned", t + 2 * MIN, { agent_id: "agent-9" }),
      waEvent(conv, "message_received", t + 3 * MIN, { direction: "inbound", provider_message_id: "wamid.in2" }),
      waEvent(conv, "message_sent", t + 4 * MIN, {
        direction: "outbound",
        sender: "agent",
        agent_id: "agent-9",
        provider_message_id: "wamid.o2",
      }),
      waEvent(conv, "conversation_resolved", t + 10 * MIN),
    ]);
    expect(summary).toMatchObject({
      state: "resolved",
      agent_id: "agent-9",
      external_id: conv.phone,
      messages_in: 2,
      messages_out: 2,
      bot_responses: 1,
      // The bot's 3 s reply does not answer for a human: 4 min from the first message, 3 min from the handoff.
      bot_first_response_ms: 3_000,
      first_response_ms: 4 * MIN,
      handoff_wait_ms: 3 * MIN,
      response_times: [4 * MIN],
      bot_response_times: [3_000],
      resolved_by: "agent",
      queue_wait_ms: MIN,
      handle_time_ms: 8 * MIN,
      resolution_time_ms: 10 * MIN,
      opened_at: t,
      resolved_at: t + 10 * MIN,
    });

    const row = await waitFor(() => conversationRow(conv.conversationId));
    expect(row).toMatchObject({
      project_id: "demo",
      external_id: conv.phone,
      state: "resolved",
      agent_id: "agent-9",
      messages_in: 2,
      messages_out: 2,
      bot_responses: 1,
      first_response_ms: 4 * MIN,
      handoff_wait_ms: 3 * MIN,
      bot_first_response_ms: 3_000,
      queue_wait_ms: MIN,
      handle_time_ms: 8 * MIN,
      resolution_time_ms: 10 * MIN,
      queued_at: t + MIN,
      assigned_at: t + 2 * MIN,
      reopen_count: 0,
      resolved_by: "agent",
    });
    expect(JSON.parse(row.response_times_json as string)).toEqual([4 * MIN]);
    const cycle = await waitFor(() =>
      env.DB.prepare("SELECT * FROM conversation_cycles WHERE project_id = 'demo' AND conversation_id = ?")
        .bind(conv.conversationId)
        .first<Record<string, unknown>>(),
    );
    expect(cycle).toMatchObject({
      cycle: 0,
      agent_id: "agent-9",
      resolved_by: "agent",
      first_response_ms: 4 * MIN,
      handoff_wait_ms: 3 * MIN,
      handle_time_ms: 8 * MIN,
    });
    expect(JSON.parse(row.bot_response_times_json as string)).toEqual([3_000]);
  });

  it("ignores duplicates and recomputes when an earlier event arrives late", async () => {
    const conv = newConversation();
    const t = Date.now() - 20 * MIN;
    const stub = conversationStub(conv.conversationId);
    const inbound = waEvent(conv, "message_received", t, { direction: "inbound" });
    const reply = waEvent(conv, "message_sent", t + 5 * MIN, { direction: "outbound", sender: "agent", agent_id: "a1" });
    await stub.apply([reply]);
    await stub.apply([reply, reply]);
    const late = await stub.apply([inbound, reply]);
    expect(late).toMatchObject({ state: "agent", messages_in: 1, messages_out: 1, first_response_ms: 5 * MIN, opened_at: t });
    const stored = await runInDurableObject(stub, (_obj, state) => state.storage.sql.exec("SELECT count(*) AS n FROM seen").one().n);
    expect(stored).toBe(2);
    await waitFor(async () => (await conversationRow(conv.conversationId))?.first_response_ms === 5 * MIN);
  });

  it("loses no state when its instance is replaced mid-conversation (eviction, restart)", async () => {
    const conv = newConversation();
    const t = Date.now() - 40 * MIN;
    const events = [
      waEvent(conv, "message_received", t, { direction: "inbound", provider_message_id: "wamid.r1" }),
      waEvent(conv, "handoff_requested", t + MIN),
      waEvent(conv, "agent_assigned", t + 2 * MIN, { agent_id: "agent-r" }),
      waEvent(conv, "message_sent", t + 5 * MIN, {
        direction: "outbound",
        sender: "agent",
        agent_id: "agent-r",
        provider_message_id: "wamid.r2",
      }),
      waEvent(conv, "message_received", t + 6 * MIN, { direction: "inbound", provider_message_id: "wamid.r3" }),
      waEvent(conv, "message_sent", t + 8 * MIN, {
        direction: "outbound",
        sender: "agent",
        agent_id: "agent-r",
        provider_message_id: "wamid.r4",
      }),
    ];
    // One conversation fed in two halves with a fresh instance in between (what workerd builds after
    // an eviction: same durable storage, empty memory), the other fed whole by one instance.
    const restarted = conversationStub(conv.conversationId);
    await restarted.apply(events.slice(0, 3));
    const beforeRestart = await restarted.summary();
    const fresh = await runInDurableObject(restarted, async (_obj, state) => {
      const instance = new ConversationDO(state, env);
      const summary = await instance.summary();
      return { summary, after: await instance.apply(events.slice(3)) };
    });
    // `updated_at` is when a summary was computed; everything else must be the same.
    const state = (s: ConversationSummary | null) => s && { ...s, updated_at: 0 };
    expect(state(fresh.summary)).toEqual(state(beforeRestart));

    const other = newConversation();
    const whole = await conversationStub(other.conversationId).apply(
      events.map((e) => waEvent(other, e.event_name, e.timestamp, e.properties as Record<string, unknown>)),
    );
    const comparable = (s: ConversationSummary | null) => s && { ...state(s), conversation_id: "", external_id: "" };
    expect(comparable(fresh.after)).toEqual(comparable(whole));
    expect(fresh.after).toMatchObject({
      state: "agent",
      agent_id: "agent-r",
      messages_in: 2,
      messages_out: 2,
      first_response_ms: 5 * MIN,
      response_times: [5 * MIN, 2 * MIN],
    });
    // The replacement's summary is the one D1 ends up with.
    await waitFor(async () => {
      const row = await conversationRow(conv.conversationId);
      return row?.messages_out === 2 && row.first_response_ms === 5 * MIN && row.response_times_json === JSON.stringify([5 * MIN, 2 * MIN]);
    });
  });

  it("never moves a message's delivery status backwards", async () => {
    const conv = newConversation();
    const t = Date.now() - 5 * MIN;
    const m = { provider_message_id: "wamid.status-1" };
    const stub = conversationStub(conv.conversationId);
    await stub.apply([waEvent(conv, "message_sent", t, { direction: "outbound", sender: "bot", ...m })]);
    await stub.apply([waEvent(conv, "message_status", t + 3_000, { status: "read", ...m })]);
    const after = await stub.apply([
      waEvent(conv, "message_status", t + 2_000, { status: "delivered", ...m }),
      waEvent(conv, "message_status", t + 4_000, { status: "failed", ...m }),
    ]);
    expect(after?.delivery).toMatchObject({ read: 1, delivered: 0, failed: 0, sent: 0 });
  });

  it("is fed by WhatsApp events on the Queue, once per event however often they are delivered", async () => {
    const conv = newConversation();
    const t = Date.now() - 10 * MIN;
    const events = [
      waEvent(conv, "message_received", t, { direction: "inbound" }),
      waEvent(conv, "bot_response", t + 2_000, { direction: "outbound" }),
      waEvent(conv, "message_received", t + 60_000, { direction: "inbound" }),
    ];
    await enqueue(
      env.EVENTS,
      events.map((event) => ({ kind: "event", event })),
    );
    await enqueue(
      env.EVENTS,
      events.slice(1).map((event) => ({ kind: "event", event })),
    );
    const row = await waitFor(async () => {
      const r = await conversationRow(conv.conversationId);
      return r?.messages_in === 2 ? r : null;
    });
    expect(row).toMatchObject({ state: "bot", messages_in: 2, messages_out: 1, bot_responses: 1, bot_first_response_ms: 2_000 });
  });

  it("resolves an idle conversation from its alarm and stores a conversation_resolved event", async () => {
    const conv = newConversation();
    const idleMs = Number(env.CONVERSATION_IDLE_SECONDS) * 1000;
    const t = Date.now() - idleMs - 60 * MIN;
    const stub = conversationStub(conv.conversationId);
    await stub.apply([
      waEvent(conv, "message_received", t, { direction: "inbound" }),
      waEvent(conv, "message_sent", t + MIN, { direction: "outbound", sender: "agent", agent_id: "a2" }),
    ]);
    // The deadline has passed, so the scheduled alarm may already be running (a read can land while it
    // awaits the Queue send); running it again changes nothing.
    await runDurableObjectAlarm(stub);
    const resolved = await waitFor(async () => {
      const s = await stub.summary();
      return s?.state === "resolved" ? s : null;
    });
    // The system closed it, not the agent who answered: resolved_by idle, and the agent stays on the cycle.
    expect(resolved).toMatchObject({ resolved_at: t + MIN + idleMs, handle_time_ms: idleMs, resolved_by: "idle", agent_id: "a2" });
    const row = await waitFor(async () => {
      const r = await conversationRow(conv.conversationId);
      return r?.state === "resolved" ? r : null;
    });
    expect(row).toMatchObject({ resolved_at: t + MIN + idleMs, resolution_time_ms: MIN + idleMs });
    await waitFor(() =>
      countEvents(
        "conversation_id = ? AND event_name = 'conversation_resolved' AND json_extract(properties, '$.reason') = 'idle'",
        conv.conversationId,
      ),
    );
    // The event came back through the Queue and was recognised as already seen.
    await runDurableObjectAlarm(stub);
    expect(await countEvents("conversation_id = ? AND event_name = 'conversation_resolved'", conv.conversationId)).toBe(1);
  });

  it("does not resolve a conversation that is not idle yet", async () => {
    const conv = newConversation();
    const stub = conversationStub(conv.conversationId);
    await stub.apply([waEvent(conv, "message_received", Date.now() - MIN, { direction: "inbound" })]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.summary()).toMatchObject({ state: "bot", resolved_at: null });
    expect(await runInDurableObject(stub, (_obj, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
  });

  it("keeps the newest summary in D1 when summaries arrive out of order", async () => {
    const conv = newConversation();
    const stub = conversationStub(conv.conversationId);
    const summary = (await stub.apply([waEvent(conv, "message_received", Date.now() - MIN, { direction: "inbound" })]))!;
    await waitFor(() => conversationRow(conv.conversationId));
    const deliver = async (state: string, updated_at: number) => {
      const batch = createMessageBatch("events", [
        {
          id: crypto.randomUUID(),
          timestamp: new Date(),
          attempts: 1,
          body: { kind: "conversation_summary", summary: { ...summary, state, updated_at } },
        },
      ]);
      const ctx = createExecutionContext();
      await consume(batch, env, ctx);
      expect(await getQueueResult(batch, ctx)).toMatchObject({ explicitAcks: [], retryMessages: [] });
    };
    await deliver("agent", summary.updated_at + 10);
    await deliver("queued", summary.updated_at + 5);
    expect((await conversationRow(conv.conversationId))?.state).toBe("agent");
    await deliver("resolved", summary.updated_at + 20);
    expect((await conversationRow(conv.conversationId))?.state).toBe("resolved");
  });
});
