// The stand-in WhatsApp send provider (scripts/standin-provider.mjs), driven through real fetch.
// Runs in Node and needs neither Chromium nor the Worker. Signatures are recomputed here
// independently of the stand-in's own code, from the providers' published algorithms.
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
// @ts-expect-error plain ESM script without type declarations
import { startStandinProvider } from "../../scripts/standin-provider.mjs";

type Outbound = { url: string; method: string; headers: Record<string, string>; body: string };
type Standin = { url: string; close(): Promise<void> };

const META_TOKEN = "test-meta-token";
const APP_SECRET = "test_app_secret_123";
const ACCOUNT_SID = "ACbe7cd2d5708606b09a5d6223fce954f6";
const AUTH_TOKEN = "0123456789abcdef0123456789abcdef";
const PUBLIC = "https://junction.example.test";
const PNID = "112233445566778";
const basic = (user: string, pass: string) => "Basic " + Buffer.from(`${user}:${pass}`).toString("base64");

const metaSig256 = (secret: string, body: string) => "sha256=" + createHmac("sha256", secret).update(body).digest("hex");
const metaSig1 = (secret: string, body: string) => "sha1=" + createHmac("sha1", secret).update(body).digest("hex");
/** Twilio: base64(HMAC-SHA1(token, url + params sorted by name, each as name + value)). */
function twilioSig(token: string, url: string, params: URLSearchParams) {
  const data =
    url +
    [...params]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => k + v)
      .join("");
  return createHmac("sha1", token).update(data).digest("base64");
}

/** Polls `probe` until it returns a value, failing after `timeoutMs`. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let standin: Standin;
let base: string;

const metaStatus = (o: Outbound) => JSON.parse(o.body).entry[0].changes[0].value.statuses[0];
const outbox = async (): Promise<Outbound[]> => (await fetch(`${base}/__outbox`)).json();
/** The outbox entries of one message once `count` of them are there. */
function callbacksFor(id: string, count: number, timeoutMs = 5_000) {
  const mine = (o: Outbound) =>
    o.url.endsWith("/webhooks/meta") ? metaStatus(o).id === id : new URLSearchParams(o.body).get("MessageSid") === id;
  return waitFor(
    `${count} callbacks for ${id}`,
    async () => {
      const found = (await outbox()).filter(mine);
      return found.length >= count ? found : undefined;
    },
    timeoutMs,
  );
}

