import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { randomUUID } from "node:crypto";
import { launch } from "./chromium";
import { api, base, eventually, hashParams, settled, signedIn, writeToken } from "./dashboard-helpers";

// Sends go to the stand-in provider global-setup starts (META_API_BASE_URL), whose signed status
// callbacks come back through the Worker's webhooks.
let browser: Browser;
let project: string;
let templates: { utility: string; marketing: string };
let segmentId: string;
const path = (p: string) => `/api/projects/${project}${p}`;
const post = (p: string, body: unknown) => api(path(p), { method: "POST", body: JSON.stringify(body) });

beforeAll(async () => {
  browser = await launch();
  project = `camp-${randomUUID().slice(0, 8)}`;
  const pnid = String(Date.now()) + String(Math.floor(Math.random() * 1000));
  await api("/api/projects", {
    method: "POST",
    body: JSON.stringify({ id: project, name: "Campaign views", whatsapp_accounts: [`meta:${pnid}`] }),
  });
  await api(path("/campaigns/settings"), {
    method: "PUT",
    body: JSON.stringify({ quiet_hours: null, frequency_cap: null, throughput_per_second: 50 }),
  });
  // Six contacts: two opted in, one opted out, three with no recorded consent.
  const csv = [
    "phone,name,consent",
    "+254711000001,Amina,opted_in",
    "+254711000002,Brian,opted_in",
    "+254711000003,Chao,opted_out",
    "+254711000004,Diana,",
    "+254711000005,Esther,",
    "+254711000006,Fatma,",
  ].join("\n");
  const report = await api(path("/contacts/import"), { method: "POST", body: csv, headers: { "content-type": "text/csv" } });
  expect(report.imported).toBe(6);
  const template = (name: string, category: string) =>
    post("/templates", {
      name,
      language: "en",
      category,
      components: [{ type: "body", variables: [{ from: "trait", key: "name", default: "there" }] }],
    });
  templates = { utility: (await template("return_due", "UTILITY")).id, marketing: (await template("spring_offer", "MARKETING")).id };
  segmentId = (await post("/segments", { name: "Everyone on WhatsApp", definition: { conditions: [{ type: "reachable", value: true }] } }))
    .id;
});
afterAll(() => browser?.close());

const statValue = (page: Page, id: string) =>
  page.textContent(`[data-panel=campaign-results] [data-stat=${id}] .stat-value`).then((t) => Number(t!.replaceAll(",", "")));

describe("campaigns page", () => {
  it("creates an A/B campaign, launches it through the stand-in and shows the API's results per variant", async () => {
    const context = await signedIn(browser, await writeToken(project), project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/campaigns?project=${project}`);
    await settled(page, "campaigns");
    await page.locator("[data-page=campaigns][data-access=write]").waitFor();
    await page.fill("input[name=campaign-name]", "Spring A/B");
    await page.selectOption("select[name=campaign-segment]", segmentId);
    await page.click("[data-add-variant]");
    await page.selectOption("select[name=variant-0-template]", templates.utility);
    await page.selectOption("select[name=variant-1-template]", templates.marketing);
    await page.fill("input[name=variant-1-weight]", "1");
    await page.fill("input[name=campaign-goal]", "purchase");
    await page.fill("input[name=campaign-goal-days]", "3");
    await page.fill("input[name=campaign-cost]", "0.02");
    await page.click("[data-create-campaign]");
    await page.waitForFunction(() => /campaign=/.test(location.hash));
    const id = hashParams(page).campaign;
    const draft = await api(path(`/campaigns/${id}`));
    expect(draft).toMatchObject({
      name: "Spring A/B",
      segment_id: segmentId,
      status: "draft",
      variants: [
        { name: "A", template_id: templates.utility, weight: 1 },
        { name: "B", template_id: templates.marketing, weight: 1 },
      ],
      goal: { event: "purchase", days: 3 },
      cost_per_message: 0.02,
      send_at: null,
    });

    await page.locator(`[data-campaign="${id}"] [data-action=launch]`).click();
    // Every recipient sent or skipped, and every sent message delivered (or failed) at the stand-in.
    const results = await eventually(
      async () => {
        const r = await api(path(`/campaigns/${id}/results`));
        const t = r.totals;
        const skipped = Object.values(t.skipped as Record<string, number>).reduce((a, b) => a + b, 0);
        return (
          r.status === "completed" && t.sent + skipped + t.failed === t.audience && t.delivered + t.failed >= t.sent && t.sent > 0 && r
        );
      },
      "the campaign sent and its statuses back",
      90_000,
    );
    expect(results.totals.audience).toBe(6);
    // Variant B is MARKETING: its recipients without an opt-in are skipped, the opted-out one in either.
    expect(results.totals.skipped.opted_out).toBe(1);

    await page.locator(`[data-campaign="${id}"] [data-status=completed]`).waitFor({ timeout: 30_000 });
    // The results panel re-reads itself; wait until it shows the settled figures.
    await eventually(
      async () =>
        (await statValue(page, "delivered")) === results.totals.delivered && (await statValue(page, "sent")) === results.totals.sent,
      "results panel",
      30_000,
    );
    expect(await statValue(page, "audience")).toBe(6);
    const variants = await page
      .locator("[data-variants] tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 6).map((td) => td.textContent)));
    expect(variants).toEqual(
      results.variants.map((v: Record<string, number> & { name: string }) => [
        v.name,
        ...[v.sent, v.delivered, v.read, v.replies, v.conversions].map(String),
      ]),
    );
    const skipped = await page
      .locator("[data-counts=skipped] tr")
      .evaluateAll((trs) => Object.fromEntries(trs.map((tr) => [tr.children[0].textContent, Number(tr.children[1].textContent)])));
    expect(skipped).toEqual(results.totals.skipped);
    expect(await page.locator("[data-comparisons] tbody tr").count()).toBe(1);
    expect(await page.locator("[data-panel=campaign-results] canvas").count()).toBe(1);
    await context.close();
  }, 180_000);

  it("shows a read token the list and results without create or launch", async () => {
    const made = await post("/campaigns", { name: "Read only", segment_id: segmentId, template_id: templates.utility });
    const { token: readToken } = await api(path("/tokens"), { method: "POST", body: JSON.stringify({ scope: "read", name: "viewer" }) });
    const context = await signedIn(browser, readToken, project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/campaigns?project=${project}&campaign=${made.id}`);
    await settled(page, "campaigns");
    await page.locator("[data-page=campaigns][data-access=read]").waitFor();
    await page.locator(`[data-campaign="${made.id}"]`).waitFor();
    expect(await page.locator("[data-panel=campaign-form]").count()).toBe(0);
    expect(await page.locator("[data-action]").count()).toBe(0);
    await page.locator("[data-panel=campaign-results] [data-stat=audience]").waitFor();
    await context.close();
  }, 60_000);
});
