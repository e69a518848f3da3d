// Capture throughput vs a no-op Worker (same wrangler dev, same autocannon load), and the
// end-to-end run: events sent through /capture vs events stored in D1.
import { randomUUID } from "node:crypto";
import { ADMIN, load, storedEvents, median, record, round, startBenchStack, startNoop } from "./lib.mjs";

const CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

export function sdkBatch(project, n) {
  const now = new Date().toISOString();
  const anon = randomUUID();
  const session = randomUUID();
  return {
    project,
    sent_at: now,
    events: Array.from({ length: n }, (_, i) => ({
      event_id: randomUUID(),
      event: i % 3 ? "return_step_completed" : "page_view",
      timestamp: now,
      anonymous_id: anon,
      session_id: session,
      properties: { journey: "MRI", step: i },
      context: {
        page: { url: "https://tax.example/returns/mri", referrer: "https://www.google.com/", title: "MRI return" },
        utm: { source: "whatsapp", campaign: "nov" },
        locale: "en-KE",
        timezone: "Africa/Nairobi",
        screen: "390x844",
      },
    })),
  };
}

/** Capture vs no-op: alternating rounds, medians of each. */
export async function benchCaptureVsNoop({ rounds = 3, duration = 6, connections = 32 } = {}) {
  const stack = await startBenchStack(8788, "capture", { consumer: false });
  const noop = await startNoop(8789);
  const bare = await startNoop(8794, "bench/noop/wrangler.bare.toml");
  const body = JSON.stringify(sdkBatch("demo", 10));
  const headers = { "content-type": "text/plain", "user-agent": CHROME };
  const ours = [];
  const base = [];
  const bareRuns = [];
  try {
    await load({ url: `${stack.url}/capture`, body, headers, duration: 2, connections }); // warm up both
    await load({ url: `${noop.url}/capture`, body, headers, duration: 2, connections });
    await load({ url: `${bare.url}/capture`, body, headers, duration: 2, connections });
    for (let i = 0; i < rounds; i++) {
      base.push(await load({ url: `${noop.url}/capture`, body, headers, duration, connections }));
      bareRuns.push(await load({ url: `${bare.url}/capture`, body, headers, duration, connections }));
      ours.push(await load({ url: `${stack.url}/capture`, body, headers, duration, connections }));
      console.log(
        `  round ${i + 1}: capture ${round(ours.at(-1).rps)} req/s, no-op ${round(base.at(-1).rps)} req/s, bare no-op ${round(bareRuns.at(-1).rps)} req/s`,
      );
    }
  } finally {
    stack.stop();
    noop.stop();
    bare.stop();
  }
  const m = (runs, k) => median(runs.map((r) => r[k]));
  const result = {
    command: "npm run bench -- capture",
    events_per_request: 10,
    connections,
    rounds,
    capture: { rps: round(m(ours, "rps")), p50_ms: m(ours, "p50"), p99_ms: m(ours, "p99"), non2xx: ours.reduce((s, r) => s + r.non2xx, 0) },
    noop: { rps: round(m(base, "rps")), p50_ms: m(base, "p50"), p99_ms: m(base, "p99") },
    bare_noop: { rps: round(m(bareRuns, "rps")), p50_ms: m(bareRuns, "p50"), p99_ms: m(bareRuns, "p99") },
  };
  result.bare_ratio = round(result.capture.rps / result.bare_noop.rps, 2);
  result.ratio = round(result.capture.rps / result.noop.rps, 2);
  record("capture", result);
  return result;
}

/** Sends `total` events in 100-event batches at `concurrency`, then waits until D1 holds them. */
export async function benchEndToEnd({ total = 20_000, concurrency = 16 } = {}) {
  const stack = await startBenchStack(8790, "e2e");
  const project = "bench-e2e";
  try {
    await fetch(`${stack.url}/api/projects`, {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ id: project, name: "Bench" }),
    });
    const requests = Math.ceil(total / 100);
    let next = 0,
      sent = 0,
      failed = 0,
      retried = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          const b = sdkBatch(project, 100);
          // Like the SDK: a 503/429 is retried after its Retry-After (locally the Queue simulator
          // refuses sends once 10,000 messages wait for the consumer, and capture answers 503).
          for (let attempt = 0; ; attempt++) {
            const res = await fetch(`${stack.url}/capture`, {
              method: "POST",
              headers: { "content-type": "text/plain", "user-agent": CHROME },
              body: JSON.stringify(b),
            });
            if (res.status === 202) {
              const { accepted } = await res.json();
              sent += accepted; // read after the await: `sent += await …` would lose concurrent updates
              break;
            }
            await res.arrayBuffer();
            if (attempt === 20) {
              failed += 100;
              break;
            }
            if (res.status === 503 || res.status === 429) retried++;
            await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get("retry-after") ?? 1)));
          }
        }
      }),
    );
    const sendSeconds = (performance.now() - start) / 1000;
    let stored = 0;
    const deadline = Date.now() + 300_000;
    for (let last = -1, still = 0; Date.now() < deadline; ) {
      stored = await storedEvents(stack.url, project);
      if (stored >= sent) break;
      still = stored === last ? still + 1 : 0;
      if (still > 15) break; // nothing moved for ~30 s: report what is there
      last = stored;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const totalSeconds = (performance.now() - start) / 1000;
    const result = {
      command: "npm run bench -- e2e",
      events_sent: sent,
      send_failures: failed,
      requests_retried_after_503: retried,
      events_stored: stored,
      events_lost: sent - stored,
      capture_events_per_s: round(sent / sendSeconds),
      sustained_events_per_s: round(stored / totalSeconds),
      seconds_to_store_all: round(totalSeconds),
      concurrency,
    };
    record("e2e", result);
    return result;
  } finally {
    stack.stop();
  }
}