function metaSend(body: unknown, token = META_TOKEN) {
  return fetch(`${base}/v23.0/${PNID}/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}
const components = [{ type: "body", parameters: [{ type: "text", text: "Ann" }] }];
const template = (to: string, extra: Record<string, unknown> = {}) => ({
  messaging_product: "whatsapp",
  recipient_type: "individual",
  to,
  type: "template",
  template: { name: "spring_sale", language: { code: "en_US" }, components },
  ...extra,
});
function twilioSend(params: Record<string, string>, auth = basic(ACCOUNT_SID, AUTH_TOKEN)) {
  return fetch(`${base}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: "POST",
    headers: { authorization: auth, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(params),
  });
}
const twilioTemplate = (to: string, extra: Record<string, string> = {}) => ({
  To: `whatsapp:${to}`,
  From: "whatsapp:+15550001234",
  ContentSid: "HX" + "0a".repeat(16),
  ContentVariables: '{"1":"Ann"}',
  ...extra,
});
const control = (body: unknown) =>
  fetch(`${base}/__control`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

beforeAll(async () => {
  standin = await startStandinProvider({
    port: 0,
    publicBaseUrl: PUBLIC,
    metaAccessToken: META_TOKEN,
    twilioAccountSid: ACCOUNT_SID,
    stepDelayMs: 5,
  });
  base = standin.url;
});
afterAll(() => standin?.close());
beforeEach(async () => expect((await control({ reset: true })).status).toBe(200));

describe("the test's own Twilio signing", () => {
  it("matches Twilio's documented example", () => {
    const params = new URLSearchParams({
      CallSid: "CA1234567890ABCDE",
      Caller: "+12349013030",
      Digits: "1234",
      From: "+12349013030",
      To: "+18005551212",
    });
    expect(twilioSig("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params)).toBe("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  });
});

describe("stand-in provider: Meta Cloud API", () => {
  it("answers /health", async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, callback_url: null });
  });

  it("accepts a template message and queues signed sent → delivered → read webhooks", async () => {
    const res = await metaSend(template("+1 415-555-0123", { biz_opaque_callback_data: "campaign:spring-2026" }));
    expect(res.status).toBe(200);
    const json = await res.json();
    expect(json).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "+1 415-555-0123", wa_id: "14155550123" }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9+/=]+$/), message_status: "accepted" }],
    });
    const wamid = json.messages[0].id;

    const sent = await callbacksFor(wamid, 3);
    expect(sent.map((o) => metaStatus(o).status)).toEqual(["sent", "delivered", "read"]);
    for (const o of sent) {
      expect(o).toMatchObject({ url: `${PUBLIC}/webhooks/meta`, method: "POST" });
      expect(o.headers["content-type"]).toBe("application/json");
      expect(o.headers["x-hub-signature-256"]).toBe(metaSig256(APP_SECRET, o.body));
      expect(o.headers["x-hub-signature"]).toBe(metaSig1(APP_SECRET, o.body));
      const env = JSON.parse(o.body);
      expect(env.object).toBe("whatsapp_business_account");
      expect(env.entry[0].changes[0].field).toBe("messages");
      expect(env.entry[0].changes[0].value).toMatchObject({ messaging_product: "whatsapp", metadata: { phone_number_id: PNID } });
      expect(metaStatus(o)).toMatchObject({
        id: wamid,
        recipient_id: "14155550123",
        biz_opaque_callback_data: "campaign:spring-2026",
        timestamp: expect.stringMatching(/^\d{10}$/),
      });
    }
    const [first, second, third] = sent.map(metaStatus);
    expect(first.conversation).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      expiration_timestamp: expect.stringMatching(/^\d{10}$/),
      origin: { type: "marketing" },
    });
    expect(first.pricing).toEqual({ billable: true, pricing_model: "PMP", type: "regular", category: "marketing" });
    expect(second.conversation.id).toBe(first.conversation.id);
    expect(third.pricing).toBeUndefined();

    const messages = await (await fetch(`${base}/__messages?provider=meta`)).json();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      provider: "meta",
      id: wamid,
      phone_number_id: PNID,
      template: "spring_sale",
      biz_opaque_callback_data: "campaign:spring-2026",
    });
  });

  it("refuses a wrong or missing token with Graph's 401 OAuthException", async () => {
    for (const res of [
      await metaSend(template("14155550123"), "wrong"),
      await fetch(`${base}/v23.0/${PNID}/messages`, { method: "POST", body: "{}" }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^OAuth "Facebook Platform" "invalid_token"/);
      expect(await res.json()).toEqual({
        error: {
          message: "Invalid OAuth access token - Cannot parse access token",
          type: "OAuthException",
          code: 190,
          fbtrace_id: expect.any(String),
        },
      });
    }
    expect(await (await fetch(`${base}/__messages`)).json()).toEqual([]);
  });

  it("answers a missing `to` or template name with (#100) Invalid parameter", async () => {
    const { to: _, ...noTo } = template("14155550123");
    const res = await metaSend(noTo);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: {
        message: "(#100) Invalid parameter",
        type: "OAuthException",
        code: 100,
        error_data: { messaging_product: "whatsapp", details: "The parameter to is required." },
        fbtrace_id: expect.any(String),
      },
    });
    const noName = await metaSend(template("14155550123", { template: { language: { code: "en_US" } } }));
    expect(noName.status).toBe(400);
    expect((await noName.json()).error).toMatchObject({
      code: 100,
      error_data: { details: "The parameter template['name'] is required." },
    });
  });

  it("injects the next failures, then recovers", async () => {
    await control({ fail_next: 2, status: 503 });
    for (let i = 0; i < 2; i++) {
      const res = await metaSend(template("14155550123"));
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatchObject({
        message: "(#131016) Service unavailable",
        type: "OAuthException",
        code: 131016,
        fbtrace_id: expect.any(String),
      });
    }
    expect((await metaSend(template("14155550123"))).status).toBe(200);

    await control({ fail_next: 1, status: null, code: 132001 });
    const missing = await metaSend(template("14155550123"));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatchObject({ message: "(#132001) Template does not exist", code: 132001 });

    await control({ fail_rate: 1, code: null });
    expect((await metaSend(template("14155550123"))).status).toBe(500);
    await control({ fail_rate: 0 });
    expect((await metaSend(template("14155550123"))).status).toBe(200);
  });

  it("answers 130429 above the configured throughput", async () => {
    await control({ throughput_per_second: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await metaSend(template("14155550123")));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 400]);
    expect((await statuses[2].json()).error).toMatchObject({ message: "(#130429) Rate limit hit", code: 130429, error_subcode: 2494055 });
  });

  it("fails a configured recipient with that error code in a signed `failed` status", async () => {
    await control({ recipient_errors: { "+15550009999": 131026 } });
    const res = await metaSend(template("15550009999", { biz_opaque_callback_data: "campaign:x" }));
    expect(res.status).toBe(200);
    const wamid = (await res.json()).messages[0].id;
    const [failed, ...rest] = await callbacksFor(wamid, 1);
    expect(rest).toEqual([]);
    expect(failed.headers["x-hub-signature-256"]).toBe(metaSig256(APP_SECRET, failed.body));
    expect(metaStatus(failed)).toMatchObject({
      id: wamid,
      status: "failed",
      recipient_id: "15550009999",
      biz_opaque_callback_data: "campaign:x",
      errors: [{ code: 131026, title: "Message undeliverable" }],
    });
  });

  it("adds latency to sends", async () => {
    await control({ latency_ms: 150 });
    const started = performance.now();
    expect((await metaSend(template("14155550123"))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe("stand-in provider: Twilio Messages API", () => {
  it("queues a content-template message and signs its status callbacks over the StatusCallback URL", async () => {
    const statusCallback = `${PUBLIC}/webhooks/twilio/status?tenant=acme`;
    const res = await twilioSend(twilioTemplate("+14155550123", { StatusCallback: statusCallback }));
    expect(res.status).toBe(201);
    const json = await res.json();
    expect(json).toMatchObject({
      sid: expect.stringMatching(/^SM[0-9a-f]{32}$/),
      status: "queued",
      account_sid: ACCOUNT_SID,
      to: "whatsapp:+14155550123",
      from: "whatsapp:+15550001234",
      direction: "outbound-api",
      api_version: "2010-04-01",
      error_code: null,
    });
    expect(json.uri).toBe(`/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${json.sid}.json`);

    const sent = await callbacksFor(json.sid, 3);
    expect(sent.map((o) => new URLSearchParams(o.body).get("MessageStatus"))).toEqual(["sent", "delivered", "read"]);
    for (const o of sent) {
      expect(o).toMatchObject({ url: statusCallback, method: "POST" });
      expect(o.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      const params = new URLSearchParams(o.body);
      expect(o.headers["x-twilio-signature"]).toBe(twilioSig(AUTH_TOKEN, statusCallback, params));
      expect(Object.fromEntries(params)).toMatchObject({
        MessageSid: json.sid,
        AccountSid: ACCOUNT_SID,
        To: "whatsapp:+14155550123",
        From: "whatsapp:+15550001234",
      });
      expect(params.has("ErrorCode")).toBe(false);
    }
  });

  it("answers `accepted` for a Messaging Service and signs over the public base URL by default", async () => {
    const { From: _, ...viaService } = twilioTemplate("+14155550123", { MessagingServiceSid: "MG" + "1b".repeat(16) });
    const res = await twilioSend(viaService);
    expect(res.status).toBe(201);
    const json = await res.json();
    expect(json).toMatchObject({ status: "accepted", from: null, messaging_service_sid: "MG" + "1b".repeat(16) });
    const [first] = await callbacksFor(json.sid, 1);
    expect(first.url).toBe(`${PUBLIC}/webhooks/twilio/status`);
    expect(first.headers["x-twilio-signature"]).toBe(twilioSig(AUTH_TOKEN, first.url, new URLSearchParams(first.body)));
    expect(new URLSearchParams(first.body).get("From")).toBe("whatsapp:+15550001234");
  });

  it("refuses bad credentials with 20003 Authenticate", async () => {
    for (const auth of [basic(ACCOUNT_SID, "wrong-token"), basic("AC" + "f".repeat(32), AUTH_TOKEN), ""]) {
      const res = await twilioSend(twilioTemplate("+14155550123"), auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        code: 20003,
        message: "Authenticate",
        more_info: "https://www.twilio.com/docs/errors/20003",
        status: 401,
      });
    }
  });

  it("answers a missing To or sender with Twilio's 400 codes", async () => {
    const { To: _, ...noTo } = twilioTemplate("+14155550123");
    const res = await twilioSend(noTo);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 21604,
      message: "A 'To' phone number is required.",
      more_info: "https://www.twilio.com/docs/errors/21604",
      status: 400,
    });
    const { From: __, ...noFrom } = twilioTemplate("+14155550123");
    expect((await (await twilioSend(noFrom)).json()).code).toBe(21603);
  });

  it("injects failures for one provider only, and 20429 above the throughput", async () => {
    await control({ fail_next: 1, status: 500, provider: "twilio" });
    expect((await metaSend(template("14155550123"))).status).toBe(200);
    const res = await twilioSend(twilioTemplate("+14155550123"));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({
      code: 20500,
      message: "An internal server error has occurred",
      more_info: "https://www.twilio.com/docs/errors/20500",
      status: 500,
    });

    await control({ throughput_per_second: 1 });
    expect((await twilioSend(twilioTemplate("+14155550123"))).status).toBe(201);
    const limited = await twilioSend(twilioTemplate("+14155550123"));
    expect(limited.status).toBe(429);
    expect((await limited.json()).code).toBe(20429);
  });

  it("fails a configured recipient with ErrorCode in a signed callback", async () => {
    await control({ recipient_errors: { "whatsapp:+15550008888": 63024 } });
    const sid = (await (await twilioSend(twilioTemplate("+15550008888"))).json()).sid;
    const [failed, ...rest] = await callbacksFor(sid, 1);
    expect(rest).toEqual([]);
    const params = new URLSearchParams(failed.body);
    expect(Object.fromEntries(params)).toMatchObject({ MessageSid: sid, MessageStatus: "failed", ErrorCode: "63024" });
    expect(failed.headers["x-twilio-signature"]).toBe(twilioSig(AUTH_TOKEN, failed.url, params));
  });
});

describe("stand-in provider: control endpoints", () => {
  it("lists and clears messages and the outbox; refuses unknown controls", async () => {
    const wamid = (await (await metaSend(template("14155550123"))).json()).messages[0].id;
    await callbacksFor(wamid, 3);
    expect(await (await fetch(`${base}/__messages`)).json()).toHaveLength(1);
    expect((await fetch(`${base}/__messages`, { method: "DELETE" })).status).toBe(200);
    expect(await (await fetch(`${base}/__messages`)).json()).toEqual([]);
    expect((await fetch(`${base}/__outbox`, { method: "DELETE" })).status).toBe(200);
    expect(await outbox()).toEqual([]);
    const bad = await control({ fail_nxt: 1 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/fail_nxt/);
  });
});

describe("stand-in provider: delivering callbacks", () => {
  type Received = { url: string; headers: IncomingMessage["headers"]; body: string };
  let receiver: Server;
  let received: Received[];
  let live: Standin;

  beforeAll(async () => {
    received = [];
    receiver = createServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      received.push({ url: req.url ?? "", headers: req.headers, body });
      // The first delivery is refused, so the stand-in's retry is exercised too.
      res.writeHead(received.length === 1 ? 503 : 200).end();
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    live = await startStandinProvider({
      port: 0,
      callbackUrl,
      publicBaseUrl: PUBLIC,
      metaAccessToken: META_TOKEN,
      twilioAccountSid: ACCOUNT_SID,
      stepDelayMs: 5,
    });
  });
  afterAll(async () => {
    await live?.close();
    await new Promise((r) => receiver?.close(r));
  });

  it("POSTs signed callbacks in order to the callback URL, retrying a refused one", async () => {
    const metaRes = await fetch(`${live.url}/v23.0/${PNID}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${META_TOKEN}` },
      body: JSON.stringify(template("14155550123", { biz_opaque_callback_data: "c1" })),
    });
    const wamid = (await metaRes.json()).messages[0].id;
    const twilioRes = await fetch(`${live.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
      method: "POST",
      headers: { authorization: basic(ACCOUNT_SID, AUTH_TOKEN) },
      body: new URLSearchParams(twilioTemplate("+14155550123", { StatusCallback: `${PUBLIC}/webhooks/twilio/status?x=1` })),
    });
    const sid = (await twilioRes.json()).sid;

    // 3 + 3 callbacks, one of them twice (the refused first delivery).
    await waitFor("7 deliveries", async () => (received.length >= 7 ? true : undefined));
    const meta = received.filter((r) => r.url === "/webhooks/meta");
    const twilio = received.filter((r) => r.url === "/webhooks/twilio/status?x=1");
    expect(meta.length + twilio.length).toBe(7);
    for (const r of meta) expect(r.headers["x-hub-signature-256"]).toBe(metaSig256(APP_SECRET, r.body));
    const metaStatuses = meta.map((r) => JSON.parse(r.body).entry[0].changes[0].value.statuses[0]);
    expect(metaStatuses.every((s) => s.id === wamid && s.biz_opaque_callback_data === "c1")).toBe(true);
    expect([...new Set(metaStatuses.map((s) => s.status))]).toEqual(["sent", "delivered", "read"]);
    // Signed over the public URL Twilio would have called, delivered to the local one.
    for (const r of twilio)
      expect(r.headers["x-twilio-signature"]).toBe(
        twilioSig(AUTH_TOKEN, `${PUBLIC}/webhooks/twilio/status?x=1`, new URLSearchParams(r.body)),
      );
    expect([...new Set(twilio.map((r) => new URLSearchParams(r.body).get("MessageStatus")))]).toEqual(["sent", "delivered", "read"]);
    expect(twilio.every((r) => new URLSearchParams(r.body).get("MessageSid") === sid)).toBe(true);
  });
});

// The browser project's globalSetup runs the real Worker (wrangler dev); when it is there, Junction's
// own webhook verification is the judge of the signatures. Skipped under a config without it.
describe.skipIf(!inject("baseUrl"))("stand-in provider: against the local Worker", () => {
  let live: Standin;
  beforeAll(async () => {
    live = await startStandinProvider({
      port: 0,
      callbackUrl: inject("baseUrl"),
      metaAccessToken: META_TOKEN,
      twilioAccountSid: ACCOUNT_SID,
      stepDelayMs: 5,
    });
  });
  afterAll(() => live?.close());

  it("has every Meta and Twilio callback accepted by Junction's webhooks", async () => {
    await fetch(`${live.url}/v23.0/${PNID}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${META_TOKEN}` },
      body: JSON.stringify(template("14155550123", { biz_opaque_callback_data: "campaign:e2e" })),
    });
    await fetch(`${live.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
      method: "POST",
      headers: { authorization: basic(ACCOUNT_SID, AUTH_TOKEN) },
      body: new URLSearchParams(twilioTemplate("+14155550123")),
    });
    type Record = { provider: string; callbacks: { http_status?: number; error?: string }[] };
    const records = await waitFor(
      "3 delivered callbacks per message",
      async () => {
        const list: Record[] = await (await fetch(`${live.url}/__messages`)).json();
        return list.length === 2 && list.every((m) => m.callbacks.length === 3) ? list : undefined;
      },
      20_000,
    );
    for (const m of records) expect(m.callbacks.map((c) => c.http_status ?? c.error)).toEqual([200, 200, 200]);
  });
});
