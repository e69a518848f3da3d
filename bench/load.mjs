// Mixed load: SDK-shaped /capture batches and signed Meta webhooks sent side by side (autocannon,
// loopback) at one fresh stack with its Queue consumers attached, every request with fresh ids; then
// the wait until D1 holds exactly the events that were acknowledged, checked id by id.
import { createHmac, randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import autocannon from "autocannon";
import { sdkBatch } from "./capture.mjs";
import { median, percentile, record, round, startBenchStack, storedEvents } from "./lib.mjs";
import { metaDelivery } from "./webhooks.mjs";

const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const APP_SECRET = "test_app_secret_123"; // .dev.vars.example's META_APP_SECRET
const PHONE_NUMBER_ID = "112233445566778"; // mapped to the demo project by migration 0001
const PROJECT = "demo";
const env = (name, fallback) => Number(process.env[name] ?? fallback);

/** Defaults, each scalable with its env var (the recorded command names any that were set). */
const SETTINGS = {
  captureRequests: ["BENCH_LOAD_CAPTURE", 2000],
  webhookRequests: ["BENCH_LOAD_WEBHOOKS", 500],
  captureConnections: ["BENCH_LOAD_CAPTURE_CONNECTIONS", 16],
  webhookConnections: ["BENCH_LOAD_WEBHOOK_CONNECTIONS", 8],
  rounds: ["BENCH_LOAD_ROUNDS", 3],
  contacts: ["BENCH_LOAD_CONTACTS", 5],
  deadlineSeconds: ["BENCH_LOAD_DEADLINE_S", 300],
};
const EVENTS_PER_CAPTURE = 10;
const MESSAGES_PER_DELIVERY = 10;

/**
 * Ids of one round: a random 8-hex tag and a counter, so no two requests (nor rounds) share an id and
 * the round's rows are one primary-key range. Capture ids stay UUIDs (the capture contract requires it).
 */
function idSpace(tag) {
  let n = 0;
  const hex = () => (n++).toString(16).padStart(12, "0");
  return {
    captureId: () => `${tag}-0000-4000-8000-${hex()}`,
    wamid: () => `wamid.ld${tag}-${hex()}`,
    // Primary-key ranges of the stored rows ('.' sorts right after '-').
    captureRange: `event_id >= '${tag}-' AND event_id < '${tag}.'`,
    messageRange: `event_id >= 'msg:wamid.ld${tag}-' AND event_id < 'msg:wamid.ld${tag}.'`,
  };
}

/**
 * One bounded autocannon run (`amount` requests over `connections`), each request built by `build()`
 * ({ body, headers, ids }); `ack(status, body, ids)` sees every answer. One request in flight per
 * connection (no pipelining), so the connection's context pairs each answer with its request's ids.
 */
function fire({ url, connections, amount, build, ack }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    autocannon(
      {
        url,
        method: "POST",
        connections,
        amount,
        timeout: 30,
        requests: [
          {
            setupRequest(req, context) {
              const { body, headers, ids } = build();
              context.ids = ids;
              return { ...req, body, headers: { ...req.headers, ...headers } };
            },
            onResponse(status, body, context) {
              ack(status, body, context.ids);
            },
          },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
        resolve({
          seconds: (performance.now() - started) / 1000,
          p50: r.latency.p50,
          p99: r.latency.p99,
          statuses,
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          requests: r.requests.total,
        });
      },
    );
  });
}

/** Read-only SQL against the running stack's local D1 (the result of an id listing can be megabytes). */
function sql(persistTo, command) {
  const out = execFileSync(
    "node_modules/.bin/wrangler",
    ["d1", "execute", "junction", "--local", "--persist-to", persistTo, "--config", ".wrangler-bench.toml", "--json", "--command", command],
    {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, CI: "true" },
    },
  );
  return JSON.parse(out)[0].results;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** storedEvents, retried: a keep-alive socket left idle during the D1 checks may be closed under it. */
async function counted(url) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await storedEvents(url, PROJECT);
    } catch (err) {
      if (attempt === 4) throw err;
      await sleep(200);
    }
  }
}

