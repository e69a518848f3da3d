// Dashboard at volume: ingest N (default 1,000,000) demo events through the real pipeline
// (SDK-shaped /capture batches, signed webhooks, handshakes), then time the dashboard's queries
// on rollups side by side with the same queries scanning raw events.
import { existsSync } from "node:fs";
import { generate } from "../scripts/demo.mjs";
import { ADMIN, median, record, round, startBenchStack, storedEvents } from "./lib.mjs";
import { startStack } from "../scripts/local-stack.mjs";
import { benchConfig } from "./lib.mjs";

// BENCH_STATE points the query sections at another database (e.g. a small one while editing them).
const PERSIST = process.env.BENCH_STATE ?? "bench/out/state-million";
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);

async function drained(url, target) {
  let stored = 0;
  for (let last = -1, still = 0; still < 12; ) {
    stored = await storedEvents(url, "demo");
    if (stored >= target) break;
    still = stored === last ? still + 1 : 0;
    last = stored;
    await new Promise((r) => setTimeout(r, 5000));
  }
  return stored;
}

/**
 * Ingests EVENTS demo events into a fresh database and reports time and rate. The client paces
 * itself in chunks of 50,000 events, waiting for the consumer between chunks: the local Queue
 * simulator keeps its backlog in one isolate's memory and slows to a crawl past ~100k waiting
 * messages (a production Queue does not), so an unpaced client would measure the simulator.
 */
export async function benchIngest() {
  const stack = await startBenchStack(8792, "million");
  const chunk = 50_000;
  let sent = 0,
    requests = 0,
    rejected = 0,
    failed = 0,
    stored = 0;
  try {
    const start = performance.now();
    for (let k = 0; sent < EVENTS; k++) {
      const r = await generate({ url: stack.url, events: Math.min(chunk, EVENTS - sent), days: 30, seed: 7 + k, concurrency: 16 });
      sent += r.sent;
      requests += r.requests;
      rejected += r.rejected ?? 0;
      failed += r.failed ?? 0;
      stored = await drained(stack.url, sent);
      console.log(`  ${sent} sent, ${stored} stored, ${round(stored / ((performance.now() - start) / 1000))} events/s so far`);
    }
    const seconds = (performance.now() - start) / 1000;
    const result = {
      command: `BENCH_EVENTS=${EVENTS} npm run bench -- ingest`,
      events_sent: sent,
      events_stored: stored,
      seconds_until_stored: round(seconds),
      events_per_s: round(stored / seconds),
      requests,
      rejected,
      failed,
    };
    record("ingest", result);
    return result;
  } finally {
    stack.stop();
  }
}

const DAY = 86_400_000;

/** The real stack on the million-event database (ingested first when it does not exist yet). */
export async function millionStack(port) {
  if (!existsSync(PERSIST)) await benchIngest();
  return startStack({ port, persistTo: PERSIST, config: benchConfig(), quiet: true });
}

/** The last 30 whole UTC days up to the end of today, as ISO times and as a query string. */
export function range30() {
  const to = new Date(Math.ceil(Date.now() / DAY) * DAY).toISOString();
  const from = new Date(Date.parse(to) - 30 * DAY).toISOString();
  return { from, to, range: `from=${from}&to=${to}&tz=UTC` };
}

/** p50 of each dashboard query over the ingested data: rollups vs raw events, alternating runs. */
export async function benchQueries({ runs = 7, rawRuns = 3, rawTimeoutMs = 120_000 } = {}) {
  const stack = await millionStack(8793);
  const base = `${stack.url}/api/projects/demo`;
  const { from, to, range } = range30();
  const get = (path, timeout = rawTimeoutMs) => fetch(`${base}${path}`, { headers: ADMIN, signal: AbortSignal.timeout(timeout) });
  const getLong = (path) => get(path, 10 * rawTimeoutMs);
  // A raw scan that outlasts the timeout is reported as "> timeout", not waited for.
  const time = async (fn) => {
    const t = performance.now();
    let res;
    try {
      res = await fn();
    } catch (err) {
      if (err.name === "TimeoutError") return Infinity;
      throw err;
    }
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    return performance.now() - t;
  };
  const funnel = {
    steps: [
      { event: "page_view", path: "/returns/mri" },
      { event: "return_started", where: { journey: "MRI" } },
      { event: "return_submitted", where: { journey: "MRI" } },
    ],
    window: 3 * 86400,
    from,
    to,
  };
  const queries = {
    overview_series: (src) => () => get(`/stats/overview?${range}&interval=day&source=${src}`),
    top_pages: (src) => () => get(`/stats/breakdown?${range}&dimension=path&limit=10&source=${src}`),
  };
  const out = { command: "npm run bench -- queries", events_in_db: await storedEvents(stack.url, "demo"), runs };
  try {
    for (const [name, q] of Object.entries(queries)) {
      const rollups = [],
        raw = [];
      await time(q("rollups"));
      for (let i = 0; i < runs; i++) {
        rollups.push(await time(q("rollups")));
        if (i < rawRuns) raw.push(await time(q("raw")));
      }
      const rawP50 = median(raw);
      out[name] = {
        rollups_p50_ms: round(median(rollups)),
        raw_p50_ms: Number.isFinite(rawP50) ? round(rawP50) : `> ${rawTimeoutMs}`,
        speedup: Number.isFinite(rawP50) ? round(rawP50 / median(rollups), 1) : `> ${round(rawTimeoutMs / median(rollups), 1)}`,
      };
      console.log(`  ${name}: rollups ${out[name].rollups_p50_ms} ms, raw ${out[name].raw_p50_ms} ms`);
    }
    // Sketches estimate distinct counts above 2,000 per bucket: how far from the exact raw answer?
    const [est, exact] = await Promise.all(
      ["rollups", "raw"].map(async (src) => (await (await getLong(`/stats/overview?${range}&interval=day&source=${src}`)).json()).totals),
    );
    out.distinct_error = Object.fromEntries(
      ["visitors", "sessions"].map((k) => [
        k,
        { rollups: est[k], raw: exact[k], error_pct: round((100 * (est[k] - exact[k])) / exact[k], 2) },
      ]),
    );
    console.log(`  distinct counts: ${JSON.stringify(out.distinct_error)}`);
    const f = [];
    const post = () =>
      fetch(`${base}/funnels/query`, {
        method: "POST",
        headers: { ...ADMIN, "content-type": "application/json" },
        body: JSON.stringify(funnel),
      });
    await time(post);
    for (let i = 0; i < runs; i++) f.push(await time(post));
    const answer = await (await post()).json();
    out.funnel_3_steps = { p50_ms: round(median(f)), counts: answer.steps.map((x) => x.count) };
    console.log(`  funnel: ${out.funnel_3_steps.p50_ms} ms`);
  } finally {
    stack.stop();
  }
  record("queries", out);
  return out;
}
