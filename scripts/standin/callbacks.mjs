// Signing and delivery of the stand-in's status callbacks. Signatures are computed exactly as the
// real providers compute them, so Junction's webhook verification runs unmodified against them.
import { createHmac } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

/** Meta's headers for a webhook body: SHA-256 (what Junction checks) plus the legacy SHA-1 Meta still sends. */
export function metaSignatureHeaders(appSecret, body) {
  return {
    "x-hub-signature": "sha1=" + createHmac("sha1", appSecret).update(body, "utf8").digest("hex"),
    "x-hub-signature-256": "sha256=" + createHmac("sha256", appSecret).update(body, "utf8").digest("hex"),
  };
}

/** Twilio's X-Twilio-Signature: base64(HMAC-SHA1(auth token, full URL + each POST param sorted by name as key + value)). */
export function twilioSignature(authToken, url, params) {
  const sorted = [...params].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return createHmac("sha1", authToken)
    .update(url + sorted.map(([k, v]) => k + v).join(""), "utf8")
    .digest("base64");
}

// Real providers retry for hours (Meta up to 7 days); a local stand-in retries briefly so a Worker
// that is still starting up gets its callbacks, without a dead target keeping the process busy.
// Only unreachable targets, 5xx and 429 are retried: any other 4xx is the receiver's verdict on the
// callback itself (a bad signature), which a retry would only delay.
const RETRY_DELAYS_MS = [100, 500, 2000];

/**
 * Runs each accepted message's status sequence and delivers (or queues) its callbacks. Steps of one
 * message go out strictly in order: with a callback URL each delivery is awaited before the next
 * step's delay starts, so the receiver sees sent → delivered → read as the real provider sends them.
 */
export class Dispatcher {
  #abort = new AbortController();
  #pending = new Set();

  constructor({ deliver, stepDelayMs, log }) {
    this.deliver = deliver; // true: POST to the request's url; false: append to the outbox
    this.stepDelayMs = stepDelayMs;
    this.log = log;
    this.outbox = [];
  }

  /** `steps` are functions building `{url, method, headers, body}` when due (timestamps are "now"). */
  schedule(record, steps) {
    const run = (async () => {
      for (const build of steps) {
        await sleep(this.stepDelayMs, undefined, { signal: this.#abort.signal });
        const request = build();
        if (!this.deliver) {
          this.outbox.push(request);
          record.callbacks.push({ url: request.url, queued: true, at: new Date().toISOString() });
          continue;
        }
        record.callbacks.push(await this.#post(request));
      }
    })().catch((err) => {
      if (err?.name !== "AbortError") this.log(`stand-in: callback sequence for ${record.id} failed: ${err?.stack ?? err}`);
    });
    this.#pending.add(run);
    run.finally(() => this.#pending.delete(run));
  }

  async #post(request) {
    const result = { url: request.url, attempts: 0, at: new Date().toISOString() };
    for (let i = 0; ; i++) {
      result.attempts++;
      try {
        const res = await fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: this.#abort.signal,
        });
        await res.arrayBuffer();
        result.http_status = res.status;
        delete result.error;
        if (res.ok || (res.status < 500 && res.status !== 429)) return result;
      } catch (err) {
        if (err?.name === "AbortError") throw err;
        result.error = String(err?.cause?.code ?? err?.message ?? err);
      }
      if (i >= RETRY_DELAYS_MS.length) {
        this.log(`stand-in: ${request.url} refused a callback after ${result.attempts} attempts (${result.http_status ?? result.error})`);
        return result;
      }
      await sleep(RETRY_DELAYS_MS[i], undefined, { signal: this.#abort.signal });
    }
  }

  /** Resolves when every scheduled sequence has finished (delivered, queued or given up). */
  async idle() {
    while (this.#pending.size) await Promise.all([...this.#pending]);
  }

  /** Drops every pending step (reset, shutdown): nothing scheduled before this is sent afterwards. */
  cancel() {
    this.#abort.abort();
    this.#abort = new AbortController();
  }
}