/** One round: both kinds at once, then the wait until D1 holds what was acknowledged. */
async function loadRound(stack, index, s) {
  const tag = randomBytes(4).toString("hex");
  const ids = idSpace(tag);
  // A few contacts per round (fresh ones, so each round's first_contact rows can be checked too).
  const contacts = Array.from({ length: s.contacts }, (_, c) => `2547${String(index).padStart(2, "0")}${String(c).padStart(6, "0")}`);
  const generated = { capture: new Set(), message: new Set() };
  const acked = { capture: new Set(), message: new Set() };
  let webhookEventsAcked = 0; // the webhook's own count: message_received + first_contact per message

  const before = await counted(stack.url);
  const start = performance.now();
  const [capture, webhooks] = await Promise.all([
    fire({
      url: `${stack.url}/capture`,
      connections: s.captureConnections,
      amount: s.captureRequests,
      build: () => {
        const batch = sdkBatch(PROJECT, EVENTS_PER_CAPTURE);
        for (const e of batch.events) generated.capture.add((e.event_id = ids.captureId()));
        return {
          body: JSON.stringify(batch),
          headers: { "content-type": "text/plain", "user-agent": CHROME },
          ids: batch.events.map((e) => e.event_id),
        };
      },
      ack: (status, body, sent) => {
        if (status !== 202) return;
        const { rejected = [] } = JSON.parse(body);
        const bad = new Set(rejected.map((r) => r.index));
        for (const [i, id] of sent.entries()) if (!bad.has(i)) acked.capture.add(id);
      },
    }),
    fire({
      url: `${stack.url}/webhooks/meta`,
      connections: s.webhookConnections,
      amount: s.webhookRequests,
      build: () => {
        const wamids = Array.from({ length: MESSAGES_PER_DELIVERY }, ids.wamid);
        for (const w of wamids) generated.message.add("msg:" + w);
        const body = metaDelivery(wamids, contacts, PHONE_NUMBER_ID);
        // Signed over the exact bytes sent.
        const signature = "sha256=" + createHmac("sha256", APP_SECRET).update(Buffer.from(body)).digest("hex");
        return {
          body,
          headers: { "content-type": "application/json", "x-hub-signature-256": signature },
          ids: wamids.map((w) => "msg:" + w),
        };
      },
      ack: (status, body, sent) => {
        if (status !== 200) return;
        webhookEventsAcked += JSON.parse(body).events ?? 0;
        for (const id of sent) acked.message.add(id);
      },
    }),
  ]);
  const sendSeconds = (performance.now() - start) / 1000;
  const firstContacts = contacts.map((c) => `first_contact:${PROJECT}:+${c}`);
  const expectedFirstContacts = acked.message.size ? contacts.length : 0;
  const target = acked.capture.size + acked.message.size + expectedFirstContacts;

  // Drained: the project's event count (rollups, written in the events' transaction; cheap to poll)
  // reached the acknowledged events, confirmed id by id below. Gives up after the deadline, or after
  // 30 s without progress.
  let now = before,
    storedAt = NaN;
  const deadline = Date.now() + s.deadlineSeconds * 1000;
  for (let last = -1, stillSince = Date.now(); Date.now() < deadline; ) {
    now = await counted(stack.url);
    if (now - before >= target) {
      storedAt = performance.now();
      break;
    }
    if (now !== last) [last, stillSince] = [now, Date.now()];
    else if (Date.now() - stillSince > 30_000) break;
    await sleep(250);
  }
  const drainedSeconds = ((Number.isNaN(storedAt) ? performance.now() : storedAt) - start) / 1000;

  // The exact check: every stored id of this round's ranges, against what was generated and acknowledged.
  const inIds = (list) => list.map((x) => `'${x}'`).join(",");
  const rows = sql(
    stack.persistTo,
    `SELECT event_id FROM events WHERE (${ids.captureRange}) OR (${ids.messageRange}) OR event_id IN (${inIds(firstContacts)})`,
  );
  const [{ total, uniq }] = sql(
    stack.persistTo,
    `SELECT count(*) AS total, count(DISTINCT event_id) AS uniq FROM events WHERE (${ids.captureRange}) OR (${ids.messageRange})`,
  );
  const [{ dead }] = sql(stack.persistTo, "SELECT count(*) AS dead FROM dead_letters");
  const stored = new Set(rows.map((r) => r.event_id));
  const check = (kind) => {
    let storedAcked = 0,
      storedUnacked = 0,
      unknown = 0;
    for (const id of stored) {
      if (!(kind === "capture" ? id.startsWith(tag) : id.startsWith("msg:"))) continue;
      if (acked[kind].has(id)) storedAcked++;
      else if (generated[kind].has(id)) storedUnacked++;
      else unknown++;
    }
    return {
      generated: generated[kind].size,
      acknowledged: acked[kind].size,
      stored: storedAcked + storedUnacked + unknown,
      missing: acked[kind].size - storedAcked,
      stored_unacknowledged: storedUnacked,
      unknown,
    };
  };
  const c = check("capture"),
    m = check("message");
  const storedFirstContacts = firstContacts.filter((id) => stored.has(id)).length;
  const storedEventsSent = c.stored + m.stored;
  const statuses = (r) => Object.fromEntries(Object.entries(r.statuses).filter(([code]) => !code.startsWith("2")));
  const result = {
    tag,
    sustained_events_per_s: round(storedEventsSent / drainedSeconds),
    seconds_first_send_to_all_stored: round(drainedSeconds, 2),
    send_seconds: round(sendSeconds, 2),
    all_stored: !Number.isNaN(storedAt),
    capture: {
      requests: capture.requests,
      seconds: round(capture.seconds, 2),
      p50_ms: capture.p50,
      p99_ms: capture.p99,
      non2xx_by_status: statuses(capture),
      errors: capture.errors,
      timeouts: capture.timeouts,
      events: c,
    },
    webhooks: {
      requests: webhooks.requests,
      seconds: round(webhooks.seconds, 2),
      p50_ms: webhooks.p50,
      p99_ms: webhooks.p99,
      non2xx_by_status: statuses(webhooks),
      errors: webhooks.errors,
      timeouts: webhooks.timeouts,
      messages: m,
      events_acknowledged: webhookEventsAcked,
    },
    first_contact: { expected: expectedFirstContacts, stored: storedFirstContacts },
    acknowledged: c.acknowledged + m.acknowledged,
    stored: storedEventsSent,
    duplicates: total - uniq,
    rollup_events_added: now - before,
    rollup_events_expected: target,
    dead_letters: dead,
  };
  result.sent_equals_stored =
    c.missing === 0 &&
    m.missing === 0 &&
    c.stored_unacknowledged + m.stored_unacknowledged + c.unknown + m.unknown === 0 &&
    result.duplicates === 0 &&
    storedFirstContacts === expectedFirstContacts;
  return result;
}

