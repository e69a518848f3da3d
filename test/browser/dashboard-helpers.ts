import { inject } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { randomUUID } from "node:crypto";
// @ts-expect-error plain ESM script, also run as `npm run demo`
import { generate } from "../../scripts/demo.mjs";

export const base = () => inject("baseUrl");
const ADMIN = { authorization: "Bearer dev-admin-token", "content-type": "application/json" };
export const PAGES = [
  "overview",
  "funnels",
  "whatsapp",
  "agents",
  "conversations",
  "people",
  "timeline",
  "live",
  "export",
  "shares",
  "segments",
  "campaigns",
  "automations",
  "import",
] as const;
/** Pages whose builders only a write token sees: the layout test opens them with one. */
export const WRITE_PAGES: readonly string[] = ["segments", "campaigns", "automations", "import"];

/** A project token with the `write` scope. */
export async function writeToken(project: string): Promise<string> {
  const { token } = await api(`/api/projects/${project}/tokens`, {
    method: "POST",
    body: JSON.stringify({ scope: "write", name: "editor" }),
  });
  return token;
}

/** An admin API call that must succeed. */
export async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(base() + path, { ...init, headers: { ...ADMIN, ...init.headers } });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

/** Polls `check` (with a deadline, not a fixed sleep) until it answers something truthy. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string | (() => string),
  timeoutMs = 45_000,
  everyMs = 500,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${typeof what === "function" ? what() : what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A project of its own filled by the demo generator (both channels, funnels, templates), once the
 * consumer has stored it all; answers its id, read token and a phone number that has a timeline.
 */
export async function seedDemoProject(events = 1200) {
  const project = `dash-${randomUUID().slice(0, 8)}`;
  const phoneNumberId = String(Date.now()) + String(Math.floor(Math.random() * 1000));
  const { read_token } = await api("/api/projects", {
    method: "POST",
    body: JSON.stringify({ id: project, name: "Dashboard views", whatsapp_accounts: [`meta:${phoneNumberId}`] }),
  });
  // A seed of its own: the generator derives event ids from it, and the Worker drops repeated ids.
  const seed = Math.floor(Math.random() * 2 ** 31);
  const run = await generate({ url: base(), project, phoneNumberId, events, seed, days: 20 });
  if (run.failed || run.rejected)
    throw new Error(`demo data: ${run.failed} requests failed, ${run.rejected} events rejected: ${run.errors.join("; ")}`);
  const range = new URLSearchParams({
    from: new Date(Date.now() - 40 * 86_400_000).toISOString(),
    to: new Date(Date.now() + 3_600_000).toISOString(),
  });
  const seen: string[] = [];
  // Settled once web and WhatsApp totals hold still for three reads 1.5 s apart: the queue
  // consumer works in batches, so two quick reads can agree while a batch is still pending.
  await eventually(
    async () => {
      const [{ totals }, wa] = await Promise.all([
        api(`/api/projects/${project}/stats/overview?${range}`),
        api(`/api/projects/${project}/whatsapp/overview?${range}`),
      ]);
      seen.push(JSON.stringify([totals, wa.messages_in, wa.messages_out]));
      const last = seen.slice(-3);
      return totals.events > 0 && wa.messages_in > 0 && last.length === 3 && new Set(last).size === 1;
    },
    () => `demo events stored (last reads: ${seen.slice(-3).join(" | ")})`,
    60_000,
    1500,
  );
  const { events: wa } = await api(`/api/projects/${project}/events?limit=200&channel=whatsapp`);
  const phone = (wa as { external_id?: string }[]).find((e) => e.external_id)?.external_id ?? "";
  return { project, readToken: read_token as string, phone, sent: run.sent as number };
}

/** Requests each context has sent and not yet seen answered, named when a page never settles. */
const pending = new WeakMap<BrowserContext, Set<string>>();

/** A browser context whose dashboard already holds a stored token (as lib/session keeps it). */
export async function signedIn(
  browser: Browser,
  token: string,
  project: string,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  // The page's first load shares two cores with the local stack's queue consumer and Workflows.
  context.setDefaultNavigationTimeout(45_000);
  const open = new Set<string>();
  pending.set(context, open);
  context.on("request", (r) => open.add(r.url()));
  context.on("requestfinished", (r) => open.delete(r.url()));
  context.on("requestfailed", (r) => open.delete(r.url()));
  await context.addInitScript(
    ([t, p]) => {
      // Only before the first sign-out of this context: a later reload must not sign back in.
      if (sessionStorage.getItem("test.seeded")) return;
      sessionStorage.setItem("test.seeded", "1");
      localStorage.setItem("junction.token", t);
      localStorage.setItem("junction.project", p);
    },
    [token, project] as const,
  );
  return context;
}

/** Waits until the page's panels have all answered (nothing loading or dimmed). */
export async function settled(page: Page, name: string, timeout = 45_000) {
  try {
    await page.locator(`[data-page=${name}]`).waitFor({ timeout });
  } catch (error) {
    // Say what is on screen instead and which requests (a lazy page's chunk included) never answered.
    const shown = await page.evaluate(() => document.querySelector("[data-page]")?.getAttribute("data-page") ?? document.title);
    const open = [...(pending.get(page.context()) ?? [])].join(", ");
    throw new Error(`${name} not shown after ${timeout} ms at ${page.url()} (showing: ${shown}); unanswered: ${open}`, { cause: error });
  }
  try {
    await page.waitForFunction(() => !document.querySelector("[data-state=loading], [aria-busy=true]"), null, { timeout });
  } catch (error) {
    // Name the panels still loading, so a timeout says which request never answered.
    const busy = await page.evaluate(() =>
      [...document.querySelectorAll("[data-state=loading], [aria-busy=true]")].map((e) => e.outerHTML.slice(0, 200)),
    );
    const open = [...(pending.get(page.context()) ?? [])].join(", ");
    throw new Error(`${name} still loading after ${timeout} ms at ${page.url()}: ${busy.join(" | ")}; unanswered: ${open}`, {
      cause: error,
    });
  }
}

/** The dashboard's hash query as an object. */
export const hashParams = (page: Page) => Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.split("?")[1] ?? ""));
