import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { deliveriesSchema, errorSchema } from "../../../workers/contract";
import { ADMIN, BASE, readJson, waitFor } from "../helpers";
import { metaEnvelope, metaText, postCrm, postMeta, postTwilio, randomWaId } from "../webhooks-helpers";

/**
 * Configured as in production (no DEFAULT_PROJECT): a webhook for an account no project claims is
 * acknowledged (providers would retry otherwise), audited as unmapped with its account, and its
 * events are stored nowhere; a claimed account in the same delivery is stored as usual.
 */
async function stored(messageId: string) {
  return (await env.DB.prepare(
    "SELECT count(*) AS n FROM events WHERE event_name = 'message_received' AND json_extract(properties, '$.provider_message_id') = ?",
  )
    .bind(messageId)
    .first<{ n: number }>())!.n;
}

async function unmapped() {
  const res = await SELF.fetch(`${BASE}/api/webhooks/unmapped`, { headers: ADMIN });
  expect(res.status).toBe(200);
  return readJson(res, deliveriesSchema);
}

describe("webhooks for accounts no project claims", { timeout: 30_000 }, () => {
  it("acknowledges a Meta delivery, audits its account as unmapped and stores none of its events", async () => {
    const lost = metaText(randomWaId(), "hello");
    const mapped = metaText(randomWaId(), "hello");
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        JSON.parse(metaEnvelope({ contacts: [], messages: [lost] }, "999000111")).entry[0],
        JSON.parse(metaEnvelope({ contacts: [], messages: [mapped] }, "112233445566778")).entry[0],
      ],
    });
    const res = await postMeta(body);
    expect(res.status).toBe(200);
    const delivery = res.headers.get("x-junction-delivery")!;
    const audit = await waitFor(async () => (await unmapped()).deliveries.find((d) => d.id.startsWith(delivery)), 20_000);
    expect(audit).toMatchObject({ outcome: "unmapped", accounts: ["meta:999000111"], event_ids: [] });
    // The demo project claims 112233445566778: that part is stored in demo.
    await waitFor(async () => (await stored(mapped.id)) === 1 || undefined, 20_000);
    expect(await stored(lost.id)).toBe(0);
  });

  it("acknowledges a Twilio message to a number no project claims without storing it", async () => {
    const params = {
      MessageSid: `SM${crypto.randomUUID().replaceAll("-", "")}`,
      From: "whatsapp:+14155550100",
      To: "whatsapp:+14155559999",
      Body: "hi",
      NumMedia: "0",
      AccountSid: "AC1",
    };
    const res = await postTwilio("inbound", params);
    expect(res.status).toBe(200);
    const delivery = res.headers.get("x-junction-delivery")!;
    const audit = await waitFor(async () => (await unmapped()).deliveries.find((d) => d.id === delivery), 20_000);
    expect(audit).toMatchObject({ outcome: "unmapped", accounts: ["twilio:+14155559999"] });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE json_extract(properties, '$.provider_message_id') = ?")
      .bind(params.MessageSid)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it("answers a CRM batch without a project with 400, naming the missing field", async () => {
    const res = await postCrm({
      source: "crm",
      events: [{ event: "return_filed", external_id: "+254712000111", occurred_at: new Date().toISOString() }],
    });
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: "invalid_batch", message: expect.stringContaining("batch.project") });
  });

  it("shows unmapped deliveries to the admin only", async () => {
    const res = await SELF.fetch(`${BASE}/api/webhooks/unmapped`, { headers: { authorization: "Bearer demo-read-token" } });
    expect(res.status).toBe(403);
  });
});
