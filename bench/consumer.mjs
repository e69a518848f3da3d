// Consumer: wall time to handle one 100-message batch (validate, parse UA, insert into local D1,
// Analytics Engine points), dispatched straight into the Worker's queue handler.
import { randomUUID } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { migrate } from "../scripts/local-stack.mjs";
import { benchConfig, median, percentile, record, round } from "./lib.mjs";

const UAS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
];

function messages(n) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    timestamp: new Date(),
    attempts: 1,
    body: {
      kind: "event",
      user_agent: UAS[i % UAS.length],
      event: {
        event_id: randomUUID(), project_id: "demo", event_name: i % 4 ? "return_step_completed" : "page_view", channel_type: "web",
        timestamp: now - i * 1000, received_at: now, anonymous_id: `anon-${i % 40}`, session_id: `sess-${i % 40}`,
        url: "https://tax.example/returns/mri", path: "/returns/mri", referrer: "https://www.google.com/", title: "MRI return",
        utm_source: "whatsapp", country: "KE", city: "Nairobi", timezone: "Africa/Nairobi", properties: { journey: "MRI", step: i % 5 },
      },
    },
  }));
}

/** The Worker in Miniflare with wrangler.toml's bindings, so its queue() handler can be called directly. */
async function startWorker(config, persistTo) {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const out = await build({ entryPoints: ["workers/index.ts"], bundle: true, format: "esm", write: false, platform: "neutral", conditions: ["workerd", "worker", "browser"], external: ["cloudflare:*", "node:*"], mainFields: ["module", "main"] });
  const mf = new Miniflare({
    ...workerOptions,
    name: "junction",
    modules: [{ type: "ESModule", path: "index.mjs", contents: out.outputFiles[0].text }],
    assets: undefined,
    d1Persist: `${persistTo}/v3/d1`,
    durableObjectsPersist: `${persistTo}/v3/do`,
  });
  const w = await mf.getWorker("junction");
  return { mf, queue: (q, msgs) => w.queue(q, msgs) };
}

export async function benchConsumer({ batches = 40 } = {}) {
  const persistTo = "bench/out/state-consumer";
  rmSync(persistTo, { recursive: true, force: true });
  mkdirSync(persistTo, { recursive: true });
  const config = benchConfig();
  migrate(persistTo, config);
  const worker = await startWorker(config, persistTo);
  const times = [];
  try {
    for (let i = 0; i < 5; i++) await worker.queue("events", messages(100)); // warm up
    for (let i = 0; i < batches; i++) {
      const batch = messages(100);
      const t = performance.now();
      const result = await worker.queue("events", batch);
      times.push(performance.now() - t);
      if (result.outcome !== "ok" || result.retryBatch?.retry || result.retryMessages?.length) throw new Error("batch not acknowledged: " + JSON.stringify(result));
    }
  } finally {
    await worker.mf.dispose();
  }
  const result = { command: "npm run bench -- consumer", batches, messages_per_batch: 100, p50_ms: round(median(times)), p90_ms: round(percentile(times, 90)), goal_ms: 20 };
  record("consumer", result);
  return result;
}
