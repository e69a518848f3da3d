import { describe, expect, it } from "vitest";
import { conversationRow, conversationStub } from "./conversation-helpers";
import { waitFor } from "./helpers";
import { metaEnvelope, postCrm, postMeta, randomWaId } from "./webhooks-helpers";

const MIN = 60_000;

describe("conversations fed by the WhatsApp webhooks", { timeout: 30_000 }, () => {
  it("turns a CRM conversation and Meta delivery statuses into a summary row with human and bot metrics", async () => {
    const waId = randomWaId();
    const phone = "+" + waId;
    const conversationId = `wa:demo:${phone}`;
    const t = Date.now() - 30 * MIN;
    const at = (ms: number) => new Date(t + ms).toISOString();
    const wamid = `wamid.agent-${crypto.randomUUID()}`;
    const events = [
      { id: "c1", type: "conversation_started", occurred_at: at(0), phone },
      { id: "c2", type: "message_received", occurred_at: at(0), phone, content_length: 12 },
      { id: "c3", type: "bot_response", occurred_at: at(4_000), phone, content_length: 40 },
      { id: "c4", type: "message_received", occurred_at: at(30_000), phone, content_length: 9 },
      { id: "c5", type: "handoff_requested", occurred_at: at(40_000), phone },
      { id: "c6", type: "agent_assigned", occurred_at: at(2 * MIN), phone, agent_id: "amina" },
      { id: "c7", type: "agent_message", occurred_at: at(3 * MIN), phone, agent_id: "amina", message_id: wamid, content_length: 80 },
      { id: "c8", type: "conversation_resolved", occurred_at: at(12 * MIN), phone },
    ].map((e) => ({ ...e, id: `${e.id}-${waId}` }));
    // Delivered out of order: the resolution first, the rest afterwards.
    expect((await postCrm({ project: "demo", events: events.slice(7) })).status).toBe(202);
    expect((await postCrm({ project: "demo", events: events.slice(0, 7) })).status).toBe(202);
    const status = (s: string, sec: number) => ({
      id: wamid,
      status: s,
      timestamp: String(Math.floor((t + 3 * MIN) / 1000) + sec),
      recipient_id: waId,
    });
    expect((await postMeta(metaEnvelope({ statuses: [status("read", 20), status("delivered", 5), status("sent", 1)] }))).status).toBe(200);

    const row = await waitFor(async () => {
      const r = await conversationRow(conversationId);
      return r?.state === "resolved" && r.messages_in === 2 ? r : null;
    });
    expect(row).toMatchObject({
      external_id: phone,
      agent_id: "amina",
      messages_in: 2,
      messages_out: 2,
      bot_responses: 1,
      // From the first message (0 s) to amina's reply; the wait since the handoff at 40 s beside it.
      bot_first_response_ms: 4_000,
      first_response_ms: 3 * MIN,
      handoff_wait_ms: 3 * MIN - 40_000,
      queue_wait_ms: 2 * MIN - 40_000,
      resolved_by: "agent",
      handle_time_ms: 10 * MIN,
      resolution_time_ms: 12 * MIN,
      opened_at: t,
      resolved_at: t + 12 * MIN,
    });
    const summary = await waitFor(async () => {
      const s = await conversationStub(conversationId).summary();
      return s?.delivery.read === 1 ? s : null;
    });
    // Three statuses arrived out of order; the message counts once, at its best status.
    expect(summary.delivery).toMatchObject({ read: 1, delivered: 0, sent: 0, failed: 0 });
  });
});
