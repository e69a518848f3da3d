import { createServer, type IncomingMessage } from "node:http";
import type { TestProject } from "vitest/node";

type Call = { path: string; headers: Record<string, string>; body: string; at: number };

/**
 * A stand-in receiver for automations' outbound calls (signed webhooks, CRM hand-offs): a real
 * HTTP server on 127.0.0.1 that records every POST and answers 200 (or the status a path asks
 * for: `/status/503/...`). Tests read the record with `GET /__calls?prefix=/path`.
 */
export default async function setup(project: TestProject) {
  const calls: Call[] = [];
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => resolve(body));
    });
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "GET" && url.pathname === "/__calls") {
      const prefix = url.searchParams.get("prefix") ?? "/";
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify(calls.filter((c) => c.path.startsWith(prefix))));
    }
    const body = await read(req);
    calls.push({
      path: url.pathname,
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
      body,
      at: Date.now(),
    });
    const status = Number(url.pathname.match(/^\/status\/(\d{3})\//)?.[1] ?? 200);
    res.statusCode = status;
    res.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  project.provide("receiverUrl", `http://127.0.0.1:${port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}
