import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch } from "./chromium";
import { api, base, seedDemoProject, settled, signedIn } from "./dashboard-helpers";

let browser: Browser;
let demo: Awaited<ReturnType<typeof seedDemoProject>>;
beforeAll(async () => {
  browser = await launch();
  demo = await seedDemoProject();
});
afterAll(() => browser?.close());

/** Counts API requests per path ending (e.g. "/stats/breakdown") from now on. */
function counter(page: Page) {
  const seen: URL[] = [];
  page.on("request", (r) => r.url().includes("/api/") && seen.push(new URL(r.url())));
  return {
    count: (suffix: string) => seen.filter((u) => u.pathname.endsWith(suffix)).length,
    last: (suffix: string) => seen.filter((u) => u.pathname.endsWith(suffix)).at(-1),
    reset: () => seen.splice(0),
  };
}

const setHash = (page: Page, hash: string) => page.evaluate((h) => (location.hash = h), hash);

describe("dashboard requests and stale numbers", () => {
  it("asks each Overview panel once, and not again for a tab change or a drill-down opened and closed", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    const calls = counter(page);
    // A bare address: the dashboard completes it (project, range, zone) without asking twice.
    await page.goto(`${base()}/#/overview`);
    await settled(page, "overview");
    expect(calls.count("/stats/breakdown")).toBe(4);
    expect(calls.count("/stats/overview")).toBe(1);
    expect(calls.count("/stats/bots")).toBe(1);

    calls.reset();
    await page.locator("[data-breakdown=Locations] [role=tab]", { hasText: "Cities" }).click();
    await settled(page, "overview");
    expect(calls.count("/stats/breakdown")).toBe(1);
    expect(calls.last("/stats/breakdown")?.searchParams.get("dimension")).toBe("city");

    calls.reset();
    await page.locator("[data-stat=visitors] button").click();
    await page.locator("[data-drill=visitors] [data-drill-total]").waitFor({ timeout: 30_000 });
    await page.keyboard.press("Escape");
    await page.locator("[data-drill]").waitFor({ state: "detached", timeout: 10_000 });
    await settled(page, "overview");
    expect(calls.count("/stats/people")).toBe(1);
    expect(calls.count("/stats/breakdown") + calls.count("/stats/overview") + calls.count("/stats/bots")).toBe(0);
    await context.close();
  });

  it("shows no numbers of the previous range while the custom range is invalid", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    const at = `project=${demo.project}&tz=UTC`;
    await page.goto(`${base()}/#/overview?${at}&range=30d`);
    await settled(page, "overview");
    await page.locator("[data-stat=visitors] [data-value]").waitFor({ timeout: 10_000 });

    await setHash(page, `#/overview?${at}&range=custom&from=2026-05-10&to=2026-05-01`);
    await page.locator("[role=alert]", { hasText: "start date is after the end date" }).waitFor({ timeout: 10_000 });
    expect(await page.locator("[data-stat]").count()).toBe(0);
    expect(await page.locator("[data-breakdown] tbody tr").count()).toBe(0);
    expect(await page.locator("[data-state=error]").count()).toBe(0);

    await setHash(page, `#/whatsapp?${at}&range=custom&from=2026-05-10&to=2026-05-01`);
    await page.locator("[data-page=whatsapp]").waitFor({ timeout: 10_000 });
    expect(await page.locator("[data-stat]").count()).toBe(0);
    expect(await page.locator("canvas").count()).toBe(0);
    await context.close();
  });

  it("moves focus to an opened conversation and back to its row when it closes", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/conversations?project=${demo.project}&range=30d&tz=UTC`);
    await settled(page, "conversations");
    const row = page.locator("[data-conversations] tbody tr").first();
    const id = await row.getAttribute("data-conversation");
    await row.locator("button").click();
    await page.locator("[data-conversation-heading]").waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.activeElement?.hasAttribute("data-conversation-heading"), null, { timeout: 10_000 });
    await page.locator("[data-conversation-detail] button", { hasText: "Close" }).click();
    await page.waitForFunction((conv) => document.activeElement?.closest("tr")?.getAttribute("data-conversation") === conv, id, {
      timeout: 10_000,
    });
    await context.close();
  });
});

describe("agents page: drill-down and fit", () => {
  it("opens the Conversations list behind the SLA figures and agent totals, filtered as the number", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/agents?project=${demo.project}&range=30d&tz=UTC`);
    await settled(page, "agents");

    // Nothing overflows its card at 1,280 px.
    for (const table of ["[data-agents]", "[data-availability]"]) {
      const fit = await page.locator(table).evaluate((t) => ({ table: t.scrollWidth, card: t.closest(".table-wrap")!.clientWidth }));
      expect(fit.table, table).toBeLessThanOrEqual(fit.card);
    }

    const agentRow = page.locator("[data-sla-agents] tbody tr").nth(1);
    const agent = await agentRow.getAttribute("data-sla-agent");
    await agentRow.locator("[data-sla-link=sla_first_response]").click();
    await settled(page, "conversations");
    const params = new URLSearchParams(new URL(page.url()).hash.split("?")[1]);
    expect(params.get("agent")).toBe(agent);
    expect(params.get("sla_first_response")).toBe("met");
    await page.locator("[data-figure-filter=sla_first_response]").waitFor({ timeout: 10_000 });
    const shown = await page
      .locator("[data-conversations] tbody tr")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-conversation")));
    // Checked against the API over the range the page itself asked for.
    const asked = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => e.name)
        .filter((n) => n.includes("/conversations?"))
        .at(-1),
    );
    const sent = new URL(asked!).searchParams;
    const q = new URLSearchParams({ from: sent.get("from")!, to: sent.get("to")!, agent: agent!, sla_first_response: "met", limit: "50" });
    const list = await api(`/api/projects/${demo.project}/conversations?${q}`);
    expect(shown).toEqual(list.conversations.map((c: { conversation_id: string }) => c.conversation_id));

    await page.goBack();
    await settled(page, "agents");
    await page.locator("[data-stat=conversations] button").click();
    await settled(page, "conversations");
    expect(new URLSearchParams(new URL(page.url()).hash.split("?")[1]).get("handled_by_agent")).toBe("true");
    await context.close();
  });
});

describe("whatsapp page: messages over time, response-time distribution, drill-down", () => {
  it("draws both charts and lists the inbound messages behind Messages in", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    const calls = counter(page);
    await page.goto(`${base()}/#/whatsapp?project=${demo.project}&range=30d&tz=UTC`);
    await settled(page, "whatsapp");
    await page.locator("[data-panel=messages-series] canvas").waitFor({ timeout: 10_000 });
    await page.locator("[data-panel=response-buckets] canvas").waitFor({ timeout: 10_000 });

    const asked = calls.last("/whatsapp/messages-series")!;
    const series = await api(`${asked.pathname}?${asked.searchParams}`);
    const overview = await api(`${asked.pathname.replace("messages-series", "overview")}?${asked.searchParams}`);
    const sum = series.series.reduce((n: number, b: { messages_in: number }) => n + b.messages_in, 0);
    expect(sum).toBe(overview.messages_in);

    await page.locator("[data-stat=messages_in] button").click();
    const total = await page.locator("[data-drill=messages_in] [data-drill-total]").textContent({ timeout: 30_000 });
    expect(total?.trim()).toBe(`${overview.messages_in.toLocaleString("en")} in all`);
    await context.close();
  });
});
