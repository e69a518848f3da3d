// Starts the whole stack locally: local D1 migrations, then `wrangler dev` (workerd) serving the
// Worker, its Queues and Durable Objects, and the built dashboard + tracker from dist/.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, copyFileSync } from "node:fs";

const WRANGLER = "node_modules/.bin/wrangler";

/** Applies local D1 migrations into `persistTo` (idempotent). */
export function migrate(persistTo, config = "wrangler.toml") {
  execFileSync(WRANGLER, ["d1", "migrations", "apply", "junction", "--local", "--persist-to", persistTo, "--config", config], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CI: "true" },
  });
}

/** Starts `wrangler dev` on `port` and resolves once /health answers; `vars` override .dev.vars entries. */
export async function startStack({ port = 8787, persistTo = ".wrangler/state", config = "wrangler.toml", quiet = false, vars = {} } = {}) {
  if (!existsSync(".dev.vars")) copyFileSync(".dev.vars.example", ".dev.vars");
  migrate(persistTo, config);
  const child = spawn(
    WRANGLER,
    [
      "dev",
      "--config",
      config,
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      persistTo,
      "--show-interactive-dev-session=false",
      "--log-level",
      quiet ? "error" : "info",
      ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    {
      stdio: quiet ? ["ignore", "ignore", "inherit"] : ["ignore", "inherit", "inherit"],
      detached: true,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error("wrangler dev did not become healthy in 90 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
  };
  return { url, child, stop };
}
