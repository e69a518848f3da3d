import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

// Tests run with the local defaults every developer has (.dev.vars.example), not a developer's own .dev.vars.
const devVars = Object.fromEntries(
  readFileSync(new URL("./.dev.vars.example", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);

/** A free local port, for the stand-in provider the workers tests call (test/workers/standin-setup.ts). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  process.env.JUNCTION_STANDIN_PORT ??= String(await freePort());
  const standin = `http://127.0.0.1:${process.env.JUNCTION_STANDIN_PORT}`;
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { ...devVars, META_API_BASE_URL: standin, TWILIO_API_BASE_URL: standin, TEST_MIGRATIONS: migrations },
                // A small per-client capture limit so the 429 path is reachable in a test.
                ratelimits: { CAPTURE_LIMITER: { simple: { limit: 20, period: 60 } } },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/workers/**/*.test.ts"],
            // Workflow-driven tests (campaigns, automations) wait on several steps; on two busy cores a
            // few take longer than vitest's 5 s default without anything being wrong.
            testTimeout: 20_000,
            exclude: ["test/workers/production-config/**"],
            setupFiles: ["./test/workers/apply-migrations.ts"],
            // The stand-in provider for campaign sends, and a local receiver for automations' signed outbound calls.
            globalSetup: ["./test/workers/standin-setup.ts", "./test/workers/receiver-setup.ts"],
          },
        },
        {
          // The same Worker configured as in production: no DEFAULT_PROJECT for unmapped webhooks.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: { bindings: { ...devVars, DEFAULT_PROJECT: "", TEST_MIGRATIONS: migrations } },
            }),
          ],
          test: {
            name: "workers-production-config",
            include: ["test/workers/production-config/**/*.test.ts"],
            setupFiles: ["./test/workers/apply-migrations.ts"],
          },
        },
        {
          test: {
            name: "browser",
            // After the workerd projects, not beside them: on two cores their load would turn the
            // browser tests' waits into measurements of the machine.
            sequence: { groupOrder: 1 },
            include: ["test/browser/**/*.test.ts"],
            environment: "node",
            globalSetup: ["./test/browser/global-setup.ts"],
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  };
});
