import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  deliveriesSchema,
  eventsPageSchema,
  funnelResultSchema,
  handshakeIssuedSchema,
  personErasedSchema,
  projectCreatedSchema,
  projectTokenCreatedSchema,
  timelineSchema,
} from "../../workers/contract";
import worker from "../../workers/index";
import { ADMIN, BASE, batch, capture, countEvents, readAnswer, readJson, waitFor, webEvent } from "./helpers";
import { postTwilio } from "./webhooks-helpers";

/**
 * Erasing a person through the API: one visitor identified as a user, linked by a handshake to a
 * WhatsApp contact who wrote in, is erased by any one of their ids; afterwards no read route shows
 * anything of them, another person's data is untouched, an erased event delivered again is not
 * stored, and a new event of the same ids starts a new person.
 */
const rand = (n: number) => String(Math.floor(Math.random() * 10 ** n)).padStart(n, "0");
const P = `erase-${crypto.randomUUID().slice(0, 8)}`;
const BUSINESS = "+1555" + rand(7);
const PHONE = "+2547" + rand(8);
const ANON = "anon-" + crypto.randomUUID();
const USER = "user-" + crypto.randomUUID();
const OTHER = "anon-" + crypto.randomUUID();
const sid = () => "SM" + crypto.randomUUID().replace(/-/g, "");
const tokens: Record<string, Record<string, string>> = {};
const ts = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
const storedIds: string[] = [];
const firstSid = sid();

