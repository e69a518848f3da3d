import type { TestProject } from "vitest/node";
// @ts-expect-error plain ESM script shared with `npm start`
import { startStandinProvider } from "../../scripts/standin-provider.mjs";

/**
 * The stand-in provider (docs/standin-provider.md) for tests inside workerd: a real HTTP server
 * the Worker's senders call, on the port vitest.config.ts chose and passed to the Worker as
 * META_API_BASE_URL / TWILIO_API_BASE_URL. No callback URL: workerd cannot be called back, so
 * tests replay its outbox (`GET /__outbox`) into the Worker.
 */
export default async function setup(project: TestProject) {
  const port = Number(process.env.JUNCTION_STANDIN_PORT);
  const provider = await startStandinProvider({ port, publicBaseUrl: "http://127.0.0.1:8787", stepDelayMs: 1, log: () => {} });
  project.provide("standinUrl", provider.url);
  return () => provider.close();
}

declare module "vitest" {
  export interface ProvidedContext {
    standinUrl: string;
  }
}
