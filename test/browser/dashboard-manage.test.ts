import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { api, base, hashParams, seedDemoProject, settled, signedIn } from "./dashboard-helpers";

let browser: Browser;
let demo: Awaited<ReturnType<typeof seedDemoProject>>;
beforeAll(async () => {
  browser = await launch();
  demo = await seedDemoProject();
});
afterAll(() => browser?.close());

async function open(hash: string, token = demo.readToken) {
  const context = await signedIn(browser, token, demo.project);
  const page = await context.newPage();
  const requests: { method: string; url: URL }[] = [];
  page.on("request", (r) => r.url().includes("/api/") && requests.push({ method: r.method(), url: new URL(r.url()) }));
  const [name, query = ""] = hash.split("?");
  await page.goto(`${base()}/#/${name}?project=${demo.project}${query ? "&" + query : ""}`);
  await settled(page, name);
  return { page, requests, close: () => context.close() };
}

const tabs = "[role=tablist][aria-label='Saved funnels'] [role=tab]";

describe("funnels: edit, duplicate, delete", () => {
  it("edits a saved funnel (with a hint for a misspelt event and the event's property keys), then duplicates and deletes it", async () => {
    const write = await api(`/api/projects/${demo.project}/tokens`, {
      method: "POST",
      body: JSON.stringify({ scope: "write", name: "editor" }),
    });
    const funnel = await api(`/api/projects/${demo.project}/funnels`, {
      method: "POST",
      body: JSON.stringify({
        name: "Edit me",
        steps: [{ event: "page_view", path: "/returns/nil" }, { event: "return_started" }],
        window: 86_400,
      }),
    });
    const { page, requests, close } = await open(`funnels?range=30d&tz=UTC&funnel=${funnel.id}`, write.token);
    // Step labels show their filters.
    expect(await page.locator("[data-funnel-result] tbody tr").first().locator("td").first().textContent()).toBe(
      "1. page_view [path=/returns/nil]",
    );

    await page.getByRole("button", { name: "Edit", exact: true }).click();
    await page.locator("form[aria-label='Funnel builder'] h2", { hasText: "Edit “Edit me”" }).waitFor();
    expect(await page.inputValue("input[name=step-0]")).toBe("page_view");
    expect(await page.inputValue("input[name=where-0]")).toBe("path=/returns/nil");
    await page.fill("input[name=step-1]", "return_startd");
    const hint = page.locator("[data-step-row='1'] [data-step-hint]");
    await hint.waitFor();
    expect(await hint.textContent()).toContain("No “return_startd” events in this range");
    await hint.getByRole("button", { name: "return_started" }).click();
    expect(await page.inputValue("input[name=step-1]")).toBe("return_started");
    await hint.waitFor({ state: "detached" });
    // The event's property keys, from the data, fill in the step's "where".
    const key = page.locator("[data-step-row='1'] [data-property-keys] button").first();
    await key.waitFor();
    const keyName = (await key.textContent())!;
    await key.click();
    expect(await page.inputValue("input[name=where-1]")).toBe(`${keyName}=`);
    await page.fill("input[name=where-1]", "");
    await page.fill("input[name=funnel-name]", "Edited funnel");
    const before = requests.length;
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.locator(`${tabs}[aria-selected=true]`, { hasText: "Edited funnel" }).waitFor();
    await settled(page, "funnels");
    // Saved, then read again: the shown result is the one after the change.
    const after = requests.slice(before).map((r) => `${r.method} ${r.url.pathname}`);
    const put = after.indexOf(`PUT /api/projects/${demo.project}/funnels/${funnel.id}`);
    expect(put).toBeGreaterThanOrEqual(0);
    expect(after.slice(put).filter((r) => r === `GET /api/projects/${demo.project}/funnels/${funnel.id}`).length).toBeGreaterThan(0);
    const stored = await api(`/api/projects/${demo.project}/funnels/${funnel.id}?from=2026-01-01&to=2026-01-02`);
    expect(stored.funnel).toMatchObject({
      name: "Edited funnel",
      steps: [{ event: "page_view", path: "/returns/nil" }, { event: "return_started" }],
    });

    await page.getByRole("button", { name: "Duplicate" }).click();
    await page.locator(`${tabs}[aria-selected=true]`, { hasText: "Edited funnel (copy)" }).waitFor();
    const copy = hashParams(page).funnel;
    expect(copy).not.toBe(funnel.id);

    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: "Delete" }).click();
    await page.locator(tabs, { hasText: "Edited funnel (copy)" }).waitFor({ state: "detached" });
    const { funnels } = await api(`/api/projects/${demo.project}/funnels`);
    expect((funnels as { id: string }[]).map((f) => f.id)).not.toContain(copy);
    // The list's first funnel is shown and named in the URL, never the deleted one; a reload agrees.
    const first = (funnels as { id: string }[])[0].id;
    await page.waitForURL((u) => new URLSearchParams(u.hash.split("?")[1]).get("funnel") === first, { timeout: 10_000 });
    await settled(page, "funnels");
    expect(await page.locator("[data-funnel-result] [data-state=error]").count()).toBe(0);
    await page.reload();
    await settled(page, "funnels");
    expect(hashParams(page).funnel).toBe(first);
    // An address naming a funnel that no longer exists (an old link) falls back to the first one.
    await page.goto(`${base()}/#/funnels?project=${demo.project}&range=30d&tz=UTC&funnel=${copy}`);
    await page.waitForURL((u) => new URLSearchParams(u.hash.split("?")[1]).get("funnel") === first, { timeout: 10_000 });
    await settled(page, "funnels");
    expect(await page.locator("[data-funnel-result] [data-state=error]").count()).toBe(0);
    expect(await page.locator(`${tabs}[aria-selected=true]`).count()).toBe(1);
    await close();
  });

  it("shows a read-only token no Edit, Duplicate, Delete or Save", async () => {
    const { page, close } = await open("funnels?range=30d&tz=UTC");
    await page.locator("[data-page=funnels][data-access=read]").waitFor({ timeout: 20_000 });
    await page.locator(`${tabs}[aria-selected=true]`).waitFor({ timeout: 20_000 });
    for (const name of ["Edit", "Duplicate", "Delete", "Save"])
      expect(await page.getByRole("button", { name, exact: true }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Export CSV" }).count()).toBe(1);
    await close();
  });
});

