// Before/after for the consumer, side by side in one run: `node bench/ab-consumer.mjs <git-ref>`
// builds the Worker of <git-ref> (its workers/ and migrations/) and the working tree's, each in its
// own Miniflare on a fresh migrated database, and alternates 100-message batches between them (as
// bench/consumer.mjs times them). Prints both p50s and their ratio.
import { execSync } from "node:child_process";
import { build } from "esbuild";
import { mkdirSync, rmSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { migrate } from "../scripts/local-stack.mjs";
import { benchConfig, median, percentile, record, round } from "./lib.mjs";
import { messages } from "./consumer.mjs";

async function start(name, root) {
  const persistTo = `bench/out/state-ab-${name}`;
  rmSync(persistTo, { recursive: true, force: true });
  mkdirSync(persistTo, { recursive: true });
  let config = benchConfig();
  if (root !== ".") {
    writeFileSync(`${root}/.wrangler-bench.toml`, readFileSync(config, "utf8"));
    config = `${root}/.wrangler-bench.toml`;
  }
  migrate(persistTo, config);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const out = await build({
    entryPoints: [`${root}/workers/index.ts`],
    bundle: true,
    format: "esm",
    write: false,
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    mainFields: ["module", "main"],
    nodePaths: ["node_modules"],
  });
  const mf = new Miniflare({
    ...workerOptions,
    name: "junction",
    modules: [{ type: "ESModule", path: "index.mjs", contents: out.outputFiles[0].text }],
    assets: undefined,
    d1Persist: `${persistTo}/v3/d1`,
    durableObjectsPersist: `${persistTo}/v3/do`,
  });
  return { mf, worker: await mf.getWorker("junction") };
}
const ref = process.argv[2] ?? "HEAD";
const base = "bench/out/ab-base";
rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });
execSync(`git archive ${ref} workers migrations | tar -x -C ${base}`);
symlinkSync(resolve("dist"), `${base}/dist`);
const A = await start("base", base);
const B = await start("new", ".");
const N = Number(process.env.N ?? 40);
const t = { base: [], new: [] };
for (let i = 0; i < 5; i++) {
  await A.worker.queue("events", messages(100));
  await B.worker.queue("events", messages(100));
}
for (let i = 0; i < N; i++) {
  for (const [k, w] of i % 2
    ? [
        ["base", A],
        ["new", B],
      ]
    : [
        ["new", B],
        ["base", A],
      ]) {
    const batch = messages(100);
    const s = performance.now();
    const r = await w.worker.queue("events", batch);
    t[k].push(performance.now() - s);
    if (r.outcome !== "ok" || r.retryMessages?.length) throw new Error(JSON.stringify(r));
  }
}
const b = median(t.base),
  n = median(t.new);
const result = {
  command: `node bench/ab-consumer.mjs ${ref}`,
  batches: N,
  base_p50: round(b),
  new_p50: round(n),
  ratio: round(n / b, 2),
  base_p90: round(percentile(t.base, 90)),
  new_p90: round(percentile(t.new, 90)),
};
console.log(JSON.stringify(result));
record("consumer_ab", result);
await A.mf.dispose();
await B.mf.dispose();
process.exit(0);
