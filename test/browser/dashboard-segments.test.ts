import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch } from "./chromium";
import { api, base, hashParams, seedDemoProject, settled, signedIn, writeToken } from "./dashboard-helpers";

let browser: Browser;
let demo: Awaited<ReturnType<typeof seedDemoProject>>;
let writer: string;
beforeAll(async () => {
  browser = await launch();
  demo = await seedDemoProject();
  writer = await writeToken(demo.project);
});
afterAll(() => browser?.close());

async function open(hash: string, token: string) {
  const context = await signedIn(browser, token, demo.project);
  const page = await context.newPage();
  await page.goto(`${base()}/#/${hash}${hash.includes("?") ? "&" : "?"}project=${demo.project}`);
  await settled(page, hash.split("?")[0]);
  return page;
}

/** Adds one condition through the form: its type, then each field by name. */
async function addCondition(page: Page, type: string, fields: Record<string, string>) {
  await page.selectOption("select[name=condition-type]", type);
  for (const [key, value] of Object.entries(fields)) {
    const field = page.locator(`[data-condition-form] [name=c-${key}]`);
    if ((await field.evaluate((e) => e.tagName)) === "SELECT") await field.selectOption(value);
    else await field.fill(value);
  }
  await page.click("[data-add-condition]");
}

describe("segments page", () => {
  it("builds a segment, previews the same count and members the API gives, saves it and opens a member's timeline", async () => {
    const page = await open("segments", writer);
    await page.locator("[data-page=segments][data-access=write]").waitFor();
    await page.fill("input[name=segment-name]", "WhatsApp people who messaged");
    await addCondition(page, "event", { event: "message_received", channel: "whatsapp", within_days: "30" });
    await addCondition(page, "reachable", { value: "true" });
    expect(await page.locator("[data-conditions] li").count()).toBe(2);
    await page.click("[data-preview]");
    await settled(page, "segments");
    const count = page.locator("[data-panel=preview] [data-stat=segment_count] .stat-value");
    await count.waitFor();

    // The same definition written out by hand, asked of the API directly.
    const definition = {
      match: "all",
      conditions: [
        { type: "event", event: "message_received", channel: "whatsapp", did: true, min_count: 1, within_days: 30 },
        { type: "reachable", channel: "whatsapp", value: true },
      ],
    };
    const expected = await api(`/api/projects/${demo.project}/segments/preview`, { method: "POST", body: JSON.stringify(definition) });
    expect(expected.count).toBeGreaterThan(0);
    expect(Number((await count.textContent())!.replaceAll(",", ""))).toBe(expected.count);
    const shown = await page.locator("[data-sample] [data-person]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-person")));
    expect(new Set(shown)).toEqual(new Set(expected.sample.map((m: { person_id: string }) => m.person_id)));

    await page.click("[data-save]");
    await page.waitForFunction(() => /segment=/.test(location.hash));
    const id = hashParams(page).segment;
    const saved = await api(`/api/projects/${demo.project}/segments/${id}`);
    expect(saved.name).toBe("WhatsApp people who messaged");
    expect(saved.definition).toEqual(definition);
    await page.locator(`[data-segments] [data-segment="${id}"]`).waitFor();
    expect(await page.locator(`[data-segments] [data-segment="${id}"]`).getByRole("button", { name: "Export CSV" }).count()).toBe(1);

    // A member row opens that person's timeline.
    const first = page.locator("[data-sample] [data-person]").first();
    const whatsapp = await first.locator("td").nth(1).textContent();
    await first.locator("a").click();
    await settled(page, "people");
    expect(hashParams(page).external_id).toBe(whatsapp);
    await page.context().close();
  }, 120_000);

  it("shows a read token the saved segments and previews but no save or delete", async () => {
    const made = await api(`/api/projects/${demo.project}/segments`, {
      method: "POST",
      body: JSON.stringify({ name: "Opted in", definition: { conditions: [{ type: "consent", state: "opted_in" }] } }),
    });
    const page = await open(`segments?segment=${made.id}`, demo.readToken);
    await page.locator("[data-page=segments][data-access=read]").waitFor();
    await page.locator("[data-panel=preview] [data-stat=segment_count]").waitFor();
    const expected = await api(`/api/projects/${demo.project}/segments/${made.id}/preview`);
    expect(
      Number((await page.locator("[data-panel=preview] [data-stat=segment_count] .stat-value").textContent())!.replaceAll(",", "")),
    ).toBe(expected.count);
    expect(await page.locator("[data-save]").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Delete" }).count()).toBe(0);
    await page.context().close();
  }, 90_000);
});