describe("funnels: break down", () => {
  it("breaks a saved funnel down by a dimension, per step and value, kept in the URL", async () => {
    const funnel = await api(`/api/projects/${demo.project}/funnels`, {
      method: "POST",
      body: JSON.stringify({ name: "By device", steps: [{ event: "page_view" }, { event: "return_started" }], window: 86_400 }),
    });
    const { page, requests, close } = await open(`funnels?range=30d&tz=UTC&funnel=${funnel.id}`);
    expect(await page.locator("[data-breakdown-table]").count()).toBe(0);
    await page.selectOption("select[name=funnel-breakdown]", "device_type");
    await page.waitForURL((u) => u.hash.includes("breakdown=device_type"), { timeout: 10_000 });
    const rows = page.locator("[data-funnel-breakdown=device_type] [data-breakdown-table] tbody tr");
    await rows.first().waitFor({ timeout: 20_000 });
    expect(
      requests.some((r) => r.url.pathname.endsWith(`/funnels/${funnel.id}`) && r.url.searchParams.get("breakdown") === "device_type"),
    ).toBe(true);
    // The API's numbers, value by value: entered, then each step's people and conversion.
    const answer = await api(
      `/api/projects/${demo.project}/funnels/${funnel.id}?${new URLSearchParams(
        Object.fromEntries(requests.filter((r) => r.url.searchParams.get("breakdown")).at(-1)!.url.searchParams),
      )}`,
    );
    expect(await rows.count()).toBe(answer.breakdown.length);
    const top = answer.breakdown[0];
    const cells = await rows.first().locator("td").allTextContents();
    expect(cells[0]).toBe(top.value ?? "(none)");
    expect(cells[1]).toBe(top.steps[0].count.toLocaleString("en-US"));
    expect(cells.at(-1)).toMatch(/%$/);
    // Reload keeps the breakdown; "Nothing" removes it from the URL.
    await page.reload();
    await settled(page, "funnels");
    await rows.first().waitFor({ timeout: 20_000 });
    expect(await page.inputValue("select[name=funnel-breakdown]")).toBe("device_type");
    await page.selectOption("select[name=funnel-breakdown]", "");
    await page.waitForURL((u) => !u.hash.includes("breakdown="), { timeout: 10_000 });
    await page.locator("[data-breakdown-table]").waitFor({ state: "detached", timeout: 20_000 });
    await close();
  });
});

