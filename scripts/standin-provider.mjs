// A local stand-in for the WhatsApp send providers (Meta Cloud API and Twilio Messages API): same
// request/response formats, same error envelopes, and status callbacks signed exactly as the real
// ones are, so the campaign sender and the webhook path can be tested and demoed offline.
// See docs/standin-provider.md. node:http and node:crypto only: no dependency to install.
//
//   node scripts/standin-provider.mjs --port 8790 --callback http://127.0.0.1:8787
import { createServer } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { Dispatcher } from "./standin/callbacks.mjs";
import { applyControl, describeControls, freshControls, Throughput } from "./standin/controls.mjs";
import { metaSend } from "./standin/meta.mjs";
import { newChannelInstallSid, twilioSend } from "./standin/twilio.mjs";

// The local defaults every developer has (.dev.vars.example), so a fresh `npm start` Worker
// verifies the stand-in's callbacks without any setup.
export const DEFAULTS = {
  host: "127.0.0.1",
  port: 0,
  callbackUrl: undefined,
  publicBaseUrl: undefined,
  metaAccessToken: "standin-meta-access-token",
  metaAppSecret: "test_app_secret_123",
  wabaId: "102290129340398",
  metaDisplayPhoneNumber: "15550001234",
  defaultTemplateCategory: "marketing",
  twilioAccountSid: "AC0123456789abcdef0123456789abcdef",
  twilioAuthToken: "0123456789abcdef0123456789abcdef",
  twilioFrom: "whatsapp:+15550001234",
  stepDelayMs: 20,
  maxBodyBytes: 1024 * 1024,
};

const trimSlash = (u) => (u ? String(u).replace(/\/+$/, "") : undefined);

/**
 * Starts the stand-in. Without `callbackUrl` (or `callback`) callbacks are kept in the outbox
 * (`GET /__outbox`) instead of sent. Resolves once listening; `close()` stops it and drops any
 * callbacks not yet due.
 */
