import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, BASE, batch, capture, readJson, waitFor, webEvent } from "./helpers";
import { errorSchema, handshakeIssuedSchema, timelineSchema, WHATSAPP_ID_MAX, type Timeline } from "../../workers/contract";
import { conversationRow } from "./conversation-helpers";
import { metaEnvelope, postMeta, randomWaId, storedEvent } from "./webhooks-helpers";

const READ = { authorization: "Bearer demo-read-token" };

/** A fresh BSUID (`CC.` + digits), unique per test; `length` pads it to that many characters. */
const newBsuid = (length = 22) =>
  ("BR." + Array.from(crypto.getRandomValues(new Uint8Array(length)), (b) => b % 10).join("")).slice(0, length);
const wamid = () => `wamid.id-${crypto.randomUUID()}`;
const secondsAgo = (s: number) => String(Math.floor(Date.now() / 1000) - s);

/** A Meta inbound text from a contact known by `bsuid` and, when given, `waId` (2026 payload shape). */
function inbound(opts: { bsuid?: string; waId?: string; username?: string; id?: string; at?: string }) {
  const contact: Record<string, unknown> = { profile: { name: "Test", ...(opts.username ? { username: opts.username } : {}) } };
  if (opts.bsuid) contact.user_id = opts.bsuid;
  if (opts.waId) contact.wa_id = opts.waId;
  const message: Record<string, unknown> = {
    id: opts.id ?? wamid(),
    timestamp: opts.at ?? secondsAgo(60),
    type: "text",
    text: { body: "hello there" },
  };
  if (opts.waId) message.from = opts.waId;
  if (opts.bsuid) message.from_user_id = opts.bsuid;
  return metaEnvelope({ contacts: [contact], messages: [message] });
}

/** A Business app echo (smb_message_echoes) to a contact known by BSUID alone. */
function echoTo(bsuid: string, id: string, at: string) {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "109876543210987",
        changes: [
          {
            field: "smb_message_echoes",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001234", phone_number_id: "112233445566778" },
              message_echoes: [{ from: "15550001234", to_user_id: bsuid, id, timestamp: at, type: "text", text: { body: "on it" } }],
            },
          },
        ],
      },
    ],
  });
}

async function post(body: string) {
  const res = await postMeta(body);
  expect(res.status).toBe(200);
}

async function timeline(externalId: string): Promise<Timeline> {
  const res = await SELF.fetch(`${BASE}/api/projects/demo/timeline?external_id=${encodeURIComponent(externalId)}`, { headers: READ });
  expect(res.status).toBe(200);
  return readJson(res, timelineSchema);
}

/** Waits until the timeline of `id` lists every id of `ids` and holds at least `events` events. */
const timelineWith = (id: string, ids: string[], events: number) =>
  waitFor(async () => {
    const t = await timeline(id);
    return ids.every((x) => t.person.external_ids.includes(x)) && t.events.length >= events ? t : null;
  }, 15_000);

