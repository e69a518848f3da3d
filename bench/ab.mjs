// Before/after for one query, side by side in one run: `node bench/ab.mjs <git-ref> [funnel|segment]`
// starts the Worker of <git-ref> (its workers/ and migrations/) and the working tree's, each on its
// own copy of the query database (BENCH_STATE, default bench/out/state-million: each side applies
// its own migrations), and alternates the query between them: the 3-step MRI funnel (default) or
// the benchmark's segment preview. Prints both p50s, their ratio, and whether the answers are identical.
import { execSync, spawn } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { resolve } from "node:path";
import { migrate } from "../scripts/local-stack.mjs";
import { ADMIN, benchConfig, median, record, round, storedEvents } from "./lib.mjs";
import { range30 } from "./dashboard.mjs";
import { SEGMENT } from "./views.mjs";

const ref = process.argv[2] ?? "HEAD";
const which = process.argv[3] ?? "funnel";
const state = process.env.BENCH_STATE ?? "bench/out/state-million";
const runs = Number(process.env.BENCH_RUNS ?? 7);

function checkout(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execSync(`git archive ${ref} workers migrations | tar -x -C ${dir}`);
  symlinkSync(resolve("dist"), `${dir}/dist`);
  copyFileSync(benchConfig(), `${dir}/.wrangler-bench.toml`);
  if (existsSync(".dev.vars")) copyFileSync(".dev.vars", `${dir}/.dev.vars`);
}

function start(cwd, port, persistTo) {
  migrate(persistTo, `${cwd}/.wrangler-bench.toml`);
  const child = spawn(
    resolve("node_modules/.bin/wrangler"),
    [
      "dev",
      "--config",
      ".wrangler-bench.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      persistTo,
      "--show-interactive-dev-session=false",
      "--log-level",
      "error",
    ],
    { cwd, stdio: ["ignore", "ignore", "inherit"], detached: true },
  );
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {}
    },
  };
}

async function ready(url) {
  for (let i = 0; i < 480; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not start`);
}

const base = "bench/out/ab-base";
checkout(base);
const copies = ["bench/out/ab-state-base", "bench/out/ab-state-new"];
for (const c of copies) {
  rmSync(c, { recursive: true, force: true });
  cpSync(state, c, { recursive: true });
}
const A = start(base, 8811, resolve(copies[0]));
const B = start(".", 8812, resolve(copies[1]));
try {
  await Promise.all([ready(A.url), ready(B.url)]);
  const { from, to } = range30();
  // BENCH_FUNNEL (a JSON definition) checks another funnel's answers; only the default is recorded.
  const custom = which === "funnel" && process.env.BENCH_FUNNEL ? JSON.parse(process.env.BENCH_FUNNEL) : null;
  const queries = {
    funnel: {
      path: "/funnels/query",
      body: {
        ...(custom ?? {
          steps: [
            { event: "page_view", path: "/returns/mri" },
            { event: "return_started", where: { journey: "MRI" } },
            { event: "return_submitted", where: { journey: "MRI" } },
          ],
          window: 3 * 86400,
        }),
        from,
        to,
      },
      counts: (a) => a.steps.map((s) => s.count),
    },
    segment: { path: "/segments/preview", body: SEGMENT, counts: (a) => [a.count] },
  };
  const q = queries[which];
  if (!q) throw new Error(`unknown query ${which}; known: ${Object.keys(queries).join(", ")}`);
  const body = JSON.stringify(q.body);
  const run = async (s) => {
    const t = performance.now();
    const res = await fetch(`${s.url}/api/projects/demo${q.path}`, {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body,
    });
    const answer = await res.text();
    if (!res.ok) throw new Error(answer);
    return { ms: performance.now() - t, answer };
  };
  const times = { base: [], new: [] };
  const answers = {};
  await run(A), await run(B);
  for (let i = 0; i < runs; i++) {
    for (const [k, s] of i % 2
      ? [
          ["base", A],
          ["new", B],
        ]
      : [
          ["new", B],
          ["base", A],
        ]) {
      const r = await run(s);
      times[k].push(r.ms);
      answers[k] = r.answer;
    }
  }
  const [b, n] = [median(times.base), median(times.new)];
  const result = {
    command: `node bench/ab.mjs ${ref} ${which}`,
    state,
    events_in_db: await storedEvents(B.url, "demo"),
    runs,
    base_p50_ms: round(b),
    new_p50_ms: round(n),
    ratio: round(n / b, 2),
    same_answer: answers.base === answers.new,
    counts: q.counts(JSON.parse(answers.new)),
  };
  console.log(JSON.stringify(result));
  // Recorded (for BENCHMARKS.md) only when run on the query database itself.
  if (state === "bench/out/state-million" && !custom) record(`${which}_ab`, result);
} finally {
  A.stop();
  B.stop();
  for (const c of copies) rmSync(c, { recursive: true, force: true });
}
process.exit(0);
