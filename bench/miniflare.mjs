// The Worker inside Miniflare with wrangler.toml's bindings, for benchmarks that call its queue()
// handler or its Durable Objects directly from Node.
import { build } from "esbuild";
import { mkdirSync, rmSync } from "node:fs";
import { Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { migrate } from "../scripts/local-stack.mjs";
import { benchConfig } from "./lib.mjs";

/** Starts the Worker on a fresh, migrated local database. */
export async function startMiniflare(name) {
  const persistTo = `bench/out/state-${name}`;
  rmSync(persistTo, { recursive: true, force: true });
  mkdirSync(persistTo, { recursive: true });
  const config = benchConfig();
  migrate(persistTo, config);
  const { workerOptions } = unstable_getMiniflareWorkerOptions(config);
  const out = await build({
    entryPoints: ["workers/index.ts"],
    bundle: true,
    format: "esm",
    write: false,
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    external: ["cloudflare:*", "node:*"],
    mainFields: ["module", "main"],
  });
  const mf = new Miniflare({
    ...workerOptions,
    name: "junction",
    modules: [{ type: "ESModule", path: "index.mjs", contents: out.outputFiles[0].text }],
    assets: undefined,
    d1Persist: `${persistTo}/v3/d1`,
    durableObjectsPersist: `${persistTo}/v3/do`,
  });
  const worker = await mf.getWorker("junction");
  return { mf, worker, persistTo };
}
