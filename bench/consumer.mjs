// Consumer: wall time to handle one 100-message batch (validate, parse UA, insert into local D1,
// Analytics Engine points), dispatched straight into the Worker's queue handler.
import { randomUUID } from "node:crypto";
import { median, percentile, record, round } from "./lib.mjs";
import { startMiniflare } from "./miniflare.mjs";

const UAS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
];

export function messages(n) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    timestamp: new Date(),
    attempts: 1,
    body: {
      kind: "event",
      user_agent: UAS[i % UAS.length],
      event: {
        event_id: randomUUID(),
        project_id: "demo",
        event_name: i % 4 ? "return_step_completed" : "page_view",
        channel_type: "web",
        timestamp: now - i * 1000,
        received_at: now,
        anonymous_id: `anon-${i % 40}`,
        session_id: `sess-${i % 40}`,
        url: "https://tax.example/returns/mri",
        path: "/returns/mri",
        referrer: "https://www.google.com/",
        title: "MRI return",
        utm_source: "whatsapp",
        country: "KE",
        city: "Nairobi",
        timezone: "Africa/Nairobi",
        properties: { journey: "MRI", step: i % 5 },
      },
    },
  }));
}

export async function benchConsumer({ batches = 40 } = {}) {
  const { mf, worker } = await startMiniflare("consumer");
  const times = [];
  const empty = [];
  try {
    for (let i = 0; i < 5; i++) await worker.queue("events", messages(100)); // warm up
    for (let i = 0; i < batches; i++) {
      const batch = messages(100);
      const t = performance.now();
      const result = await worker.queue("events", batch);
      times.push(performance.now() - t);
      // The harness's own cost: the same dispatch with an empty batch.
      const t0 = performance.now();
      await worker.queue("events", []);
      empty.push(performance.now() - t0);
      if (result.outcome !== "ok" || result.retryBatch?.retry || result.retryMessages?.length)
        throw new Error("batch not acknowledged: " + JSON.stringify(result));
    }
  } finally {
    await mf.dispose();
  }
  const result = {
    command: "npm run bench -- consumer",
    batches,
    messages_per_batch: 100,
    p50_ms: round(median(times)),
    p90_ms: round(percentile(times, 90)),
    harness_p50_ms: round(median(empty)),
    goal_ms: 20,
  };
  record("consumer", result);
  return result;
}
