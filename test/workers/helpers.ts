import { env, SELF } from "cloudflare:test";
import { z } from "zod";
import { errorSchema, type ApiErrorBody } from "../../workers/contract";

export const BASE = "http://127.0.0.1:8787";
export const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
export const CHROME_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

/** An SDK-shaped event with fresh ids; `over` replaces any field. */
export function webEvent(over: Record<string, unknown> = {}) {
  return {
    event_id: crypto.randomUUID(),
    event: "page_view",
    timestamp: new Date().toISOString(),
    anonymous_id: "anon-" + crypto.randomUUID(),
    session_id: "sess-" + crypto.randomUUID(),
    context: { page: { url: "https://tax.example/returns/mri?step=1", referrer: "https://google.com/", title: "MRI" } },
    ...over,
  };
}

let client = 0;
/** POSTs to /capture from a distinct client address, so rate limits only bite where a test wants them. */
export function capture(body: unknown, init: RequestInit & { cf?: Record<string, unknown>; ip?: string } = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  if (!headers.has("user-agent")) headers.set("user-agent", CHROME_UA);
  headers.set("cf-connecting-ip", init.ip ?? `10.0.${(client >> 8) & 255}.${client++ & 255}`);
  return SELF.fetch(`${BASE}/capture`, {
    method: "POST",
    ...init,
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  } as RequestInit);
}

export function batch(events: unknown[], project = "demo") {
  return { project, sent_at: new Date().toISOString(), events };
}

/** Polls until `check` returns a truthy value (the Queue consumer runs asynchronously). */
export async function waitFor<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function countEvents(where: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM events WHERE ${where}`)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Parses an API answer with its contract schema, so a response that drifts from the contract fails the test. */
export async function readJson<S extends z.ZodType>(res: Response, schema: S): Promise<z.infer<S>> {
  const body: unknown = await res.json();
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new Error(
      `${res.status} answer does not match its schema:\n${z.prettifyError(parsed.error)}\n${JSON.stringify(body).slice(0, 2000)}`,
    );
  return parsed.data;
}

/** Parses a success with `schema` and an error (4xx/5xx) with the error envelope. */
export async function readAnswer<S extends z.ZodType>(res: Response, schema: S): Promise<z.infer<S> | ApiErrorBody> {
  return res.status >= 400 ? readJson(res, errorSchema) : readJson(res, schema);
}
