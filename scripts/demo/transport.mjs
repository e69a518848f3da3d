// Sends the demo world through Junction's real public endpoints, with bounded concurrency:
// SDK-shaped /capture batches, signed Meta and CRM webhooks, and admin-issued handshakes.
import { createHmac } from "node:crypto";

export const META_APP_SECRET = process.env.META_APP_SECRET ?? "test_app_secret_123";
export const CRM_WEBHOOK_SECRET = process.env.CRM_WEBHOOK_SECRET ?? "test_crm_secret";
export const ADMIN_TOKEN = process.env.ADMIN_TOKEN ?? "dev-admin-token";
const WABA_ID = "109876543210987";

const hmac = (secret, data) => createHmac("sha256", secret).update(data).digest("hex");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Batching, signing and back-pressure for everything the generator sends. */
export class Transport {
  /** `phoneNumberId`: the Meta number whose webhooks route to `project` (the demo's, migrations/0001). */
  constructor({ url, project = "demo", concurrency = 8, captureBatch = 100, phoneNumberId = "112233445566778" }) {
    Object.assign(this, { url: url.replace(/\/$/, ""), project, concurrency, captureBatch, phoneNumberId });
    this.inflight = new Set();
    this.web = new Map(); // user agent → buffered events (one browser family per batch, like the SDK)
    this.metaChanges = [];
    this.crmEvents = [];
    this.stats = { web: 0, whatsapp: 0, requests: 0, rejected: 0, failed: 0, handshakes: 0, errors: [], latency: {} };
    this.client = 0;
  }

  /** Buffers one session's events; full batches go out as their own request. */
  async capture(device, events) {
    const buf = this.web.get(device.ua) ?? [];
    this.web.set(device.ua, buf);
    buf.push(...events);
    while (buf.length >= this.captureBatch) await this.#sendCapture(device.ua, buf.splice(0, this.captureBatch));
  }

  async meta(change) {
    this.metaChanges.push(change);
    if (this.metaChanges.length >= 25) await this.#sendMeta(this.metaChanges.splice(0));
  }

  async crm(event) {
    this.crmEvents.push(event);
    if (this.crmEvents.length >= 100) await this.#sendCrm(this.crmEvents.splice(0));
  }

  /** Asks for a handshake token for a contact, as a bot would (POST /api/handshakes). */
  async handshake(externalId) {
    const res = await this.#post("/api/handshakes", JSON.stringify({ project: this.project, external_id: externalId }), {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    if (!res?.ok) return null;
    this.stats.handshakes++;
    return (await res.json()).token;
  }

  /** Sends every buffer and waits for all requests in flight. */
  async flush() {
    for (const [ua, buf] of this.web) if (buf.length) await this.#sendCapture(ua, buf.splice(0));
    if (this.metaChanges.length) await this.#sendMeta(this.metaChanges.splice(0));
    if (this.crmEvents.length) await this.#sendCrm(this.crmEvents.splice(0));
    await Promise.all(this.inflight);
  }

  #sendCapture(ua, events) {
    // sent_at is the real send time: the server shifts timestamps by (receive − sent_at), so
    // events planned in the past stay in the past.
    const body = () => JSON.stringify({ project: this.project, sent_at: new Date().toISOString(), events });
    // Each request looks like its own client (the address is only a rate-limit key, never stored).
    const ip = `198.51.${(this.client >> 8) & 255}.${this.client++ & 255}`;
    return this.#enqueue("/capture", body, { "user-agent": ua, "cf-connecting-ip": ip }, async (res) => {
      const r = await res.json();
      this.stats.web += r.accepted;
      this.stats.rejected += r.rejected?.length ?? 0;
      if (r.rejected?.length && this.stats.errors.length < 5) this.stats.errors.push(`capture rejected: ${r.rejected[0].error}`);
    });
  }

  #sendMeta(changes) {
    const envelope = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: WABA_ID,
          changes: changes.map(({ field = "messages", ...v }) => ({
            field,
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "254709000000", phone_number_id: this.phoneNumberId },
              ...v,
            },
          })),
        },
      ],
    };
    const raw = JSON.stringify(envelope);
    // Meta signs the exact bytes it sends: HMAC-SHA256 with the app secret.
    const headers = { "x-hub-signature-256": "sha256=" + hmac(META_APP_SECRET, raw) };
    const count = changes.reduce((n, c) => n + (c.messages?.length ?? 0) + (c.statuses?.length ?? 0) + (c.message_echoes?.length ?? 0), 0);
    return this.#enqueue(
      "/webhooks/meta",
      () => raw,
      headers,
      async () => void (this.stats.whatsapp += count),
    );
  }

  #sendCrm(events) {
    const raw = JSON.stringify({ project: this.project, source: "demo-bot", events });
    // Signed when sent (the timestamp must be within 5 minutes of the server's clock).
    const headers = () => {
      const ts = String(Math.floor(Date.now() / 1000));
      return { "x-junction-timestamp": ts, "x-junction-signature": "sha256=" + hmac(CRM_WEBHOOK_SECRET, `${ts}.${raw}`) };
    };
    return this.#enqueue(
      "/webhooks/crm",
      () => raw,
      headers,
      async (res) => {
        const r = await res.json();
        this.stats.whatsapp += r.accepted;
        this.stats.rejected += r.rejected?.length ?? 0;
        if (r.rejected?.length && this.stats.errors.length < 5) this.stats.errors.push(`crm rejected: ${r.rejected[0].error}`);
      },
    );
  }

  /** Waits for a free slot, then sends in the background. */
  async #enqueue(path, body, headers, onOk) {
    while (this.inflight.size >= this.concurrency) await Promise.race(this.inflight);
    const p = this.#post(path, body, headers)
      .then((res) => res?.ok && onOk(res))
      .finally(() => this.inflight.delete(p));
    this.inflight.add(p);
  }

  /** POST with retries on 429/5xx/network errors; failures are counted, not thrown. */
  async #post(path, body, headers) {
    for (let attempt = 0; ; attempt++) {
      const h = typeof headers === "function" ? headers() : headers;
      try {
        this.stats.requests++;
        const began = performance.now();
        const res = await fetch(this.url + path, {
          method: "POST",
          headers: { "content-type": "application/json", ...h },
          body: typeof body === "function" ? body() : body,
        });
        const lat = (this.stats.latency[path] ??= { requests: 0, ms: 0 });
        lat.requests++;
        lat.ms += performance.now() - began;
        if (res.ok) return res;
        if ((res.status === 429 || res.status >= 500) && attempt < 5) {
          await sleep(res.status === 429 ? Number(res.headers.get("retry-after") ?? 1) * 1000 : 500 * 2 ** attempt);
          continue;
        }
        this.stats.failed++;
        if (this.stats.errors.length < 5) this.stats.errors.push(`${path} → ${res.status} ${await res.text()}`);
        return null;
      } catch (err) {
        if (attempt < 5) await sleep(500 * 2 ** attempt);
        else {
          this.stats.failed++;
          if (this.stats.errors.length < 5) this.stats.errors.push(`${path} → ${err.message}`);
          return null;
        }
      }
    }
  }
}
