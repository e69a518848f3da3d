import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { signSha256 } from "../../workers/webhooks/signatures";
import { BASE, waitFor } from "./helpers";
import { deliveryRow, fixture, postMeta, postTwilio, storedEvent } from "./webhooks-helpers";

const sid = () => "SM" + crypto.randomUUID().replace(/-/g, "");

describe("Twilio webhooks", () => {
  it("answers 400 when X-Twilio-Signature is missing", async () => {
    const res = await SELF.fetch(`${BASE}/webhooks/twilio/inbound`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Body=hi",
    });
    expect(res.status).toBe(400);
  });

  it("accepts a signature over the configured PUBLIC_BASE_URL when a proxy changed the host", async () => {
    const params = { MessageSid: sid(), From: "whatsapp:+14155550199", To: "whatsapp:+15550001234", Body: "hi", NumMedia: "0" };
    const res = await postTwilio("inbound", params, `${env.PUBLIC_BASE_URL}/webhooks/twilio/inbound`, "https://internal.example");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/xml");
    const row = await waitFor(() => storedEvent(`msg:${params.MessageSid}`));
    expect(row).toMatchObject({ external_id: "+14155550199", event_name: "message_received" });
    expect(row.properties).toMatchObject({ provider: "twilio", content_length: 2, has_media: false, business_phone: "+15550001234" });
  });

  it("flags inbound media without storing its URL", async () => {
    const params = {
      MessageSid: sid(),
      From: "whatsapp:+14155550198",
      To: "whatsapp:+15550001234",
      Body: "",
      NumMedia: "1",
      MediaUrl0: "https://api.twilio.com/secret-media",
      MediaContentType0: "image/jpeg",
    };
    await postTwilio("inbound", params);
    const row = await waitFor(() => storedEvent(`msg:${params.MessageSid}`));
    expect(row.properties).toMatchObject({ message_type: "image", has_media: true, media_count: 1, mime_type: "image/jpeg" });
    expect(JSON.stringify(row)).not.toContain("secret-media");
  });

  it("keeps undelivered as Twilio said it and records no event for pre-send states", async () => {
    const id = sid();
    const base = { MessageSid: id, To: "whatsapp:+14155550123", From: "whatsapp:+15550001234" };
    const queued = await postTwilio("status", { ...base, MessageStatus: "queued" });
    expect(queued.status).toBe(200);
    expect(await deliveryRow(queued.headers.get("x-junction-delivery")!)).toMatchObject({ outcome: "ignored", event_ids: "[]" });
    await postTwilio("status", { ...base, MessageStatus: "undelivered", ErrorCode: "63016" });
    const row = await waitFor(() => storedEvent(`status:${id}:undelivered`));
    expect(row.properties).toMatchObject({ status: "undelivered", raw_status: "undelivered", error_code: 63016, direction: "outbound" });
  });
});

