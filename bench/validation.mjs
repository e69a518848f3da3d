// Zod validation cost per event relative to JSON.parse of the same body, in the same V8.
// The contract is bundled with esbuild so this measures exactly the schemas the Worker runs.
import { build } from "esbuild";
import { median, record, round } from "./lib.mjs";
import { sdkBatch } from "./capture.mjs";

function timePer(fn, iterations) {
  const t = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - t) / iterations;
}

export async function benchValidation({ rounds = 9, iterations = 2000 } = {}) {
  const out = await build({ entryPoints: ["workers/contract/events.ts"], bundle: true, format: "esm", write: false, platform: "neutral" });
  const url = "data:text/javascript;base64," + Buffer.from(out.outputFiles[0].text).toString("base64");
  const { captureBatchSchema, captureEventSchema } = await import(url);
  const body = JSON.stringify(sdkBatch("demo", 10));
  const parsed = JSON.parse(body);
  const validate = () => {
    const b = captureBatchSchema.parse(parsed);
    for (const e of b.events) captureEventSchema.parse(e);
  };
  const parseTimes = [];
  const zodTimes = [];
  for (let r = 0; r < rounds; r++) {
    parseTimes.push(timePer(() => JSON.parse(body), iterations));
    zodTimes.push(timePer(validate, iterations));
  }
  const jsonUs = median(parseTimes) * 1000;
  const zodUs = median(zodTimes) * 1000;
  const result = {
    command: "npm run bench -- validation",
    body_bytes: body.length,
    events_per_body: 10,
    json_parse_us_per_event: round(jsonUs / 10, 2),
    zod_us_per_event: round(zodUs / 10, 2),
    ratio: round(zodUs / jsonUs, 2),
    goal_ratio: 1.5,
  };
  record("validation", result);
  return result;
}
