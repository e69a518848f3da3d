import type { TestProject } from "vitest/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStack } from "../../scripts/local-stack.mjs";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Browser tests run against the real local Worker (wrangler dev) on a fresh database; JUNCTION_STACK_LOG=1 shows its log. */
export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "junction-browser-"));
  const { url, stop } = await startStack({ port: await freePort(), persistTo, quiet: !process.env.JUNCTION_STACK_LOG });
  project.provide("baseUrl", url);
  return () => {
    stop();
    rmSync(persistTo, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
