import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import type { Browser, Page } from "playwright-core";
import { randomUUID } from "node:crypto";
import { launch } from "./chromium";

const base = () => inject("baseUrl");
const ADMIN = { authorization: "Bearer dev-admin-token", "content-type": "application/json" };
const ANDROID = "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

// A project of its own, so the numbers on screen are exactly the events this file sent.
const project = `dash-${randomUUID().slice(0, 8)}`;
let readToken: string;
let browser: Browser;
const visitors = { filer: randomUUID(), starter: randomUUID(), reader: randomUUID() };

let seq = 0;
function event(anonymousId: string, event: string, path: string, properties?: Record<string, unknown>) {
  // A second apart and in send order, so the timeline's order is defined.
  return {
    event_id: randomUUID(),
    event,
    timestamp: new Date(Date.now() - 120_000 + 1000 * seq++).toISOString(),
    anonymous_id: anonymousId,
    session_id: "s-" + anonymousId,
    properties,
    context: { page: { url: `https://taxpal.example${path}`, referrer: "", title: path } },
  };
}

// 3 visitors, 4 page views, 7 events; the funnel page_view(/returns/mri) → started → submitted is 3 → 2 → 1.
const EVENTS = [
  event(visitors.filer, "page_view", "/returns/mri"),
  event(visitors.filer, "return_started", "/returns/mri", { journey: "MRI" }),
  event(visitors.filer, "return_submitted", "/returns/mri/review", { journey: "MRI" }),
  event(visitors.starter, "page_view", "/returns/mri"),
  event(visitors.starter, "return_started", "/returns/mri", { journey: "MRI" }),
  event(visitors.reader, "page_view", "/returns/mri"),
  event(visitors.reader, "page_view", "/pricing"),
];

async function api(path: string, init: RequestInit = {}) {
  const res = await fetch(base() + path, { ...init, headers: { ...ADMIN, ...init.headers } });
  if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
  return res.json();
}

async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  browser = await launch();
  readToken = (await api("/api/projects", { method: "POST", body: JSON.stringify({ id: project, name: "Dashboard test" }) })).read_token;
  const res = await fetch(`${base()}/capture`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": ANDROID },
    body: JSON.stringify({ project, sent_at: new Date().toISOString(), events: EVENTS }),
  });
  expect(res.status).toBe(202);
  await eventually(async () => (await api(`/api/projects/${project}/events?limit=100`)).events.length === EVENTS.length, "stored events");
});
afterAll(() => browser?.close());

/** Opens the dashboard and signs in through the form. */
async function signIn(token: string, projectId = project): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${base()}/#/overview`);
  await page.fill("input[name=token]", token);
  await page.fill("input[name=project]", projectId);
  await page.click("form[aria-label='Sign in'] button[type=submit]");
  return page;
}

const statValue = async (page: Page, id: string) => {
  const locator = page.locator(`[data-page=overview] [data-stat=${id}] [data-value]`);
  await locator.waitFor();
  return (await locator.textContent())?.trim();
};

describe("dashboard", () => {
  it("rejects a bad token at sign-in with the API's error", async () => {
    const page = await signIn("not-a-real-token");
    const alert = page.locator("[role=alert]");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("401");
    expect(await page.locator("[data-page=overview]").count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("junction.token"))).toBeNull();
    await page.close();
  });

  it("shows an error state when the token may not read the selected project", async () => {
    const page = await signIn(readToken);
    await page.locator("[data-page=overview] [data-stat=visitors]").waitFor();
    await page.fill("input[name=project-switch]", "demo");
    await page.press("input[name=project-switch]", "Enter");
    const alert = page.locator("[data-page=overview] [data-state=error]").first();
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/403.*forbidden/);
    await page.close();
  });

  it("signs in and shows overview totals that match the captured events", async () => {
    const page = await signIn(readToken);
    expect(await statValue(page, "visitors")).toBe("3");
    expect(await statValue(page, "pageviews")).toBe("4");
    expect(await statValue(page, "events")).toBe("7");
    expect(await statValue(page, "sessions")).toBe("3");
    const pages = page.locator("[data-breakdown='Top pages'] tbody tr");
    await pages.first().waitFor();
    expect(await pages.first().textContent()).toContain("/returns/mri");
    // Devices come from the capture request's User-Agent.
    const devices = page.locator("[data-breakdown='Devices'] tbody tr");
    await devices.first().waitFor();
    expect(await devices.first().textContent()).toContain("mobile");
    await page.close();
  });

  it("renders a saved funnel's steps with counts per step", async () => {
    const name = `MRI ${randomUUID().slice(0, 6)}`;
    await api(`/api/projects/${project}/funnels`, {
      method: "POST",
      body: JSON.stringify({
        name,
        window: 86_400,
        steps: [
          { event: "page_view", path: "/returns/mri" },
          { event: "return_started", where: { journey: "MRI" } },
          { event: "return_submitted", where: { journey: "MRI" } },
        ],
      }),
    });
    const page = await signIn(readToken);
    await page.goto(`${base()}/#/funnels`);
    await page.getByRole("tab", { name }).click();
    const rows = page.locator("[data-funnel-result] tbody tr");
    await rows.nth(2).waitFor();
    const counts = await page.locator("[data-funnel-result] tbody tr [data-count]").allTextContents();
    expect(counts.map((c) => c.trim())).toEqual(["3", "2", "1"]);
    expect(await rows.nth(2).textContent()).toContain("return_submitted");
    expect(await page.locator("[data-funnel-result] canvas").count()).toBe(1);
    await page.close();
  });

  it("shows live visitors over the WebSocket and updates when a new visitor arrives", async () => {
    const page = await signIn(readToken);
    await page.goto(`${base()}/#/live`);
    await page.locator("[data-live-mode=socket]").waitFor();
    const value = page.locator("[data-page=live] [data-stat=active_visitors] [data-value]");
    await value.waitFor();
    const before = Number(await value.textContent());
    const newcomer = event(randomUUID(), "page_view", "/");
    newcomer.timestamp = new Date().toISOString();
    const res = await fetch(`${base()}/capture`, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": ANDROID },
      body: JSON.stringify({ project, sent_at: new Date().toISOString(), events: [newcomer] }),
    });
    expect(res.status).toBe(202);
    await page.waitForFunction(
      ([sel, n]) => Number(document.querySelector(sel as string)?.textContent) === n,
      ["[data-page=live] [data-stat=active_visitors] [data-value]", before + 1] as const,
      { timeout: 20_000 },
    );
    await page.close();
  });

  it("finds a person by anonymous id and lists their events in time order", async () => {
    const page = await signIn(readToken);
    await page.goto(`${base()}/#/timeline`);
    await page.fill("form[aria-label='Find a person'] input[name=id]", visitors.filer);
    await page.click("form[aria-label='Find a person'] button[type=submit]");
    const items = page.locator("[data-timeline] li");
    await items.nth(2).waitFor();
    expect(await page.locator("[data-timeline] li").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-event")))).toEqual([
      "page_view",
      "return_started",
      "return_submitted",
    ]);
    expect(await page.locator("[data-linked-ids]").textContent()).toContain(visitors.filer);
    await page.close();
  });
});
