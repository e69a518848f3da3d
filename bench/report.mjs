// Renders BENCHMARKS.md (and the README's table) from bench/results.json.
import { readFileSync, writeFileSync } from "node:fs";
import { readResults } from "./lib.mjs";

const ok = (pass) => (pass ? "met" : "**not met**");

/** One row per figure: [what, measured, goal, status, command]. */
function rows(r) {
  const out = [];
  if (r.capture) {
    const c = r.capture;
    out.push(["Capture req/s vs no-op Worker (10 events/request, " + c.connections + " connections, median of " + c.rounds + ")", `${c.capture.rps} vs ${c.noop.rps} req/s = **${c.ratio}×**; p50 ${c.capture.p50_ms} ms / p99 ${c.capture.p99_ms} ms (no-op ${c.noop.p50_ms} / ${c.noop.p99_ms} ms)`, "≥ 0.67×", ok(c.ratio >= 0.67), c.command]);
  }
  if (r.e2e) {
    const e = r.e2e;
    out.push(["End to end through /capture → Queue → D1", `${e.events_sent} sent, ${e.events_stored} stored, **lost ${e.events_lost}**; capture ${e.capture_events_per_s} ev/s, sustained to D1 ${e.sustained_events_per_s} ev/s`, "≥ 20,000 sent, 0 lost", ok(e.events_sent >= 20000 && e.events_lost === 0), e.command]);
  }
  if (r.consumer) {
    const c = r.consumer;
    out.push(["Consumer: one 100-message batch into local D1 (" + c.batches + " batches)", `p50 **${c.p50_ms} ms**, p90 ${c.p90_ms} ms`, "≤ 20 ms p50", ok(c.p50_ms <= 20), c.command]);
  }
  if (r.validation) {
    const v = r.validation;
    out.push(["Zod validation per event vs JSON.parse of the same body", `${v.zod_us_per_event} µs vs ${v.json_parse_us_per_event} µs = **${v.ratio}×**`, "≤ 1.5×", ok(v.ratio <= 1.5), v.command]);
  }
  for (const extra of Object.values(r).flatMap((s) => s.rows ?? [])) out.push(extra);
  return out;
}

export function table(r = readResults()) {
  const lines = ["| figure | measured | goal | status | command |", "|---|---|---|---|---|"];
  for (const row of rows(r)) lines.push("| " + row.join(" | ") + " |");
  return lines.join("\n");
}

export function render() {
  const r = readResults();
  const when = Object.values(r).map((s) => s.measured_at).sort().at(-1) ?? "never";
  const md = `# Junction benchmarks

Measured on this project's development machine (2 shared cores, local workerd via \`wrangler dev\` / Miniflare,
local D1 SQLite). Rates are compared side by side in one run against a baseline and reported as a ratio;
each figure is a median of several runs. Figures not yet at their goal are shown as measured.
Last run: ${when}. Raw figures: \`bench/results.json\`.

${table(r)}

## How each figure is produced
- **Capture vs no-op**: \`bench/capture.mjs\` starts the real Worker and \`bench/noop\` (a Worker that reads the body
  and answers 202) under the same \`wrangler dev\`, and loads each with autocannon (same body, same connections),
  alternating rounds. The capture Worker runs with its per-client rate limit raised (\`.wrangler-bench.toml\`) so
  one load generator measures capture, not the limiter; the limiter call still runs. The Queue consumer runs on the
  same two cores during the capture rounds (the no-op has none), which is included in the ratio.
- **End to end**: 100-event SDK-shaped batches at concurrency 16 into a fresh project; \`events lost\` = accepted by
  /capture − rows in D1 after the consumer drained the Queue.
- **Consumer**: \`bench/consumer.mjs\` dispatches 100-message batches straight into the Worker's \`queue()\`
  handler (\`unstable_startWorker\`), timing validation, UA parsing, the single-statement D1 insert and the rollup
  statements in one transaction, and Analytics Engine writes.
- **Validation**: \`bench/validation.mjs\` bundles \`workers/contract\` and times batch + per-event zod parsing
  against \`JSON.parse\` of the same 10-event body in the same V8.
`;
  writeFileSync("BENCHMARKS.md", md);
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("<!-- bench:start -->");
  const end = readme.indexOf("<!-- bench:end -->");
  if (start >= 0 && end > start) {
    writeFileSync("README.md", readme.slice(0, start) + "<!-- bench:start -->\n" + table(r) + "\n" + readme.slice(end));
  }
}
