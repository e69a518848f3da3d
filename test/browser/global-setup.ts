import type { TestProject } from "vitest/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/local-stack.mjs";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStandinProvider } from "../../scripts/standin-provider.mjs";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/**
 * Browser tests run against the real local Worker (wrangler dev) on a fresh database, sending
 * campaigns to the stand-in provider on a port of its own (as `npm start` does on 8790, which
 * another stack may hold); JUNCTION_STACK_LOG=1 shows the Worker's log.
 */
export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "junction-browser-"));
  const port = await freePort();
  const provider = await startStandinProvider({ port: await freePort(), callbackUrl: `http://127.0.0.1:${port}`, log: () => {} });
  const vars = { META_API_BASE_URL: provider.url, TWILIO_API_BASE_URL: provider.url };
  const { url, stop } = await startStack({ port, persistTo, quiet: !process.env.JUNCTION_STACK_LOG, vars });
  project.provide("baseUrl", url);
  return async () => {
    stop();
    await provider.close();
    rmSync(persistTo, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
