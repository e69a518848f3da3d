import type { BrowserContext, Page, Request } from "playwright-core";
import { inject } from "vitest";
import type { CaptureEvent } from "../../../workers/contract/events";

export const ADMIN = { Authorization: "Bearer dev-admin-token" };
export const base = () => inject("baseUrl");

/** A capture request as it went over the wire. */
export interface Sent {
  events: (CaptureEvent & { context: NonNullable<CaptureEvent["context"]> })[];
  project: string;
  sent_at: string;
  contentType: string;
  kind: string;
}

const isCapture = (req: Request) => req.method() === "POST" && req.url().endsWith("/capture");
const parse = (req: Request): Sent => ({
  ...JSON.parse(req.postData() ?? "{}"),
  contentType: req.headers()["content-type"],
  kind: req.resourceType(),
});

/** Records every /capture request the context sends (fetch and beacon alike), answered or not. */
export function wire(context: BrowserContext): Sent[] {
  const sent: Sent[] = [];
  context.on("request", (req) => isCapture(req) && sent.push(parse(req)));
  return sent;
}

/** Records the /capture requests the Worker answered with 202. */
export function delivered(context: BrowserContext): Sent[] {
  const ok: Sent[] = [];
  context.on("response", (res) => isCapture(res.request()) && res.status() === 202 && ok.push(parse(res.request())));
  return ok;
}

/** All events sent over the wire, flattened, in send order. */
export const sentEvents = (sent: Sent[]) => sent.flatMap((b) => b.events);

/** Serves `html` at `<baseUrl>/host/<name>`: same origin as the Worker, which then serves /sdk.js too. */
export async function serve(context: BrowserContext, name: string, html: string): Promise<string> {
  const url = `${base()}/host/${name}`;
  await context.route(`${url}**`, (route) => route.fulfill({ contentType: "text/html", body: html }));
  return url;
}

/** A host page with the tracker's script tag (`attrs` are extra attributes of it). */
export const host = (context: BrowserContext, name: string, attrs = "", body = "") =>
  serve(
    context,
    name,
    `<!doctype html><html><head><title>${name}</title>
      <script src="${base()}/sdk.js" data-project="demo" ${attrs}></script></head><body>${body}</body></html>`,
  );

/**
 * Makes the Worker reachable as `origin` (e.g. https://junction.example): Playwright forwards each
 * request to the real local Worker. Chromium's Local Network Access would block a public page
 * from calling 127.0.0.1 directly, which a deployed Worker never meets.
 */
export const proxyWorker = (context: BrowserContext, origin: string) =>
  context.route(`${origin}/**`, async (route) => {
    const url = route.request().url().replace(origin, base());
    route.fulfill({ response: await route.fetch({ url }) });
  });

/** Calls a method of `window.junction` in the page. */
export const call = (page: Page, method: string, ...args: unknown[]) =>
  page.evaluate(([m, a]) => (window as any).junction[m as string](...(a as unknown[])), [method, args] as const);

type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

/** Waits until `check` returns something truthy (the consumer stores events asynchronously). */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stored events of one anonymous id, read back through the events API (newest first). */
export async function stored(anonymousId: string): Promise<Record<string, any>[]> {
  const res = await fetch(`${base()}/api/projects/demo/events?anonymous_id=${anonymousId}&limit=1000`, { headers: ADMIN });
  if (!res.ok) throw new Error(`events API answered ${res.status}`);
  return (await res.json()).events;
}

/**
 * Waits until the stored events of `anonymousId` satisfy `done`, and returns them. Generous: the
 * consumer retries a failed batch after a backoff, and the machine running tests may be busy.
 */
export const storedWhen = (anonymousId: string, done: (events: Record<string, any>[]) => boolean, what: string) =>
  waitFor(
    async () => {
      const events = await stored(anonymousId);
      return done(events) && events;
    },
    what,
    45_000,
  );