/** `npm run bench:load`: the median of BENCH_LOAD_ROUNDS rounds (default 3) on one fresh stack. */
export async function benchLoad() {
  const s = Object.fromEntries(Object.entries(SETTINGS).map(([k, [name, fallback]]) => [k, env(name, fallback)]));
  const overrides = Object.values(SETTINGS)
    .filter(([name]) => process.env[name] !== undefined)
    .map(([name]) => `${name}=${process.env[name]}`);
  const stack = await startBenchStack(8795, "load");
  const rounds = [];
  try {
    // Warm-up: a few of each kind, drained, so the first round does not pay isolate start and
    // first-statement costs (its rows are outside every round's id ranges).
    await loadRound(stack, 0, { ...s, captureRequests: 32, webhookRequests: 16, deadlineSeconds: 60 });
    for (let r = 1; r <= s.rounds; r++) {
      const one = await loadRound(stack, r, s);
      rounds.push(one);
      console.log(
        `  round ${r}: ${one.sustained_events_per_s} events/s sustained (${one.stored} stored / ${one.seconds_first_send_to_all_stored} s, sends done at ${one.send_seconds} s); ` +
          `capture p50 ${one.capture.p50_ms} / p99 ${one.capture.p99_ms} ms, webhooks p50 ${one.webhooks.p50_ms} / p99 ${one.webhooks.p99_ms} ms; ` +
          `acknowledged ${one.acknowledged}, stored ${one.stored}, duplicates ${one.duplicates}, exact ${one.sent_equals_stored}; non-2xx ${JSON.stringify({ capture: one.capture.non2xx_by_status, webhooks: one.webhooks.non2xx_by_status })}`,
      );
    }
  } finally {
    stack.stop();
  }
  const med = (f) => median(rounds.map(f));
  const sumStatuses = (kind) => {
    const out = {};
    for (const r of rounds) for (const [code, n] of Object.entries(r[kind].non2xx_by_status)) out[code] = (out[code] ?? 0) + n;
    return out;
  };
  const result = {
    command: [...overrides, "npm run bench:load"].join(" "),
    rounds: rounds.length,
    capture_requests: s.captureRequests,
    capture_connections: s.captureConnections,
    events_per_capture: EVENTS_PER_CAPTURE,
    webhook_requests: s.webhookRequests,
    webhook_connections: s.webhookConnections,
    messages_per_delivery: MESSAGES_PER_DELIVERY,
    contacts: s.contacts,
    sustained_events_per_s: round(med((r) => r.sustained_events_per_s)),
    seconds_first_send_to_all_stored: round(
      med((r) => r.seconds_first_send_to_all_stored),
      2,
    ),
    capture: {
      p50_ms: med((r) => r.capture.p50_ms),
      p99_ms: med((r) => r.capture.p99_ms),
      non2xx_by_status: sumStatuses("capture"),
      errors: rounds.reduce((n, r) => n + r.capture.errors + r.capture.timeouts, 0),
    },
    webhooks: {
      p50_ms: med((r) => r.webhooks.p50_ms),
      p99_ms: med((r) => r.webhooks.p99_ms),
      non2xx_by_status: sumStatuses("webhooks"),
      errors: rounds.reduce((n, r) => n + r.webhooks.errors + r.webhooks.timeouts, 0),
    },
    // Totals over the rounds.
    acknowledged: rounds.reduce((n, r) => n + r.acknowledged, 0),
    stored: rounds.reduce((n, r) => n + r.stored, 0),
    missing: rounds.reduce((n, r) => n + r.capture.events.missing + r.webhooks.messages.missing, 0),
    duplicates: rounds.reduce((n, r) => n + r.duplicates, 0),
    sent_equals_stored: rounds.length > 0 && rounds.every((r) => r.sent_equals_stored),
    sustained_events_per_s_range: [
      round(
        percentile(
          rounds.map((r) => r.sustained_events_per_s),
          0,
        ),
      ),
      round(
        percentile(
          rounds.map((r) => r.sustained_events_per_s),
          100,
        ),
      ),
    ],
    per_round: rounds,
  };
  record("load", result);
  return result;
}