export async function startStandinProvider(options = {}) {
  const opts = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  opts.callbackUrl = trimSlash(opts.callbackUrl ?? opts.callback);
  const log = opts.log ?? ((m) => console.error(m));
  const publicBase = trimSlash(opts.publicBaseUrl) ?? opts.callbackUrl ?? "http://127.0.0.1:8787";
  const ctx = {
    opts,
    log,
    random: opts.random ?? Math.random,
    callbackUrl: opts.callbackUrl,
    publicBase,
    callbackBase: opts.callbackUrl ?? publicBase,
    channelInstallSid: newChannelInstallSid(),
    controls: freshControls(),
    throughput: new Throughput(),
    conversations: new Map(),
    messages: [],
    dispatcher: new Dispatcher({ deliver: Boolean(opts.callbackUrl), stepDelayMs: opts.stepDelayMs, log }),
  };

  const server = createServer((req, res) => {
    route(ctx, req, res).catch((err) => {
      log(`stand-in: ${req.method} ${req.url} failed: ${err?.stack ?? err}`);
      if (!res.headersSent) send(res, 500, { error: "standin_internal_error", message: String(err?.message ?? err) });
      else res.destroy();
    });
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => (server.off("error", reject), resolve()));
  });
  const { port } = server.address();
  const url = `http://${opts.host.includes(":") ? `[${opts.host}]` : opts.host}:${port}`;

  return {
    url,
    port,
    server,
    /** Accepted messages, oldest first (the live array). */
    messages: () => ctx.messages,
    /** Queued callbacks when no callback URL is set (the live array). */
    outbox: () => ctx.dispatcher.outbox,
    /** Same as `POST /__control`; throws on a refused body. */
    control: (body) => control(ctx, body),
    /** Resolves once every scheduled callback has been sent, queued or given up on. */
    idle: () => ctx.dispatcher.idle(),
    close: async () => {
      ctx.dispatcher.cancel();
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function control(ctx, body) {
  if (applyControl(ctx.controls, body)) {
    ctx.dispatcher.cancel();
    ctx.messages.length = 0;
    ctx.dispatcher.outbox.length = 0;
    ctx.throughput.clear();
    ctx.conversations.clear();
  }
  return describeControls(ctx.controls);
}

function send(res, status, json, headers = {}) {
  const body = JSON.stringify(json);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

const META_SEND = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/;
const TWILIO_SEND = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;

async function route(ctx, req, res) {
  const url = new URL(req.url ?? "/", "http://standin.local");
  const path = url.pathname;
  const method = req.method ?? "GET";
  const raw = await readBody(req, ctx.opts.maxBodyBytes);
  if (raw === null) return send(res, 413, { error: "payload_too_large" });

  if (path === "/health" && method === "GET") {
    return send(res, 200, {
      ok: true,
      providers: ["meta", "twilio"],
      messages: ctx.messages.length,
      outbox: ctx.dispatcher.outbox.length,
      callback_url: ctx.callbackUrl ?? null,
    });
  }
  if (path === "/__messages") {
    if (method === "GET") {
      const provider = url.searchParams.get("provider");
      return send(res, 200, provider ? ctx.messages.filter((m) => m.provider === provider) : ctx.messages);
    }
    if (method === "DELETE") return ((ctx.messages.length = 0), send(res, 200, { ok: true }));
  }
  if (path === "/__outbox") {
    if (method === "GET") return send(res, 200, ctx.dispatcher.outbox);
    if (method === "DELETE") return ((ctx.dispatcher.outbox.length = 0), send(res, 200, { ok: true }));
  }
  if (path === "/__control") {
    if (method === "GET") return send(res, 200, describeControls(ctx.controls));
    if (method === "POST") {
      let body;
      try {
        body = JSON.parse(raw || "{}");
        return send(res, 200, control(ctx, body));
      } catch (err) {
        return send(res, 400, { error: "bad_control", message: err.message });
      }
    }
  }

  let m;
  if (method === "POST" && ((m = path.match(META_SEND)) || (m = path.match(TWILIO_SEND)))) {
    // Latency applies to the sends only, so a slow provider never slows the test's own control calls.
    if (ctx.controls.latencyMs) await sleep(ctx.controls.latencyMs);
    const out = path.startsWith("/2010-04-01/")
      ? twilioSend(ctx, { req, url, accountSid: decodeURIComponent(m[1]), raw })
      : metaSend(ctx, { req, url, version: m[1], phoneNumberId: decodeURIComponent(m[2]), raw });
    return send(res, out.status, out.json, out.headers);
  }
  return send(res, 404, { error: "not_found", message: `${method} ${path} is not part of the stand-in` });
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.STANDIN_PORT ?? "8790" },
      host: { type: "string", default: DEFAULTS.host },
      callback: { type: "string", default: process.env.STANDIN_CALLBACK_URL },
      "public-base-url": { type: "string", default: process.env.PUBLIC_BASE_URL },
      "step-delay-ms": { type: "string", default: String(DEFAULTS.stepDelayMs) },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: node scripts/standin-provider.mjs [--port 8790] [--host 127.0.0.1] [--callback http://127.0.0.1:8787] [--public-base-url URL] [--step-delay-ms 20]",
    );
    console.log("env: META_ACCESS_TOKEN, META_APP_SECRET, TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN override the local defaults.");
    process.exit(0);
  }
  const p = await startStandinProvider({
    port: Number(values.port),
    host: values.host,
    callbackUrl: values.callback,
    publicBaseUrl: values["public-base-url"],
    stepDelayMs: Number(values["step-delay-ms"]),
    metaAccessToken: process.env.META_ACCESS_TOKEN || undefined,
    metaAppSecret: process.env.META_APP_SECRET || undefined,
    twilioAccountSid: process.env.TWILIO_ACCOUNT_SID || undefined,
    twilioAuthToken: process.env.TWILIO_AUTH_TOKEN || undefined,
  });
  const token = process.env.META_ACCESS_TOKEN || DEFAULTS.metaAccessToken;
  const sid = process.env.TWILIO_ACCOUNT_SID || DEFAULTS.twilioAccountSid;
  console.log(`WhatsApp stand-in provider on ${p.url}`);
  console.log(
    values.callback
      ? `  callbacks → ${values.callback.replace(/\/+$/, "")}/webhooks/meta, /webhooks/twilio/status`
      : `  no --callback: callbacks kept in ${p.url}/__outbox`,
  );
  console.log(
    `  Worker vars: META_API_BASE_URL=${p.url} META_ACCESS_TOKEN=${token} TWILIO_API_BASE_URL=${p.url} TWILIO_ACCOUNT_SID=${sid}`,
  );
  const stop = () => p.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