async function post(path: string, body: unknown, auth: Record<string, string> = ADMIN) {
  return SELF.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function get(path: string, auth = tokens.read) {
  return SELF.fetch(`${BASE}/api/projects/${P}${path}`, { headers: auth });
}

function erase(query: string, auth = tokens.privacy) {
  return SELF.fetch(`${BASE}/api/projects/${P}/people?${query}`, { method: "DELETE", headers: auth });
}

const inbound = (messageSid: string) => ({
  MessageSid: messageSid,
  From: `whatsapp:${PHONE}`,
  To: `whatsapp:${BUSINESS}`,
  Body: "I need help with my return",
  NumMedia: "0",
});

beforeAll(async () => {
  const made = await post("/api/projects", { id: P, name: "Erasure", whatsapp_accounts: [`twilio:${BUSINESS}`] });
  expect(made.status).toBe(201);
  tokens.read = { authorization: `Bearer ${(await readJson(made, projectCreatedSchema)).read_token}` };
  for (const scope of ["privacy", "write"]) {
    const res = await post(`/api/projects/${P}/tokens`, { scope, name: scope });
    tokens[scope] = { authorization: `Bearer ${(await readJson(res, projectTokenCreatedSchema)).token}` };
  }

  // The contact writes in on WhatsApp; the bot sends a handshake link, which the visitor opens.
  expect((await postTwilio("inbound", inbound(firstSid))).status).toBe(200);
  await waitFor(() => countEvents("project_id = ? AND event_id = ?", P, `msg:${firstSid}`), 20_000);
  const hs = await readJson(await post("/api/handshakes", { project: P, external_id: PHONE }, tokens.write), handshakeIssuedSchema);
  const session = "sess-" + crypto.randomUUID();
  const web = [
    webEvent({ anonymous_id: ANON, session_id: session, timestamp: ts(30), context: { page: { url: "https://tax.example/returns/mri" } } }),
    webEvent({
      event: "handshake_complete",
      anonymous_id: ANON,
      session_id: session,
      timestamp: ts(29),
      context: { page: { url: "https://tax.example/returns/mri" }, handshake_token: hs.token },
    }),
    webEvent({ event: "return_started", anonymous_id: ANON, session_id: session, user_id: USER, timestamp: ts(28) }),
  ];
  const other = [
    webEvent({ anonymous_id: OTHER, timestamp: ts(20), context: { page: { url: "https://tax.example/returns/mri" } } }),
    webEvent({ event: "return_started", anonymous_id: OTHER, timestamp: ts(19) }),
  ];
  expect((await capture(batch([...web, ...other], P))).status).toBe(202);
  storedIds.push(...web.map((e) => e.event_id), `msg:${firstSid}`);
  // Stored, linked (phone ↔ visitor ↔ user), and the conversation has its summary and its webview event.
  await waitFor(async () => (await countEvents("project_id = ?", P)) >= 7, 20_000);
  // The conversation's side of the redeemed handshake arrives through the Queue after the link.
  await waitFor(() => countEvents("project_id = ? AND event_name = 'webview_opened'", P), 20_000);
  await waitFor(
    () =>
      env.DB.prepare("SELECT 1 AS ok FROM identities WHERE project_id = ? AND kind = 'external_id' AND value = ?").bind(P, PHONE).first(),
    20_000,
  );
  await waitFor(
    () => env.DB.prepare("SELECT 1 AS ok FROM identities WHERE project_id = ? AND kind = 'user_id' AND value = ?").bind(P, USER).first(),
    20_000,
  );
  await waitFor(
    () => env.DB.prepare("SELECT 1 AS ok FROM conversations WHERE project_id = ? AND external_id = ?").bind(P, PHONE).first(),
    20_000,
  );
  await waitFor(
    () => env.DB.prepare("SELECT 1 AS ok FROM contacts WHERE project_id = ? AND external_id = ?").bind(P, PHONE).first(),
    20_000,
  );
}, 60_000);

async function timeline(query: string) {
  const res = await get(`/timeline?${query}`);
  expect(res.status).toBe(200);
  return readJson(res, timelineSchema);
}

async function funnelEntered() {
  const res = await post(
    `/api/projects/${P}/funnels/query`,
    { steps: [{ event: "page_view" }, { event: "return_started" }], window: 3600, from: ts(120), to: ts(-5) },
    tokens.read,
  );
  const body = await readAnswer(res, funnelResultSchema);
  expect(res.status).toBe(200);
  return "steps" in body ? body.steps.map((s) => s.count) : [];
}

describe("erasing a person", { timeout: 60_000 }, () => {
  it("refuses a read or write token, and a request without exactly one valid id", async () => {
    for (const auth of [tokens.read, tokens.write]) expect((await erase(`user_id=${USER}`, auth)).status).toBe(403);
    for (const q of ["", `user_id=${USER}&anonymous_id=${ANON}`, "external_id=not-a-phone"]) {
      const res = await erase(q);
      expect(res.status).toBe(400);
      expect(await readAnswer(res, personErasedSchema)).toMatchObject({ error: "invalid_query" });
    }
  });

  it("shows the person's data before the erasure", async () => {
    const t = await timeline(`user_id=${USER}`);
    expect(new Set(t.events.map((e) => e.channel_type))).toEqual(new Set(["web", "whatsapp"]));
    expect(await funnelEntered()).toEqual([2, 2]);
  });

  it("erases every id linked to the one given, across channels, and says what it erased", async () => {
    const personEvents = (await countEvents("project_id = ?", P)) - 2;
    const res = await erase(`user_id=${USER}`);
    expect(res.status).toBe(200);
    const body = await readJson(res, personErasedSchema);
    expect(body).toMatchObject({ anonymous_ids: [ANON], external_ids: [PHONE], user_ids: [USER] });
    // Session rows: the web session and the conversation (a webview_opened event adds no WhatsApp session).
    expect(body.erased).toMatchObject({
      identities: 3,
      conversations: 1,
      conversation_objects: 1,
      contacts: 1,
      handshakes: 1,
      handshake_objects: 1,
      handshake_attempts: 1,
      sessions: 2,
    });
    expect(body.erased.deliveries).toBeGreaterThanOrEqual(1);
    expect(body.erased.filter_sessions).toBeGreaterThan(0);
    expect(body.erased.events).toBe(personEvents);
    expect(await countEvents("project_id = ?", P)).toBe(2);
  });

  it("leaves nothing of them in the timeline, events, exports, deliveries or funnels; the other person stays", async () => {
    for (const q of [`user_id=${USER}`, `anonymous_id=${ANON}`, `external_id=${encodeURIComponent(PHONE)}`]) {
      const t = await timeline(q);
      expect(t.events).toEqual([]);
      // No links are left: the person is only the id asked about.
      expect(t.person.anonymous_ids.length + t.person.external_ids.length + t.person.user_ids.length).toBe(1);
    }
    const page = await readJson(await get("/events"), eventsPageSchema);
    expect(page.events.map((e) => e.anonymous_id)).toEqual([OTHER, OTHER]);
    for (const path of ["/export/events.csv", "/export/conversations.csv"]) {
      const csv = await (await get(path)).text();
      for (const id of [ANON, USER, PHONE, firstSid]) expect(csv).not.toContain(id);
    }
    const deliveries = await readJson(await get("/webhooks/deliveries"), deliveriesSchema);
    expect(JSON.stringify(deliveries)).not.toContain(`msg:${firstSid}`);
    expect(await funnelEntered()).toEqual([1, 1]);
    expect(await countEvents("project_id = ?", P)).toBe(2);
  });

  it("answers zeros when run again", async () => {
    const body = await readJson(await erase(`anonymous_id=${ANON}`), personErasedSchema);
    expect(Object.values(body.erased).every((n) => n === 0)).toBe(true);
  });

  it("does not store an erased event delivered again (Queue redelivery, provider retry)", async () => {
    const redelivered = {
      kind: "event",
      event: {
        event_id: storedIds[0],
        project_id: P,
        event_name: "page_view",
        channel_type: "web",
        timestamp: Date.now() - 1_800_000,
        received_at: Date.now(),
        anonymous_id: ANON,
        properties: {},
      },
    };
    const msgs = createMessageBatch("events", [{ id: "redelivery", timestamp: new Date(), attempts: 2, body: redelivered }]);
    const ctx = createExecutionContext();
    await worker.queue(msgs, env, ctx);
    expect((await getQueueResult(msgs, ctx)).retryMessages).toEqual([]);
    // Twilio retrying the first message's webhook; a sentinel after it shows the consumer got that far.
    expect((await postTwilio("inbound", inbound(firstSid))).status).toBe(200);
    const sentinel = webEvent({ anonymous_id: OTHER, timestamp: ts(1) });
    expect((await capture(batch([sentinel], P))).status).toBe(202);
    await waitFor(() => countEvents("project_id = ? AND event_id = ?", P, sentinel.event_id), 20_000);
    for (const id of storedIds) expect(await countEvents("project_id = ? AND event_id = ?", P, id)).toBe(0);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM identities WHERE project_id = ?").bind(P).first("n")).toBe(0);
  });

  it("starts a new person when the same ids send new events", async () => {
    const again = webEvent({ anonymous_id: ANON, timestamp: ts(0) });
    expect((await capture(batch([again], P))).status).toBe(202);
    const nextSid = sid();
    expect((await postTwilio("inbound", inbound(nextSid))).status).toBe(200);
    await waitFor(
      () => countEvents("project_id = ? AND event_id IN (?, ?)", P, again.event_id, `msg:${nextSid}`).then((n) => n === 2),
      20_000,
    );
    const t = await timeline(`anonymous_id=${ANON}`);
    expect(t.person).toEqual({ person_id: `a:${ANON}`, anonymous_ids: [ANON], external_ids: [], user_ids: [] });
    expect(t.events.map((e) => e.event_id)).toEqual([again.event_id]);
    const chat = await timeline(`external_id=${encodeURIComponent(PHONE)}`);
    expect(chat.events.map((e) => e.event_id)).toEqual([`msg:${nextSid}`]);
    // The conversation starts afresh: its object forgot the erased messages.
    const row = await waitFor(
      () =>
        env.DB.prepare("SELECT messages_in FROM conversations WHERE project_id = ? AND external_id = ?")
          .bind(P, PHONE)
          .first<{ messages_in: number }>(),
      20_000,
    );
    expect(row.messages_in).toBe(1);
  });
});
