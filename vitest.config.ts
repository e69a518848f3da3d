import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";

// Tests run with the local defaults every developer has (.dev.vars.example), not a developer's own .dev.vars.
const devVars = Object.fromEntries(
  readFileSync(new URL("./.dev.vars.example", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
);

export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { ...devVars, TEST_MIGRATIONS: migrations },
                // A small per-client capture limit so the 429 path is reachable in a test.
                ratelimits: { CAPTURE_LIMITER: { simple: { limit: 20, period: 60 } } },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/workers/**/*.test.ts"],
            exclude: ["test/workers/production-config/**"],
            setupFiles: ["./test/workers/apply-migrations.ts"],
            // A local receiver for automations' signed outbound calls.
            globalSetup: ["./test/workers/receiver-setup.ts"],
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
