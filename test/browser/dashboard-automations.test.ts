import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { randomUUID } from "node:crypto";
import { launch } from "./chromium";
import { api, base, eventually, hashParams, settled, signedIn, writeToken } from "./dashboard-helpers";

let browser: Browser;
let project: string;
beforeAll(async () => {
  browser = await launch();
  project = `auto-${randomUUID().slice(0, 8)}`;
  await api("/api/projects", { method: "POST", body: JSON.stringify({ id: project, name: "Automation views" }) });
});
afterAll(() => browser?.close());

const path = (p: string) => `/api/projects/${project}${p}`;

async function capture(event: string) {
  const res = await fetch(`${base()}/capture`, {
    method: "POST",
    headers: { "content-type": "text/plain" },
    body: JSON.stringify({
      project,
      sent_at: new Date().toISOString(),
      events: [
        { event_id: randomUUID(), event, timestamp: new Date().toISOString(), anonymous_id: randomUUID(), session_id: randomUUID() },
      ],
    }),
  });
  expect(res.status).toBe(202);
}

describe("automations page", () => {
  it("builds an event automation, shows its run and steps, its dry run, and pauses and resumes it", async () => {
    const context = await signedIn(browser, await writeToken(project), project);
    const page = await context.newPage();
    await page.goto(`${base()}/#/automations?project=${project}`);
    await settled(page, "automations");
    await page.locator("[data-page=automations][data-access=write]").waitFor();
    await page.fill("input[name=automation-name]", "List checkouts");
    await page.fill("input[name=trigger-event]", "checkout_started");
    await page.selectOption("select[name=action-type]", "add_to_list");
    await page.fill("input[name=action-list]", "checkouts");
    await page.click("[data-add-action]");
    await page.click("[data-create-automation]");
    await page.locator("[data-secret] input").waitFor();
    await page.waitForFunction(() => /automation=/.test(location.hash));
    const id = hashParams(page).automation;
    const saved = await api(path(`/automations/${id}`));
    expect(saved).toMatchObject({
      name: "List checkouts",
      status: "active",
      trigger: { type: "event", event: "checkout_started" },
      actions: [{ type: "add_to_list", list: "checkouts" }],
    });
    expect(saved.wait).toBeUndefined();
    expect(saved.conditions).toBeUndefined();

    // One matching event: one run, whose steps the log shows.
    await capture("checkout_started");
    const runs = await eventually(
      async () => {
        const r = await api(path(`/automations/${id}/runs`));
        return r.runs.length === 1 && r.runs[0].finished_at && r.runs;
      },
      "one finished run",
      45_000,
    );
    await eventually(
      async () => {
        await page.locator("[data-panel=runs]").getByRole("button", { name: "Refresh" }).click();
        await settled(page, "automations");
        return (await page.locator("[data-runs] [data-run]").count()) === 1;
      },
      "the run listed",
      20_000,
    );
    expect(await page.locator("[data-runs] [data-run] .badge").textContent()).toBe(runs[0].status);
    await page.locator(`[data-runs] [data-run="${runs[0].id}"] a`).click();
    const detail = await api(path(`/automations/${id}/runs/${runs[0].id}`));
    await page.locator("[data-steps] li").first().waitFor();
    expect(await page.locator("[data-steps] li").count()).toBe(detail.steps.length);
    expect(hashParams(page).run).toBe(runs[0].id);

    await page.click("[data-dry-run]");
    await page.locator("[data-stat=dry_people] .stat-value").waitFor();
    const dry = await api(path(`/automations/${id}/dry-run`), { method: "POST", body: "{}" });
    expect(Number(await page.textContent("[data-stat=dry_people] .stat-value"))).toBe(dry.people);
    expect(Number(await page.textContent("[data-stat=dry_events] .stat-value"))).toBe(dry.events);

    const row = page.locator(`[data-automations] [data-automation="${id}"]`);
    await row.locator("[data-toggle]").click();
    await row.locator("[data-status=paused]").waitFor();
    expect((await api(path(`/automations/${id}`))).status).toBe("paused");
    await row.locator("[data-toggle]").click();
    await row.locator("[data-status=active]").waitFor();
    expect((await api(path(`/automations/${id}`))).status).toBe("active");
    await context.close();
  }, 120_000);
});
