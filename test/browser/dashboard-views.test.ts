import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch } from "./chromium";
import { api, base, hashParams, seedDemoProject, settled, signedIn } from "./dashboard-helpers";

let browser: Browser;
let demo: Awaited<ReturnType<typeof seedDemoProject>>;
beforeAll(async () => {
  browser = await launch();
  demo = await seedDemoProject();
});
afterAll(() => browser?.close());

/** A signed-in page at `#/<hash>` (the project is added), with every API request it sends recorded. */
async function open(hash: string, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await signedIn(browser, demo.readToken, demo.project, options);
  const page = await context.newPage();
  const requests: URL[] = [];
  page.on("request", (r) => r.url().includes("/api/") && requests.push(new URL(r.url())));
  const [name, query = ""] = hash.split("?");
  await page.goto(`${base()}/#/${name}?project=${demo.project}${query ? "&" + query : ""}`);
  await settled(page, name);
  return { page, requests, close: () => context.close() };
}

const stat = (page: Page, id: string) => page.locator(`[data-stat=${id}] [data-value]`).textContent();
const chips = (page: Page) => page.locator(".filter-chip").allTextContents();

describe("dashboard views are URLs", () => {
  it("adds a filter from the filter bar: the URL holds it, the requests carry it, a reload restores it", async () => {
    const { page, requests, close } = await open("overview?range=30d&tz=UTC");
    await page.getByRole("button", { name: "+ Add filter" }).click();
    await page.selectOption("select[name=filter-dimension]", "country");
    // Suggestions come from the API (stats/values, or the breakdown until that exists).
    const suggestion = page.locator("form[aria-label='Add filter'] datalist option").first();
    await suggestion.waitFor({ state: "attached" });
    const country = (await suggestion.getAttribute("value"))!;
    // Each suggestion shows its events in the range (the API's `events`), never a placeholder dash.
    const labels = await page
      .locator("form[aria-label='Add filter'] datalist option")
      .evaluateAll((os) => os.map((o) => o.getAttribute("label")));
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).toMatch(/^[\d,]+$/);
    await page.fill("input[name=filter-value]", country);
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.locator(`[data-filter=country]`).waitFor();
    expect(hashParams(page)).toMatchObject({ country, range: "30d", tz: "UTC" });
    await settled(page, "overview");
    expect(
      requests
        .filter((u) => u.pathname.endsWith("/stats/overview"))
        .at(-1)!
        .searchParams.get("country"),
    ).toBe(country);
    const visitors = await stat(page, "visitors");
    const url = page.url();

    await page.reload();
    await settled(page, "overview");
    expect(page.url()).toBe(url);
    expect(await chips(page)).toEqual([expect.stringContaining(country)]);
    expect(await stat(page, "visitors")).toBe(visitors);
    await close();
  });

  it("filters the whole view by a clicked breakdown row, and back/forward walk through the views", async () => {
    const { page, close } = await open("overview?range=30d&tz=UTC");
    const row = page.locator("[data-breakdown='Top pages'] .row-filter").first();
    const path = (await row.textContent())!.trim();
    await row.click();
    await page.locator("[data-filter=path]").waitFor();
    expect(hashParams(page).path).toBe(path);
    await settled(page, "overview");
    // Every panel now answers for that page only.
    expect(await page.locator("[data-breakdown='Top pages'] .row-filter").allTextContents()).toEqual([path]);

    await page.goBack();
    await page.locator("[data-filter=path]").waitFor({ state: "detached" });
    expect(hashParams(page).path).toBeUndefined();
    await page.goForward();
    await page.locator("[data-filter=path]").waitFor();
    expect(hashParams(page).path).toBe(path);
    await page.getByRole("button", { name: /^Remove filter Page/ }).click();
    await page.locator("[data-filter=path]").waitFor({ state: "detached" });
    await close();
  });

  it("moves between breakdown tabs with the arrow keys and keeps the tab in the URL", async () => {
    const { page, close } = await open("overview?range=30d&tz=UTC");
    const tabs = page.locator("[data-breakdown=Sources] [role=tab]");
    await tabs.first().focus();
    await page.keyboard.press("ArrowRight");
    await page.locator("[data-breakdown=Sources] [role=tab][aria-selected=true][data-tab=utm_source]").waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-tab"))).toBe("utm_source");
    await page.keyboard.press("End");
    await page.locator("[data-breakdown=Sources] [role=tab][aria-selected=true][data-tab=utm_campaign]").waitFor();
    await page.keyboard.press("ArrowRight"); // wraps to the first
    await page.locator("[data-breakdown=Sources] [role=tab][aria-selected=true][data-tab=referrer]").waitFor();
    await page.keyboard.press("ArrowLeft");
    await page.locator("[data-breakdown=Sources] [role=tab][aria-selected=true][data-tab=utm_campaign]").waitFor();
    expect(hashParams(page).tab).toBe("utm_campaign");
    // Only the selected tab is in the Tab order.
    expect(await tabs.evaluateAll((els) => els.map((e) => e.getAttribute("tabindex")))).toEqual(["-1", "-1", "-1", "0"]);

    await page.reload();
    await settled(page, "overview");
    expect(await page.locator("[data-breakdown=Sources] [role=tab][aria-selected=true]").getAttribute("data-tab")).toBe("utm_campaign");
    expect(await page.locator("[data-breakdown=Sources] th").first().textContent()).toBe("UTM campaign");
    await close();
  });

  it("pages a breakdown past 10 rows with Show more", async () => {
    const { page, requests, close } = await open("overview?range=30d&tz=UTC");
    const rows = page.locator("[data-breakdown='Top pages'] tbody tr");
    expect(await rows.count()).toBe(10);
    await page.locator("[data-breakdown='Top pages']").getByRole("button", { name: "Show more" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-breakdown='Top pages'] tbody tr").length > 10, null, {
      timeout: 15_000,
    });
    expect(requests.filter((u) => u.searchParams.get("dimension") === "path").map((u) => u.searchParams.get("limit"))).toEqual([
      "10",
      "30",
    ]);
    await close();
  });

  it("sends ranges aligned to midnight and the next quarter hour in the URL's zone, not the browser's", async () => {
    const { page, requests, close } = await open("overview?range=7d&tz=Asia/Kolkata", { timezoneId: "America/New_York" });
    const overview = requests.filter((u) => u.pathname.endsWith("/stats/overview")).at(-1)!;
    const from = Date.parse(overview.searchParams.get("from")!);
    const to = Date.parse(overview.searchParams.get("to")!);
    expect(overview.searchParams.get("tz")).toBe("Asia/Kolkata");
    // Kolkata is UTC+5:30 all year: its midnights are 18:30 UTC.
    expect(new Date(from).toISOString()).toMatch(/T18:30:00\.000Z$/);
    const kolkataToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Kolkata" }).format(new Date());
    expect(new Date(from + 5.5 * 3_600_000).toISOString().slice(0, 10)).toBe(
      new Date(Date.parse(kolkataToday) - 7 * 86_400_000).toISOString().slice(0, 10),
    );
    expect(to % 900_000).toBe(0);
    expect(to - Date.now()).toBeLessThanOrEqual(900_000);

    await page.selectOption("select[name=range]", "24h");
    await settled(page, "overview");
    const hourly = requests.filter((u) => u.pathname.endsWith("/stats/overview")).at(-1)!;
    expect(hourly.searchParams.get("interval")).toBe("hour");
    expect(Date.parse(hourly.searchParams.get("to")!) - Date.parse(hourly.searchParams.get("from")!)).toBe(86_400_000);
    expect(hashParams(page)).toMatchObject({ range: "24h", tz: "Asia/Kolkata" });
    await close();
  });

  it("reports a reversed custom range once in the filter bar and sends nothing until it is fixed", async () => {
    const { page, requests, close } = await open("overview?range=30d&tz=UTC");
    await page.selectOption("select[name=range]", "custom");
    await settled(page, "overview");
    const to = await page.inputValue("input[name=to]");
    const later = new Date(Date.parse(to) + 5 * 86_400_000).toISOString().slice(0, 10);
    const sent = requests.length;
    await page.fill("input[name=from]", later);
    await page.locator("[data-range-error]").waitFor();
    expect(await page.locator("[role=alert]").count()).toBe(1);
    expect(await page.locator("[data-range-error]").textContent()).toMatch(/start date is after the end date/);
    // A bounded wait for the absence of traffic, not a barrier for anything that follows.
    await expect(page.waitForRequest((r) => r.url().includes("/api/"), { timeout: 1500 })).rejects.toThrow();
    expect(requests.length).toBe(sent);
    expect(hashParams(page)).toMatchObject({ range: "custom", from: later, to });

    await page.fill("input[name=to]", later);
    await page.locator("[data-range-error]").waitFor({ state: "detached" });
    await settled(page, "overview");
    expect(requests.length).toBeGreaterThan(sent);
    await close();
  });

  it("dims the old numbers while new data loads, and shows an error only in the panel that failed", async () => {
    const { page, close } = await open("overview?range=30d&tz=UTC");
    const held: (() => Promise<void>)[] = [];
    await page.route("**/stats/overview?*", (route) => void held.push(() => route.continue()));
    const before = await stat(page, "visitors");
    await page.selectOption("select[name=interval]", "week");
    const busy = page.locator("[data-page=overview] .loaded.stale[aria-busy=true]").filter({ has: page.locator("[data-stat=visitors]") });
    await busy.waitFor();
    expect(await stat(page, "visitors")).toBe(before);
    expect(await busy.locator(".loading-cue").textContent()).toBe("Updating…");
    for (const release of held) await release();
    await page.unroute("**/stats/overview?*");
    await settled(page, "overview");

    await page.route("**/stats/breakdown?*dimension=device_type*", (route) =>
      route.fulfill({
        status: 500,
        contentType: "application/json",
        body: JSON.stringify({ error: "internal_error", message: "internal error" }),
      }),
    );
    await page.reload();
    await settled(page, "overview");
    expect(await page.locator("[data-state=error]").count()).toBe(1);
    expect(await page.locator("[data-breakdown=Devices] [data-state=error]").textContent()).toContain("500");
    expect(await page.locator("[data-breakdown=Locations] tbody tr").count()).toBeGreaterThan(0);
    await close();
  });

  it("keeps range, zone and filters across pages, titles each view and focuses its heading", async () => {
    const steps = [{ event: "page_view", path: "/returns/nil" }, { event: "return_started" }];
    for (const name of ["NIL starts", "NIL starts (1 hour)"])
      await api(`/api/projects/${demo.project}/funnels`, {
        method: "POST",
        body: JSON.stringify({ name, steps, window: name.includes("hour") ? 3600 : 86_400 }),
      });
    const { page, close } = await open("overview?range=7d&tz=Africa/Nairobi&device_type=mobile");
    expect(await page.title()).toBe("Overview · Junction");
    await page.getByRole("link", { name: "Funnels" }).click();
    await settled(page, "funnels");
    expect(await page.title()).toBe("Funnels · Junction");
    expect(hashParams(page)).toMatchObject({ range: "7d", tz: "Africa/Nairobi", device_type: "mobile" });
    expect(await page.evaluate(() => document.activeElement?.tagName + " " + document.activeElement?.textContent)).toBe("H1 Funnels");
    // The shown funnel is in the URL too, so a reload (or a shared link) shows the same one.
    const second = page.locator("[role=tablist][aria-label='Saved funnels'] [role=tab]").nth(1);
    await second.click();
    const id = hashParams(page).funnel;
    expect(id).toBeTruthy();
    await page.reload();
    await settled(page, "funnels");
    expect(await page.locator("[role=tablist][aria-label='Saved funnels'] [role=tab][aria-selected=true]").textContent()).toBe(
      await second.textContent(),
    );
    await close();
  });

  it("offers a skip link to the main content as the first Tab stop", async () => {
    const { page, close } = await open("whatsapp?range=30d&tz=UTC");
    const hash = new URL(page.url()).hash;
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to main content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main-content");
    expect(new URL(page.url()).hash).toBe(hash);
    await close();
  });
});
