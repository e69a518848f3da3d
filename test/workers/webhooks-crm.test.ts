import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, BASE, readJson, waitFor } from "./helpers";
import { deliveryRow, metaEnvelope, metaText, postCrm, postMeta, randomWaId, storedEvent } from "./webhooks-helpers";
import { crmResponseSchema, deliveriesSchema, errorSchema } from "../../workers/contract";

const at = (s: number) => new Date(1760000000_000 + s * 1000).toISOString();
const uid = () => crypto.randomUUID();

describe("POST /webhooks/crm", () => {
  it("stores a signed conversation lifecycle as WhatsApp events", async () => {
    const phone = "+" + randomWaId();
    const ids = Array.from({ length: 7 }, uid);
    const events = [
      { id: ids[0], type: "conversation_started", occurred_at: at(0), phone, campaign: "spring-sale" },
      { id: ids[1], type: "bot_response", occurred_at: at(2), phone, content_length: 80 },
      { id: ids[2], type: "handoff_requested", occurred_at: at(60), phone, team: "billing", reason: "customer_request" },
      { id: ids[3], type: "agent_assigned", occurred_at: at(120), phone, agent_id: "agent-7" },
      { id: ids[4], type: "agent_message", occurred_at: at(150), phone, agent_id: "agent-7", content_length: 42 },
      { id: ids[5], type: "webview_opened", occurred_at: at(200), phone },
      { id: ids[6], type: "conversation_resolved", occurred_at: at(600), phone: phone.slice(1), agent_id: "agent-7" },
    ];
    const res = await postCrm({ source: "hubspot", events });
    expect(res.status).toBe(202);
    expect(await readJson(res, crmResponseSchema)).toEqual({ accepted: 7, rejected: [] });
    const names = [
      "conversation_started",
      "bot_response",
      "handoff_requested",
      "agent_assigned",
      "message_sent",
      "webview_opened",
      "conversation_resolved",
    ];
    for (const [i, id] of ids.entries()) {
      const row = await waitFor(() => storedEvent(`crm:demo:${id}`));
      expect(row).toMatchObject({
        event_name: names[i],
        channel_type: "whatsapp",
        external_id: phone,
        conversation_id: `wa:demo:${phone}`,
        timestamp: Date.parse(events[i].occurred_at),
      });
      expect(row.properties).toMatchObject({ provider: "crm", source: "hubspot", crm_event_id: id });
    }
    expect((await storedEvent(`crm:demo:${ids[0]}`))!.properties).toMatchObject({ campaign: "spring-sale" });
    expect((await storedEvent(`crm:demo:${ids[1]}`))!.properties).toMatchObject({
      direction: "outbound",
      sender: "bot",
      content_length: 80,
    });
    expect((await storedEvent(`crm:demo:${ids[2]}`))!.properties).toMatchObject({ team: "billing", reason: "customer_request" });
    expect((await storedEvent(`crm:demo:${ids[4]}`))!.properties).toMatchObject({
      direction: "outbound",
      sender: "agent",
      agent_id: "agent-7",
    });
  });

  it("keeps the CRM's conversation id and counts a resent event once", async () => {
    const event = {
      id: uid(),
      type: "agent_assigned",
      occurred_at: at(5),
      phone: "+447700900123",
      agent_id: "a1",
      conversation_id: "hs-123",
    };
    await postCrm({ events: [event] });
    const res = await postCrm({ events: [event] });
    await deliveryRow(res.headers.get("x-junction-delivery")!);
    const row = await waitFor(() => storedEvent(`crm:demo:${event.id}`));
    expect(row).toMatchObject({ conversation_id: "hs-123" });
    expect(row.properties).toMatchObject({ crm_conversation_id: "hs-123" });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE json_extract(properties, '$.crm_event_id') = ?")
      .bind(event.id)
      .first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it("dedupes a customer message reported with its wamid and records consent from the CRM", async () => {
    const wa = randomWaId();
    const wamid = `wamid.crm-${uid()}`;
    await postCrm({
      events: [
        { id: uid(), type: "message_received", occurred_at: at(1), phone: "+" + wa, message_id: wamid, content_length: 12 },
        { id: uid(), type: "consent_changed", occurred_at: at(2), phone: "+" + wa, consent: "opted_out" },
      ],
    });
    const row = await waitFor(() => storedEvent("msg:" + wamid));
    expect(row.properties).toMatchObject({ direction: "inbound", content_length: 12, provider_message_id: wamid });
    await waitFor(() => storedEvent(`first_contact:demo:+${wa}`));
    const contact = await waitFor(() =>
      env.DB.prepare("SELECT * FROM contacts WHERE external_id = ? AND consent IS NOT NULL")
        .bind("+" + wa)
        .first(),
    );
    expect(contact).toMatchObject({ consent: "opted_out", first_seen_at: Date.parse(at(1)) });

    const meta = await postMeta(metaEnvelope({ messages: [metaText(wa, "same message via Meta", { id: wamid })] }));
    await deliveryRow(meta.headers.get("x-junction-delivery")!);
    const n = await env.DB.prepare(
      "SELECT count(*) AS n FROM events WHERE event_name = 'message_received' AND json_extract(properties, '$.provider_message_id') = ?",
    )
      .bind(wamid)
      .first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it("accepts the valid events of a batch and names each rejected one", async () => {
    const good = { id: uid(), type: "webview_opened", occurred_at: at(1), phone: "+14155550123" };
    const res = await postCrm({
      events: [good, { ...good, id: uid(), type: "agent_assigned" }, { ...good, id: uid(), phone: "12" }, { ...good, type: "teleported" }],
    });
    expect(res.status).toBe(202);
    const body = await readJson(res, crmResponseSchema);
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3]);
    expect(body.rejected[0].error).toMatch(/agent_id/);
    expect(body.rejected[1].error).toMatch(/E\.164/);
  });

  it.each([
    ["unsigned", { unsigned: true }, "missing_signature"],
    ["signed with another secret", { secret: "wrong" }, "bad_signature"],
    ["stale (10 minutes old)", { timestamp: Math.floor(Date.now() / 1000) - 600 }, "stale_timestamp"],
    ["from the future", { timestamp: Math.floor(Date.now() / 1000) + 600 }, "stale_timestamp"],
  ])("rejects a delivery that is %s with 401 and stores nothing", async (_name, opts, code) => {
    const event = { id: uid(), type: "webview_opened", occurred_at: at(1), phone: "+14155550123" };
    const res = await postCrm({ events: [event] }, opts);
    expect(res.status).toBe(401);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: code });
    const barrier = await postCrm({ events: [{ ...event, id: uid() }] });
    await deliveryRow(barrier.headers.get("x-junction-delivery")!);
    expect(await storedEvent(`crm:demo:${event.id}`)).toBeNull();
  });

  it.each([
    ["invalid JSON", "{oops", "invalid_json"],
    ["no events", { events: [] }, "invalid_batch"],
    [
      "an unknown project",
      { project: "nope", events: [{ id: "x", type: "webview_opened", occurred_at: at(1), phone: "+14155550123" }] },
      "invalid_batch",
    ],
  ])("answers 400 for %s", async (_name, body, code) => {
    const res = await postCrm(body);
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: code });
  });
});

