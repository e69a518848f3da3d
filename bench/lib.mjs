// Shared benchmark helpers: stats, the local stack, the results file and BENCHMARKS.md.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync, rmSync } from "node:fs";
import autocannon from "autocannon";
import { startStack } from "../scripts/local-stack.mjs";

export const ADMIN = { authorization: "Bearer dev-admin-token" };

export const median = (xs) => percentile(xs, 50);
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const i = (p / 100) * (s.length - 1);
  const lo = Math.floor(i);
  return s[lo] + (s[Math.ceil(i)] - s[lo]) * (i - lo);
}
export const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * The bench config: wrangler.toml with the per-client capture limit raised, so the load generator
 * (one client) measures capture rather than the limiter. The limiter call itself still runs.
 */
export function benchConfig({ consumer = true } = {}) {
  let toml = readFileSync("wrangler.toml", "utf8").replace(
    /simple = \{ limit = \d+, period = 60 \}/,
    "simple = { limit = 100000000, period = 60 }",
  );
  // Without consumers the Queue only buffers: the capture rate then excludes the consumer's work,
  // which in production runs in its own invocations, not on the capture request's CPU.
  if (!consumer) toml = toml.replace(/\[\[queues\.consumers\]\][^[]*/g, "");
  const file = consumer ? ".wrangler-bench.toml" : ".wrangler-bench-capture.toml";
  // Rewritten only when it changes: a running `wrangler dev` watches it and reloads (or, reading a
  // half-written file, stops) whenever another benchmark rewrites it.
  if (!existsSync(file) || readFileSync(file, "utf8") !== toml) writeFileSync(file, toml);
  return file;
}

/** Starts the real stack on a fresh database for a benchmark. */
export async function startBenchStack(port, name = "bench", options = {}) {
  const persistTo = `bench/out/state-${name}`;
  rmSync(persistTo, { recursive: true, force: true });
  mkdirSync(persistTo, { recursive: true });
  const stack = await startStack({ port, persistTo, config: benchConfig(options), quiet: true, vars: options.vars });
  return { ...stack, persistTo };
}

/** Starts the no-op baseline Worker under the same `wrangler dev`. */
export async function startNoop(port, config = "bench/noop/wrangler.toml") {
  const child = spawn(
    "node_modules/.bin/wrangler",
    [
      "dev",
      "--config",
      config,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--show-interactive-dev-session=false",
      "--log-level",
      "error",
    ],
    { stdio: "ignore", detached: true },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 360; i++) {
    try {
      await fetch(`${url}/capture`, { method: "POST", body: "{}" });
      return {
        url,
        stop: () => {
          try {
            process.kill(-child.pid, "SIGTERM");
          } catch {}
        },
      };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error("no-op worker did not start");
}

/** One autocannon run; returns req/s and latency percentiles (ms). */
export function load({ url, body, headers = {}, connections = 32, duration = 6, method = "POST" }) {
  return new Promise((resolve, reject) => {
    autocannon({ url, method, body, headers, connections, duration }, (err, r) => {
      if (err) return reject(err);
      resolve({
        rps: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        total: r.requests.total,
      });
    });
  });
}

/**
 * Events stored for a project (bots included, web and WhatsApp), from the stats API's rollups: they are written in
 * the same D1 transaction as the events, so they count exactly what is stored (the rollup tests
 * prove they equal a raw scan), and polling them does not compete with the consumer for D1 the
 * way a raw scan of a large table would.
 */
export async function storedEvents(url, project) {
  const quarter = 900_000;
  const from = new Date(Math.floor((Date.now() - 90 * 86_400_000) / quarter) * quarter).toISOString();
  const to = new Date(Math.ceil((Date.now() + 86_400_000) / quarter) * quarter).toISOString();
  const q = `from=${from}&to=${to}&include_bots=true&source=rollups&interval=month`;
  const res = await fetch(`${url}/api/projects/${project}/stats/overview?${q}`, { headers: ADMIN });
  if (!res.ok) throw new Error(`stats answered ${res.status}: ${await res.text()}`);
  const body = await res.json();
  // The overview's totals are the web's; WhatsApp events are counted beside them.
  return body.totals.events + (body.whatsapp?.events ?? 0);
}

/** SQL against the local D1 of a running stack (read-only queries). */
export function d1(persistTo, sql, config = ".wrangler-bench.toml") {
  // A read beside the running stack's writes can meet SQLITE_BUSY: try again, a few times.
  for (let attempt = 0; ; attempt++) {
    try {
      const out = execFileSync(
        "node_modules/.bin/wrangler",
        ["d1", "execute", "junction", "--local", "--persist-to", persistTo, "--config", config, "--json", "--command", sql],
        { encoding: "utf8", env: { ...process.env, CI: "true" }, stdio: ["ignore", "pipe", "pipe"] },
      );
      return JSON.parse(out)[0].results;
    } catch (err) {
      if (attempt >= 4 || !/SQLITE_BUSY/.test(String(err.stderr ?? "") + String(err.stdout ?? ""))) throw err;
      execFileSync("sleep", [String(attempt + 1)]);
    }
  }
}

const RESULTS = "bench/results.json";
/** Merges one section's figures into bench/results.json and re-renders BENCHMARKS.md. */
export function record(section, data) {
  mkdirSync("bench/out", { recursive: true });
  const all = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : {};
  all[section] = { ...data, measured_at: new Date().toISOString() };
  writeFileSync(RESULTS, JSON.stringify(all, null, 2));
  return all;
}
export function readResults() {
  return existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, "utf8")) : {};
}
