import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { api, base, hashParams, seedDemoProject, settled, signedIn } from "./dashboard-helpers";

let browser: Browser;
let demo: Awaited<ReturnType<typeof seedDemoProject>>;
beforeAll(async () => {
  browser = await launch();
  // The demo generator sets business hours, an SLA policy and CSAT replies before its events.
  demo = await seedDemoProject();
});
afterAll(() => browser?.close());

const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
const text = (s: string | null) => (s ?? "").trim();

describe("agents page: SLA, CSAT, availability", () => {
  it("shows the SLA % met the API reports, overall and per agent, and sends hours=business when toggled", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    const asked: URL[] = [];
    page.on("request", (r) => r.url().includes("/api/") && asked.push(new URL(r.url())));
    await page.goto(`${base()}/#/agents?project=${demo.project}&range=30d&tz=Africa/Nairobi`);
    await settled(page, "agents");

    // The same range the page asked for, read back from its own request.
    const slaCall = asked.find((u) => u.pathname.endsWith("/sla"))!;
    expect(slaCall).toBeDefined();
    const sla = await api(`${slaCall.pathname}?${slaCall.searchParams}`);
    expect(sla.overall.cycles).toBeGreaterThan(0);
    expect(text(await page.textContent("[data-stat=sla_first_response] .stat-value"))).toBe(pct(sla.overall.first_response.met_rate));
    expect(text(await page.textContent("[data-stat=sla_resolution] .stat-value"))).toBe(pct(sla.overall.resolution.met_rate));
    const rows = await page
      .locator("[data-sla-agents] tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    expect(rows.slice(1)).toEqual(
      sla.agents.map(
        (a: {
          agent_id: string;
          cycles: number;
          first_response: { met_rate: number | null; breached: number };
          resolution: { met_rate: number | null; breached: number };
        }) => [
          a.agent_id,
          a.cycles.toLocaleString("en"),
          pct(a.first_response.met_rate),
          pct(a.resolution.met_rate),
          (a.first_response.breached + a.resolution.breached).toLocaleString("en"),
        ],
      ),
    );

    // CSAT per agent and availability are the API's too.
    const csatCall = asked.find((u) => u.pathname.endsWith("/csat"))!;
    const csat = await api(`${csatCall.pathname}?${csatCall.searchParams}`);
    expect(await page.locator("[data-csat-agents] tbody tr").count()).toBe(csat.agents.length + 1);
    const availability = await api(`/api/projects/${demo.project}/agents/availability?${csatCall.searchParams}`);
    expect(await page.locator("[data-availability] tbody tr").count()).toBe(availability.agents.length + 1);

    // Business hours: in the URL and in the API calls that take it.
    const before = asked.length;
    await page.locator("[role=tab][data-tab=business]").click();
    await settled(page, "agents");
    expect(hashParams(page).hours).toBe("business");
    const after = asked.slice(before).filter((u) => /\/agents(\/response-buckets)?$/.test(u.pathname));
    expect(after.length).toBe(2);
    expect(after.every((u) => u.searchParams.get("hours") === "business")).toBe(true);
    await context.close();
  }, 120_000);

  it("lists the conversations at risk from /sla/at-risk, each opening its conversation", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/agents?project=${demo.project}&range=30d&tz=UTC`);
    await settled(page, "agents");
    const risk = await api(`/api/projects/${demo.project}/sla/at-risk?within=60`);
    const shown = page.locator("[data-at-risk] tbody tr");
    if (!risk.conversations.length) {
      expect(await page.locator("[data-panel=at-risk] [data-state=empty]").count()).toBe(1);
    } else {
      // Live data moves: the list shown is the API's at one moment, a conversation id set.
      const ids = await shown
        .locator("a")
        .evaluateAll((as) => as.map((a) => new URLSearchParams(a.getAttribute("href")!.split("?")[1]).get("conversation")));
      expect(ids.length).toBeGreaterThan(0);
      await shown.first().locator("a").click();
      await settled(page, "conversations");
      expect(hashParams(page).conversation).toBe(ids[0]);
    }
    await context.close();
  }, 90_000);

  it("shows CSAT of bot- and human-resolved conversations on WhatsApp as the API reports it", async () => {
    const context = await signedIn(browser, demo.readToken, demo.project);
    const page = await context.newPage();
    const asked: URL[] = [];
    page.on("request", (r) => r.url().includes("/csat") && asked.push(new URL(r.url())));
    await page.goto(`${base()}/#/whatsapp?project=${demo.project}&range=30d&tz=UTC`);
    await settled(page, "whatsapp");
    const csat = await api(`${asked[0].pathname}?${asked[0].searchParams}`);
    expect(csat.overall.responses).toBeGreaterThan(0);
    const cells = (row: string) => page.locator(`[data-csat] [data-row=${row}] td`).allTextContents();
    const expected = (g: { responses: number; average: number | null; satisfied_rate: number | null }) => [
      g.responses.toLocaleString("en"),
      g.average === null ? "—" : g.average.toFixed(2),
      pct(g.satisfied_rate),
    ];
    expect((await cells("bot")).slice(1)).toEqual(expected(csat.bot));
    expect((await cells("human")).slice(1)).toEqual(expected(csat.human));
    await context.close();
  }, 90_000);
});