describe("GET /api/projects/:project/webhooks/deliveries", () => {
  it("lists audit rows filtered by provider and time, with the event ids each produced", async () => {
    const since = new Date().toISOString();
    const res = await postCrm({ events: [{ id: uid(), type: "webview_opened", occurred_at: at(1), phone: "+14155550123" }] });
    const ref = res.headers.get("x-junction-delivery")!;
    await deliveryRow(ref);
    const list = await SELF.fetch(`${BASE}/api/projects/demo/webhooks/deliveries?provider=crm&since=${since}&limit=10`, { headers: ADMIN });
    expect(list.status).toBe(200);
    const { deliveries } = await readJson(list, deliveriesSchema);
    expect(deliveries.every((d) => d.provider === "crm")).toBe(true);
    expect(deliveries.find((d) => d.id === ref)).toMatchObject({
      verified: true,
      outcome: "accepted",
      http_status: 202,
      endpoint: "crm",
      event_ids: [expect.stringMatching(/^crm:demo:/)],
    });
  });

  it("requires a token and validates its query", async () => {
    expect((await SELF.fetch(`${BASE}/api/projects/demo/webhooks/deliveries`)).status).toBe(401);
    const bad = await SELF.fetch(`${BASE}/api/projects/demo/webhooks/deliveries?provider=fax`, { headers: ADMIN });
    expect(bad.status).toBe(400);
  });
});
