import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { mkdirSync } from "node:fs";
import { launch } from "./chromium";
import { api, base, PAGES, seedDemoProject, settled, signedIn, WRITE_PAGES, writeToken } from "./dashboard-helpers";

// Screenshots for people reviewing the layout; not compared by the tests.
const ARTIFACTS = new URL("./artifacts/", import.meta.url).pathname;
const VARIANTS = [
  { label: "light", width: 1280, scheme: "light" },
  { label: "dark", width: 1280, scheme: "dark" },
  { label: "375", width: 375, scheme: "light" },
  { label: "375-dark", width: 375, scheme: "dark" },
] as const;
// --bg of each scheme (dashboard/src/styles/theme.css).
const BACKGROUND = { light: "rgb(246, 247, 251)", dark: "rgb(11, 17, 32)" };

let browser: Browser;
let demo: Awaited<ReturnType<typeof seedDemoProject>>;
let writer: string;
let campaignId: string;
beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launch();
  demo = await seedDemoProject();
  writer = await writeToken(demo.project);
  // A template, a segment and a draft campaign, so the campaign form and a results panel are laid out too.
  const post = (path: string, body: unknown) => api(`/api/projects/${demo.project}${path}`, { method: "POST", body: JSON.stringify(body) });
  const template = await post("/templates", { name: "layout_check", language: "en", category: "UTILITY", components: [{ type: "body" }] });
  const segment = await post("/segments", { name: "Reachable", definition: { conditions: [{ type: "reachable", value: true }] } });
  campaignId = (await post("/campaigns", { name: "Layout", segment_id: segment.id, template_id: template.id })).id;
});
afterAll(() => browser?.close());

const pageParams = (name: string) =>
  name === "timeline" ? `&external_id=${encodeURIComponent(demo.phone)}` : name === "campaigns" ? `&campaign=${campaignId}` : "";
const urlOf = (name: string) => `${base()}/#/${name}?project=${demo.project}&range=30d&tz=Africa/Nairobi${pageParams(name)}`;

async function open(name: string, options: { width: number; scheme: "light" | "dark" }): Promise<Page> {
  // Share links are managed with the admin token.
  // Builders show for a write token only: their forms are what must fit at 375 px.
  const token = name === "shares" ? "dev-admin-token" : WRITE_PAGES.includes(name) ? writer : demo.readToken;
  const context = await signedIn(browser, token, demo.project, {
    viewport: { width: options.width, height: 900 },
    colorScheme: options.scheme,
  });
  const page = await context.newPage();
  await page.goto(urlOf(name));
  await settled(page, name);
  if (name === "live") await page.locator("[data-page=live] [data-stat=active_visitors]").waitFor();
  if (name === "timeline") await page.locator("[data-timeline] li").first().waitFor();
  if (name === "people") await page.locator("[data-people] [data-person]").first().waitFor();
  if (WRITE_PAGES.includes(name) && name !== "segments") await page.locator("form.card").first().waitFor();
  if (name === "campaigns") await page.locator("[data-panel=campaign-results] [data-stat=audience]").waitFor();
  return page;
}

/** Pixels of `canvas` within a small distance of the CSS colour variable `name`. */
function pixelsOf(page: Page, selector: string, name: string) {
  return page.evaluate(
    ([sel, v]) => {
      const canvas = document.querySelector<HTMLCanvasElement>(sel)!;
      const hex = getComputedStyle(document.documentElement).getPropertyValue(v).trim();
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 12 && data[i + 3] > 200) n++;
      return n;
    },
    [selector, name] as const,
  );
}