describe("funnels: a misspelt event", () => {
  it("says a saved funnel's step names an event the range never saw, rather than showing silent zeros", async () => {
    const funnel = await api(`/api/projects/${demo.project}/funnels`, {
      method: "POST",
      body: JSON.stringify({ name: "Typo", steps: [{ event: "page_view" }, { event: "return_strated" }], window: 86_400 }),
    });
    const { page, close } = await open(`funnels?range=30d&tz=UTC&funnel=${funnel.id}`);
    const hint = page.locator("[data-funnel-result] [data-step-hint]");
    await hint.waitFor();
    expect(await hint.allTextContents()).toEqual([
      "No “return_strated” events in this range, so that step counts nobody. Did you mean “return_started”?",
    ]);
    await close();
  });
});

describe("share links", () => {
  it("creates a read-only link to a view, opens it without signing in, and refuses it once revoked", async () => {
    const admin = await open("overview?range=7d&tz=Africa/Nairobi&device_type=desktop", "dev-admin-token");
    await admin.page.getByRole("link", { name: "Share links" }).click();
    await settled(admin.page, "shares");
    await admin.page.fill("input[name=share-name]", "Board view");
    await admin.page.getByRole("button", { name: "Create link" }).click();
    const url = new URL(await admin.page.locator("input[name=share-url]").inputValue());
    // The link opens the dashboard the admin is on (this Worker), not another configured origin.
    expect(url.origin).toBe(new URL(base()).origin);
    expect(url.searchParams.get("project")).toBe(demo.project);
    expect(url.hash).toContain("device_type=desktop");
    await admin.page.locator("[data-shares] tr", { hasText: "Board view" }).waitFor();

    // Someone with the link only: no stored token.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(url.href);
    await settled(page, "overview");
    expect(hashParams(page)).toMatchObject({ project: demo.project, device_type: "desktop", tz: "Africa/Nairobi" });
    expect(await page.locator("[data-read-only]").textContent()).toContain(demo.project);
    expect(await page.locator("input[name=project-switch]").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Share links" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Sign out" }).count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("junction.token"))).toBeNull();
    await page.getByRole("link", { name: "Funnels" }).click();
    await settled(page, "funnels");
    for (const name of ["Save", "Edit", "Delete", "Duplicate"])
      expect(await page.getByRole("button", { name, exact: true }).count()).toBe(0);
    // The link reaches its own project only, whatever the URL says.
    await page.goto(`${base()}/${url.search}#/overview?project=someone-else&range=7d&tz=UTC`);
    await settled(page, "overview");
    expect(hashParams(page).project).toBe(demo.project);
    // Pages a share link does not show: the Overview, and the URL names it.
    for (const hidden of ["shares", "import"]) {
      await page.goto(`${base()}/${url.search}#/${hidden}?project=${demo.project}&range=7d&tz=UTC`);
      await settled(page, "overview");
      await page.waitForURL((u) => u.hash.startsWith("#/overview?"), { timeout: 10_000 });
      expect(hashParams(page)).toMatchObject({ project: demo.project, range: "7d" });
    }

    // Revoking asks first: dismissed, the link stays active.
    const row = admin.page.locator("[data-shares] tr", { hasText: "Board view" });
    admin.page.once("dialog", (d) => d.dismiss());
    await row.getByRole("button", { name: "Revoke" }).click();
    expect(await row.getByRole("button", { name: "Revoke" }).count()).toBe(1);
    await page.reload();
    await settled(page, "overview");
    admin.page.once("dialog", (d) => d.accept());
    await row.getByRole("button", { name: "Revoke" }).click();
    await admin.page
      .locator("[data-shares] tr", { hasText: "Board view" })
      .getByText(/^revoked/)
      .waitFor();
    await page.reload();
    await page.locator("[data-share-ended]").waitFor();
    expect(await page.locator("[data-share-ended] [data-notice]").textContent()).toBe("This share link was revoked or is no longer valid.");
    expect(await page.locator("form[aria-label='Sign in']").count()).toBe(0);
    await context.close();
    await admin.close();
  });
});

describe("share links without the admin token", () => {
  it("has no nav entry, and the page offers no controls and no 403", async () => {
    const { page, requests, close } = await open("shares?range=7d&tz=UTC");
    // The page says once the scope check has answered; the nav follows the same answer.
    await page.locator("[data-page=shares][data-access=other] [data-needs-admin]").waitFor({ timeout: 20_000 });
    expect(await page.getByRole("link", { name: "Funnels" }).count()).toBe(1);
    expect(await page.getByRole("link", { name: "Share links" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Create link" }).count()).toBe(0);
    expect(await page.locator("[data-page=shares] [role=alert]").count()).toBe(0);
    expect(requests.filter((r) => r.method === "GET" && r.url.pathname.endsWith("/shares"))).toEqual([]);
    await close();
  });
});
