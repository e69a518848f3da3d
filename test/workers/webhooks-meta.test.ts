import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, readJson, waitFor } from "./helpers";
import { deliveryRow, metaEnvelope, metaText, postMeta, randomWaId, storedEvent } from "./webhooks-helpers";
import { errorSchema } from "../../workers/contract";

const contact = (waId: string) =>
  env.DB.prepare("SELECT * FROM contacts WHERE external_id = ?")
    .bind("+" + waId)
    .first<Record<string, unknown>>();

describe("POST /webhooks/meta", () => {
  it("processes every entry, change, message and status of one delivery", async () => {
    const [a, b] = [randomWaId(), randomWaId()];
    const ma = metaText(a, "hello");
    const mb = {
      from: b,
      id: `wamid.test-${crypto.randomUUID()}`,
      timestamp: "1760003000",
      type: "audio",
      audio: { id: "m1", mime_type: "audio/ogg", voice: true },
    };
    const st = {
      id: `wamid.out-${crypto.randomUUID()}`,
      status: "played",
      timestamp: "1760003100",
      recipient_id: a,
      biz_opaque_callback_data: "spring-sale",
    };
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "w1",
          changes: [
            {
              field: "messages",
              value: { metadata: { display_phone_number: "15550001234", phone_number_id: "p1" }, messages: [ma], statuses: [st] },
            },
          ],
        },
        {
          id: "w2",
          changes: [
            { field: "account_update", value: {} },
            { field: "messages", value: { metadata: { phone_number_id: "p2" }, messages: [mb] } },
          ],
        },
      ],
    });
    const res = await postMeta(body);
    expect(res.status).toBe(200);
    const audit = await deliveryRow(res.headers.get("x-junction-delivery")!);
    expect(JSON.parse(audit.event_ids as string)).toEqual([
      `msg:${ma.id}`,
      `first_contact:demo:+${a}`,
      `status:${st.id}:played`,
      `msg:${mb.id}`,
      `first_contact:demo:+${b}`,
    ]);
    expect(audit).toMatchObject({ project_id: "demo", outcome: "accepted", size_bytes: new TextEncoder().encode(body).byteLength });
    const voice = await waitFor(() => storedEvent(`msg:${mb.id}`));
    expect(voice).toMatchObject({ external_id: "+" + b, conversation_id: `wa:demo:+${b}`, timestamp: 1760003000_000 });
    expect(voice.properties).toMatchObject({
      message_type: "audio",
      has_media: true,
      voice: true,
      content_length: 0,
      phone_number_id: "p2",
      waba_id: "w2",
    });
    const status = await waitFor(() => storedEvent(`status:${st.id}:played`));
    expect(status.properties).toMatchObject({ status: "played", campaign: "spring-sale", direction: "outbound" });
  });

  it("stores an unknown future message type as such", async () => {
    const m = {
      from: randomWaId(),
      id: `wamid.test-${crypto.randomUUID()}`,
      timestamp: "1760003000",
      type: "hologram",
      hologram: { depth: 3 },
    };
    expect((await postMeta(metaEnvelope({ messages: [m] }))).status).toBe(200);
    const row = await waitFor(() => storedEvent(`msg:${m.id}`));
    expect(row.properties).toMatchObject({ message_type: "hologram", has_media: false, content_length: 0 });
  });

  it("acknowledges an authentic delivery for another object with 200 and stores no event", async () => {
    const res = await postMeta(JSON.stringify({ object: "page", entry: [{ id: "1", changes: [] }] }));
    expect(res.status).toBe(200);
    expect(await deliveryRow(res.headers.get("x-junction-delivery")!)).toMatchObject({ outcome: "ignored", event_ids: "[]" });
  });

  it("rejects a delivery carrying only the legacy SHA-1 signature with 401", async () => {
    const res = await SELF.fetch(`${BASE}/webhooks/meta`, { method: "POST", headers: { "x-hub-signature": "sha1=abc" }, body: "{}" });
    expect(res.status).toBe(401);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: "missing_signature" });
  });

  it("answers 413 for a body over 3 MB", async () => {
    const res = await postMeta(metaEnvelope({ pad: "x".repeat(3 * 1024 * 1024) }));
    expect(res.status).toBe(413);
  });

  it("answers 403 to a verification request without hub.mode=subscribe", async () => {
    const res = await SELF.fetch(`${BASE}/webhooks/meta?hub.verify_token=${env.META_VERIFY_TOKEN}&hub.challenge=42`);
    expect(res.status).toBe(403);
  });

  it("routes a mapped phone number id to its project", async () => {
    await env.DB.prepare("INSERT INTO projects (id, name, whatsapp_accounts) VALUES ('acme-wa', 'Acme', '[\"meta:998877\"]')").run();
    const m = metaText(randomWaId(), "hi");
    expect((await postMeta(metaEnvelope({ messages: [m] }, "998877"))).status).toBe(200);
    const row = await waitFor(() => storedEvent(`msg:${m.id}`));
    expect(row).toMatchObject({ project_id: "acme-wa", conversation_id: `wa:acme-wa:+${m.from}` });
  });

  it("records first_contact once per contact, with the earliest message", async () => {
    const wa = randomWaId();
    const later = metaText(wa, "second", { timestamp: 1760000200 });
    const first = metaText(wa, "first", { timestamp: 1760000100 });
    await postMeta(metaEnvelope({ messages: [later, first] }));
    const third = metaText(wa, "third", { timestamp: 1760000300 });
    const res = await postMeta(metaEnvelope({ messages: [third] }));
    await deliveryRow(res.headers.get("x-junction-delivery")!);
    await waitFor(() => storedEvent(`msg:${third.id}`));
    const { results } = await env.DB.prepare("SELECT * FROM events WHERE event_name = 'first_contact' AND external_id = ?")
      .bind("+" + wa)
      .all<Record<string, unknown>>();
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ event_id: `first_contact:demo:+${wa}`, timestamp: 1760000100_000 });
    expect(JSON.parse(results[0].properties as string)).toMatchObject({ provider_message_id: first.id });
    expect(await contact(wa)).toMatchObject({ first_seen_at: 1760000100_000, last_seen_at: 1760000300_000, consent: null });
  });

  it("turns opt-out and opt-in keywords into consent_changed and the contact's consent", async () => {
    const wa = randomWaId();
    const stop = metaText(wa, "  stop ", { timestamp: 1760000100 });
    await postMeta(metaEnvelope({ messages: [stop] }));
    const changed = await waitFor(() => storedEvent(`consent:${stop.id}`));
    expect(changed).toMatchObject({ event_name: "consent_changed", external_id: "+" + wa });
    expect(changed.properties).toMatchObject({ consent: "opted_out", source: "keyword" });
    await waitFor(async () => (await contact(wa))?.consent === "opted_out");

    // A sentence containing the keyword is not an opt-out; a later START opts back in.
    const sentence = metaText(wa, "Stop sending the wrong size", { timestamp: 1760000200 });
    const start = metaText(wa, "Start", { timestamp: 1760000300 });
    await postMeta(metaEnvelope({ messages: [sentence, start] }));
    await waitFor(async () => (await contact(wa))?.consent === "opted_in");
    expect(await storedEvent(`consent:${sentence.id}`)).toBeNull();

    // A late retry of an older STOP cannot undo the newer opt-in.
    const old = metaText(wa, "STOP", { timestamp: 1760000150 });
    const res = await postMeta(metaEnvelope({ messages: [old] }));
    await deliveryRow(res.headers.get("x-junction-delivery")!);
    await waitFor(() => storedEvent(`consent:${old.id}`));
    expect(await contact(wa)).toMatchObject({ consent: "opted_in", consent_changed_at: 1760000300_000 });
  });
});