describe("dashboard layout", () => {
  it.each(PAGES)(
    "%s fits 1,280 and 375 px without sideways scrolling, in light and dark",
    async (name) => {
      for (const v of VARIANTS) {
        const page = await open(name, v);
        const { scroll, inner, background } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: innerWidth,
          background: getComputedStyle(document.documentElement).backgroundColor,
        }));
        expect(scroll, `${name} at ${v.width} px (${v.scheme})`).toBeLessThanOrEqual(inner);
        expect(background).toBe(BACKGROUND[v.scheme]);
        await page.screenshot({ path: `${ARTIFACTS}${name}-${v.label}.png`, fullPage: true });
        await page.context().close();
      }
    },
    180_000,
  );

  it("fits the drill-down sheet on a phone and beside the page on a wide screen", async () => {
    for (const v of [VARIANTS[0], VARIANTS[2]]) {
      const context = await signedIn(browser, demo.readToken, demo.project, {
        viewport: { width: v.width, height: 900 },
        colorScheme: v.scheme,
      });
      const page = await context.newPage();
      await page.goto(`${urlOf("overview")}&drill=visitors`);
      await page.locator("[data-drill=visitors] [data-drill-total], [data-drill=visitors] [data-state=empty]").first().waitFor();
      const { scroll, inner, sheet } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: innerWidth,
        sheet: document.querySelector("[data-drill]")!.getBoundingClientRect().width,
      }));
      expect(scroll).toBeLessThanOrEqual(inner);
      expect(sheet).toBeLessThanOrEqual(Math.min(460, inner));
      await page.screenshot({ path: `${ARTIFACTS}drill-${v.label}.png` });
      await context.close();
    }
  });

  it("collapses the sidebar into a top bar with a menu button at 375 px", async () => {
    const page = await open("overview", { width: 375, scheme: "light" });
    const menu = page.getByRole("button", { name: "Menu" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await page.getByRole("link", { name: "WhatsApp" }).isVisible()).toBe(false);
    await menu.click();
    await page.getByRole("link", { name: "WhatsApp" }).click();
    await settled(page, "whatsapp");
    expect(await page.getByRole("link", { name: "WhatsApp" }).isVisible()).toBe(false);
    // Charts keep a usable height on a phone; wide tables scroll inside their card.
    const heights = await page
      .locator("[data-page=whatsapp] .chart")
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(200);
    const wraps = await page
      .locator("[data-page=whatsapp] .table-wrap")
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).overflowX));
    expect(wraps.length).toBeGreaterThan(0);
    expect(new Set(wraps)).toEqual(new Set(["auto"]));
    await page.context().close();
  });

  it("fits the WhatsApp weekday × hour heatmap and its colour legend inside the card at 1,280 px", async () => {
    const page = await open("whatsapp", { width: 1280, scheme: "light" });
    const fit = await page.locator(".heatmap").evaluate((grid) => {
      const card = grid.closest(".card")!.getBoundingClientRect();
      const box = grid.getBoundingClientRect();
      return {
        inside: box.left >= card.left && box.right <= card.right,
        cells: grid.querySelectorAll(".cell").length,
        scroll: grid.scrollWidth <= grid.clientWidth,
      };
    });
    expect(fit).toEqual({ inside: true, cells: 7 * 24, scroll: true });
    expect(await page.locator("[data-heat-legend]").textContent()).toMatch(/^0.*\d+messages per weekday-hour$/);
    await page.context().close();
  });

  it("draws charts in the scheme's colours, redraws them when the theme is switched, and remembers the choice", async () => {
    const page = await open("overview", { width: 1280, scheme: "light" });
    const canvas = "[data-page=overview] canvas";
    expect(await pixelsOf(page, canvas, "--chart-grid")).toBeGreaterThan(100);
    const lightGrid = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--chart-grid").trim());
    await page.selectOption("select[name=theme]", "dark");
    await page.locator("html[data-theme=dark]").waitFor({ state: "attached" });
    await page.waitForFunction((c) => document.querySelector(c) !== null, canvas);
    expect(await pixelsOf(page, canvas, "--chart-grid")).toBeGreaterThan(100);
    // No light grid line is left on the redrawn canvas.
    const leftovers = await page.evaluate(
      ([sel, hex]) => {
        const c = document.querySelector<HTMLCanvasElement>(sel)!;
        const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] === r && d[i + 1] === g && d[i + 2] === b) n++;
        return n;
      },
      [canvas, lightGrid] as const,
    );
    expect(leftovers).toBe(0);
    await page.reload();
    await settled(page, "overview");
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(await page.locator("select[name=theme]").inputValue()).toBe("dark");
    await page.context().close();
  });
});
