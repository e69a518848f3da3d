import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Timeline } from "../../workers/contract";
import { enqueue } from "../../workers/lib/queue";
import { conversationStub, newConversation, waEvent } from "./conversation-helpers";
import { ADMIN, BASE, batch, capture, countEvents, readJson, waitFor, webEvent } from "./helpers";
import { handshakeIssuedSchema, handshakeStatsSchema, timelineSchema } from "../../workers/contract";

const READ = { authorization: "Bearer demo-read-token" };

function issue(body: unknown, auth: Record<string, string> = ADMIN) {
  return SELF.fetch(`${BASE}/api/handshakes`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function issueToken(phone: string, over: Record<string, unknown> = {}) {
  const res = await issue({ project: "demo", external_id: phone, ...over });
  expect(res.status).toBe(201);
  return readJson(res, handshakeIssuedSchema);
}

/** What the SDK sends when a webview opens with `?hs_token=`. */
function handshakeComplete(token: string, anonymousId: string, over: Record<string, unknown> = {}) {
  return webEvent({
    event: "handshake_complete",
    anonymous_id: anonymousId,
    context: { page: { url: "https://tax.example/mri" }, handshake_token: token },
    ...over,
  });
}

async function stats() {
  const res = await SELF.fetch(`${BASE}/api/projects/demo/handshakes/stats`, { headers: READ });
  expect(res.status).toBe(200);
  return readJson(res, handshakeStatsSchema);
}

async function timeline(query: string): Promise<Timeline> {
  const res = await SELF.fetch(`${BASE}/api/projects/demo/timeline?${query}`, { headers: READ });
  expect(res.status).toBe(200);
  return readJson(res, timelineSchema);
}

const attempts = (outcome: string, anon: string) =>
  env.DB.prepare("SELECT count(*) AS n FROM handshake_attempts WHERE outcome = ? AND anonymous_id = ?")
    .bind(outcome, anon)
    .first<number>("n");

describe("handshakes", { timeout: 30_000 }, () => {
  it("links a WhatsApp contact to the web visitor who redeems the token, and the timeline shows both channels", async () => {
    const conv = newConversation();
    const formatted = `${conv.phone.slice(0, 4)} ${conv.phone.slice(4, 7)} ${conv.phone.slice(7)}`;
    const hs = await issueToken(formatted, { conversation_id: conv.conversationId });
    expect(hs.token).toMatch(/^hs_[A-Za-z0-9_-]{32}$/);
    expect(hs.url).toBe(`${env.WEBVIEW_URL}?hs_token=${hs.token}`);
    expect(Date.parse(hs.expires_at) - Date.now()).toBeGreaterThan(23 * 3600_000);

    const t = Date.now() - 5 * 60_000;
    await enqueue(
      env.EVENTS,
      [
        waEvent(conv, "message_received", t, { direction: "inbound" }),
        waEvent(conv, "bot_response", t + 2_000, { direction: "outbound" }),
      ].map((event) => ({ kind: "event", event })),
    );

    const anon = "anon-" + crypto.randomUUID();
    const view = webEvent({ anonymous_id: anon, timestamp: new Date(Date.now() - 2_000).toISOString() });
    const done = handshakeComplete(hs.token, anon, { timestamp: new Date(Date.now() - 1_000).toISOString() });
    expect((await capture(batch([view, done]))).status).toBe(202);

    const tl = await waitFor(async () => {
      const r = await timeline(`anonymous_id=${anon}`);
      return r.events.some((e) => e.event_name === "webview_opened") && r.events.length === 5 ? r : null;
    });
    expect(tl.person).toMatchObject({ anonymous_ids: [anon], external_ids: [conv.phone], user_ids: [] });
    expect(tl.events.map((e) => `${e.channel_type}:${e.event_name}`)).toEqual([
      "whatsapp:message_received",
      "whatsapp:bot_response",
      "web:page_view",
      "web:handshake_complete",
      "whatsapp:webview_opened",
    ]);
    const opened = tl.events.find((e) => e.event_name === "webview_opened")!;
    expect(opened).toMatchObject({ conversation_id: conv.conversationId, external_id: conv.phone, anonymous_id: anon });
    expect(opened.timestamp).toBe(tl.events.find((e) => e.event_name === "handshake_complete")!.timestamp);

    // The same person seen from the phone side.
    const byPhone = await timeline(`external_id=${encodeURIComponent(conv.phone)}`);
    expect(byPhone.person.person_id).toBe(tl.person.person_id);
    expect(byPhone.events.map((e) => e.event_id)).toEqual(tl.events.map((e) => e.event_id));

    // webview_opened reached the conversation too.
    await waitFor(async () => (await conversationStub(conv.conversationId).summary())?.last_event_at === Date.parse(opened.timestamp));
    expect(await attempts("redeemed", anon)).toBe(1);
  });

  it("rejects and counts a reused token, but not the same event delivered twice", async () => {
    const { phone } = newConversation();
    const hs = await issueToken(phone);
    const first = "anon-" + crypto.randomUUID();
    const done = handshakeComplete(hs.token, first);
    await capture(batch([done]));
    await capture(batch([done])); // a retried beacon: same event id
    await waitFor(() => countEvents("event_id LIKE 'webview_%' AND anonymous_id = ?", first));

    const second = "anon-" + crypto.randomUUID();
    await capture(batch([handshakeComplete(hs.token, second)]));
    await waitFor(() => attempts("reused", second));
    expect(await attempts("redeemed", first)).toBe(1);
    expect(await attempts("reused", first)).toBe(0);
    expect((await timeline(`anonymous_id=${second}`)).person.external_ids).toEqual([]);
  });

  it("rejects and counts expired and unknown tokens without linking", async () => {
    const before = await stats();
    const { phone } = newConversation();
    const hs = await issueToken(phone, { ttl_seconds: 1 });
    // Barrier on the token's own expiry time, not a fixed sleep (bounded: the ttl is one second).
    await waitFor(async () => Date.now() > Date.parse(hs.expires_at), 5_000);
    const late = "anon-" + crypto.randomUUID();
    const stranger = "anon-" + crypto.randomUUID();
    await capture(batch([handshakeComplete(hs.token, late)]));
    await capture(batch([handshakeComplete("hs_never-issued-token-0000000000000", stranger)]));
    await waitFor(async () => (await attempts("expired", late)) && (await attempts("unknown", stranger)));
    const after = await stats();
    expect(after.issued - before.issued).toBe(1);
    expect(after.expired - before.expired).toBe(1);
    expect(after.unknown - before.unknown).toBe(1);
    expect(after.rejected - before.rejected).toBe(2);
    expect(after.redeemed).toBe(before.redeemed);
    expect((await timeline(`anonymous_id=${late}`)).person.external_ids).toEqual([]);
    expect(await countEvents("event_name = 'webview_opened' AND anonymous_id IN (?, ?)", late, stranger)).toBe(0);
  });

  it("links transitively: a visitor on a second device reaches the first device's history through the phone", async () => {
    const { phone } = newConversation();
    const laptop = "anon-" + crypto.randomUUID();
    const mobile = "anon-" + crypto.randomUUID();
    const laptopView = webEvent({ anonymous_id: laptop });
    await capture(batch([laptopView, handshakeComplete((await issueToken(phone)).token, laptop)]));
    await waitFor(() => countEvents("event_name = 'webview_opened' AND anonymous_id = ?", laptop));
    await capture(batch([handshakeComplete((await issueToken(phone)).token, mobile, { user_id: "user-" + laptop })]));
    await waitFor(() => countEvents("event_name = 'webview_opened' AND anonymous_id = ?", mobile));

    const tl = await timeline(`anonymous_id=${mobile}`);
    expect(tl.person.anonymous_ids.sort()).toEqual([laptop, mobile].sort());
    expect(tl.person.external_ids).toEqual([phone]);
    expect(tl.person.user_ids).toEqual(["user-" + laptop]);
    expect(tl.events.map((e) => e.event_id)).toContain(laptopView.event_id);
    expect((await timeline(`user_id=user-${laptop}`)).person.person_id).toBe(tl.person.person_id);
  });
});