function issue(body: unknown) {
  return SELF.fetch(`${BASE}/api/handshakes`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("WhatsApp identity: business-scoped user ids", { timeout: 40_000 }, () => {
  it("gives a username-only contact its own conversation and timeline, keyed on its BSUID", async () => {
    const bsuid = newBsuid();
    const [inId, outId] = [wamid(), wamid()];
    await post(inbound({ bsuid, username: "carla.test", id: inId, at: secondsAgo(120) }));
    await post(echoTo(bsuid, outId, secondsAgo(60)));

    const received = await waitFor(() => storedEvent("msg:" + inId));
    expect(received).toMatchObject({ external_id: bsuid, conversation_id: `wa:demo:${bsuid}` });
    expect(received.properties).toMatchObject({ bsuid, username: "carla.test", direction: "inbound" });
    expect(received.properties.wa_id).toBeUndefined();
    const sent = await waitFor(() => storedEvent("msg:" + outId));
    expect(sent).toMatchObject({ event_name: "message_sent", external_id: bsuid, conversation_id: `wa:demo:${bsuid}` });
    expect(sent.properties).toMatchObject({ provider: "meta_app", sender: "agent", direction: "outbound" });

    // The conversation (ConversationDO keyed on the BSUID) counts both messages and the agent's reply time.
    const row = await waitFor(async () => {
      const r = await conversationRow(`wa:demo:${bsuid}`);
      return r && r.messages_in === 1 && r.messages_out === 1 ? r : null;
    }, 15_000);
    expect(row.external_id).toBe(bsuid);
    expect(row.first_response_ms).toBe(60_000);

    const t = await timeline(bsuid);
    expect(t.person.external_ids).toEqual([bsuid]);
    expect(t.events.map((e) => e.event_id)).toEqual(expect.arrayContaining(["msg:" + inId, "msg:" + outId]));
  });

  it("links a phone and a BSUID seen together as one person, and keeps a later BSUID-only message in the phone's conversation", async () => {
    const [bsuid, waId] = [newBsuid(), randomWaId()];
    const phone = "+" + waId;
    const [first, later] = [wamid(), wamid()];
    await post(inbound({ bsuid, waId, id: first, at: secondsAgo(300) }));
    const both = await timelineWith(phone, [phone, bsuid], 1);
    expect(both.person.external_ids.sort()).toEqual([phone, bsuid].sort());

    await post(inbound({ bsuid, username: "now.hidden", id: later, at: secondsAgo(100) }));
    const row = await waitFor(() => storedEvent("msg:" + later));
    expect(row).toMatchObject({ external_id: phone, conversation_id: `wa:demo:${phone}` });
    expect(row.properties).toMatchObject({ bsuid, username: "now.hidden" });

    for (const id of [phone, bsuid, " " + waId /* a `+` decoded to a space */]) {
      const t = await timelineWith(id, [phone, bsuid], 2);
      expect(t.person.person_id).toBe(both.person.person_id);
      expect(t.events.map((e) => e.event_id)).toEqual(expect.arrayContaining(["msg:" + first, "msg:" + later]));
    }
  });

  it("links the previous BSUID to the new one on user_changed_user_id", async () => {
    const [before, after] = [newBsuid(), newBsuid()];
    const [m1, change, m2] = [wamid(), wamid(), wamid()];
    await post(inbound({ bsuid: before, id: m1, at: secondsAgo(400) }));
    await post(
      metaEnvelope({
        messages: [
          {
            from_user_id: before,
            id: change,
            timestamp: secondsAgo(300),
            type: "system",
            system: { body: `User changed from ${before} to ${after}`, user_id: after, type: "user_changed_user_id" },
          },
        ],
      }),
    );
    await post(inbound({ bsuid: after, id: m2, at: secondsAgo(200) }));

    const t = await timelineWith(after, [before, after], 3);
    expect(t.person.external_ids.sort()).toEqual([before, after].sort());
    expect(t.events.map((e) => e.event_id)).toEqual(expect.arrayContaining(["msg:" + m1, "msg:" + change, "msg:" + m2]));
    const changed = t.events.find((e) => e.event_id === "msg:" + change)!;
    expect(changed).toMatchObject({ event_name: "contact_identity_changed", external_id: after });
    expect(changed.properties).toMatchObject({ previous_bsuid: before, new_bsuid: after, system_type: "user_changed_user_id" });
    expect((await timeline(before)).person.person_id).toBe(t.person.person_id);
  });

  it("issues a handshake for a BSUID and links the web visitor who redeems it", async () => {
    const bsuid = newBsuid();
    const res = await issue({ project: "demo", external_id: bsuid });
    expect(res.status).toBe(201);
    const hs = await readJson(res, handshakeIssuedSchema);
    expect(hs).toMatchObject({ external_id: bsuid, conversation_id: `wa:demo:${bsuid}` });

    const anon = "anon-" + crypto.randomUUID();
    const done = webEvent({
      event: "handshake_complete",
      anonymous_id: anon,
      context: { page: { url: "https://tax.example/mri" }, handshake_token: hs.token },
    });
    expect((await capture(batch([done]))).status).toBe(202);
    const t = await waitFor(async () => {
      const r = await timeline(bsuid);
      return r.person.anonymous_ids.includes(anon) && r.events.some((e) => e.event_name === "webview_opened") ? r : null;
    }, 15_000);
    expect(t.events.find((e) => e.event_name === "webview_opened")).toMatchObject({
      external_id: bsuid,
      conversation_id: `wa:demo:${bsuid}`,
    });
  });

  it(`admits a ${WHATSAPP_ID_MAX}-character BSUID everywhere a WhatsApp id goes, and refuses a longer one`, async () => {
    const bsuid = newBsuid(WHATSAPP_ID_MAX);
    expect(bsuid).toHaveLength(131);
    const id = wamid();
    await post(inbound({ bsuid, id }));
    const row = await waitFor(() => storedEvent("msg:" + id));
    expect(row).toMatchObject({ external_id: bsuid, conversation_id: `wa:demo:${bsuid}` });
    await waitFor(async () => (await conversationRow(`wa:demo:${bsuid}`))?.external_id === bsuid, 15_000);
    expect((await timeline(bsuid)).events.map((e) => e.event_id)).toContain("msg:" + id);
    const events = await SELF.fetch(`${BASE}/api/projects/demo/events?external_id=${encodeURIComponent(bsuid)}`, { headers: READ });
    expect(events.status).toBe(200);
    expect((await issue({ project: "demo", external_id: bsuid })).status).toBe(201);

    const tooLong = bsuid + "1";
    const refused = await issue({ project: "demo", external_id: tooLong });
    expect(refused.status).toBe(400);
    expect((await readJson(refused, errorSchema)).error).toBe("invalid_handshake");
    const query = await SELF.fetch(`${BASE}/api/projects/demo/timeline?external_id=${tooLong}`, { headers: READ });
    expect(query.status).toBe(400);
  });
});