describe("POST /webhooks/chatwoot", () => {
  it("counts a customer message seen through Chatwoot first and Meta second once", async () => {
    const cw = fixture("chatwoot/chatwoot_message_created_incoming.json");
    const res = await SELF.fetch(`${BASE}/webhooks/chatwoot`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-chatwoot-timestamp": "1760003600",
        "x-chatwoot-signature": await signSha256(env.CHATWOOT_WEBHOOK_SECRET, new TextEncoder().encode(`1760003600.${cw}`)),
      },
      body: cw,
    });
    expect(res.status).toBe(200);
    const wamid = "wamid.HBgLMTQxNTU1NTAxMjMVAgASGBRBMDMzMTVEQjE4MTk3REY2NDE2OAA=";
    const row = await waitFor(() => storedEvent("msg:" + wamid));
    expect(row.properties).toMatchObject({ provider: "chatwoot", crm_message_id: "9000", crm_conversation_id: 42, content_length: 36 });
    expect(row.conversation_id).toBe("wa:demo:+14155550123");

    const meta = await postMeta(fixture("meta/meta_text_inbound.json"));
    await deliveryRow(meta.headers.get("x-junction-delivery")!);
    const { results } = await env.DB.prepare(
      "SELECT event_id FROM events WHERE event_name = 'message_received' AND json_extract(properties, '$.provider_message_id') = ?",
    )
      .bind(wamid)
      .all();
    expect(results).toHaveLength(1);
  });

  it("turns handoff, assignment and resolution of a conversation into lifecycle events", async () => {
    const conv = { id: 4242, account_id: 1, meta: { sender: { phone_number: "+14155550177" }, assignee: { id: 3, name: "Carla" } } };
    const post = async (payload: Record<string, unknown>) => {
      const body = JSON.stringify({ ...conv, ...payload });
      const res = await SELF.fetch(`${BASE}/webhooks/chatwoot`, {
        method: "POST",
        headers: {
          "x-chatwoot-timestamp": "5",
          "x-chatwoot-signature": await signSha256(env.CHATWOOT_WEBHOOK_SECRET, new TextEncoder().encode(`5.${body}`)),
        },
        body,
      });
      expect(res.status).toBe(200);
      return JSON.parse((await deliveryRow(res.headers.get("x-junction-delivery")!)).event_ids as string) as string[];
    };
    const handoff = await post({
      event: "conversation_status_changed",
      status: "open",
      updated_at: "2025-10-09T09:44:00Z",
      changed_attributes: [{ status: { previous_value: "pending", current_value: "open" } }],
    });
    const assigned = await post({
      event: "conversation_updated",
      status: "open",
      updated_at: "2025-10-09T09:45:00Z",
      changed_attributes: [{ assignee_id: { previous_value: null, current_value: 3 } }],
    });
    const resolved = await post({
      event: "conversation_status_changed",
      status: "resolved",
      updated_at: "2025-10-09T09:55:00Z",
      changed_attributes: [{ status: { previous_value: "open", current_value: "resolved" } }],
    });
    const rows = await Promise.all([handoff[0], assigned[0], resolved[0]].map((id) => waitFor(() => storedEvent(id))));
    expect(rows.map((r) => r.event_name)).toEqual(["handoff_requested", "agent_assigned", "conversation_resolved"]);
    for (const r of rows) expect(r).toMatchObject({ conversation_id: "wa:demo:+14155550177", external_id: "+14155550177" });
    expect(rows[1].properties).toMatchObject({ agent_id: "3", crm_conversation_id: 4242 });
    expect(rows[2].timestamp).toBe(Date.parse("2025-10-09T09:55:00Z"));
  });

  it("ignores private notes", async () => {
    const note = JSON.parse(fixture("chatwoot/chatwoot_message_created_outgoing.json"));
    note.id = 777001;
    note.private = true;
    const body = JSON.stringify(note);
    const res = await SELF.fetch(`${BASE}/webhooks/chatwoot`, {
      method: "POST",
      headers: {
        "x-chatwoot-timestamp": "1",
        "x-chatwoot-signature": await signSha256(env.CHATWOOT_WEBHOOK_SECRET, new TextEncoder().encode(`1.${body}`)),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await deliveryRow(res.headers.get("x-junction-delivery")!)).toMatchObject({ outcome: "ignored", event_ids: "[]" });
  });

  it("rejects unsigned and wrongly signed deliveries with 401", async () => {
    const body = fixture("chatwoot/chatwoot_message_created_outgoing.json");
    const unsigned = await SELF.fetch(`${BASE}/webhooks/chatwoot`, { method: "POST", body });
    expect(unsigned.status).toBe(401);
    const wrong = await SELF.fetch(`${BASE}/webhooks/chatwoot`, {
      method: "POST",
      headers: {
        "x-chatwoot-timestamp": "1760003600",
        "x-chatwoot-signature": await signSha256("not-the-secret", new TextEncoder().encode(`1760003600.${body}`)),
      },
      body,
    });
    expect(wrong.status).toBe(401);
  });
});
