import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { randomUUID } from "node:crypto";
import { launch } from "./chromium";
import { api, base, hashParams, settled, signedIn } from "./dashboard-helpers";

let browser: Browser;
beforeAll(async () => (browser = await launch()));
afterAll(() => browser?.close());

/** A fresh, empty project and its read token. */
async function project() {
  const id = `sess-${randomUUID().slice(0, 8)}`;
  const { read_token } = await api("/api/projects", { method: "POST", body: JSON.stringify({ id, name: "Session test" }) });
  return { id, token: read_token as string };
}

async function expectSignInWithNotice(page: Page) {
  await page.locator("form[aria-label='Sign in']").waitFor();
  expect(await page.locator("[data-notice]").textContent()).toBe("Your session expired — sign in again.");
  // One message, not an error box per panel.
  expect(await page.locator("[data-state=error], [data-page]").count()).toBe(0);
  expect(await page.evaluate(() => localStorage.getItem("junction.token"))).toBeNull();
  expect(await page.title()).toBe("Sign in · Junction");
}

describe("dashboard session", () => {
  it("lands on sign-in with one message when the stored token is no longer valid, and signing in restores the view", async () => {
    const p = await project();
    const context = await signedIn(browser, "jrt_expired0000000000000000000000", p.id);
    const page = await context.newPage();
    await page.goto(`${base()}/#/overview?project=${p.id}&range=7d&tz=Africa/Nairobi&country=KE`);
    await expectSignInWithNotice(page);

    await page.fill("input[name=token]", p.token);
    await page.click("form[aria-label='Sign in'] button[type=submit]");
    await settled(page, "overview");
    expect(hashParams(page)).toMatchObject({ project: p.id, range: "7d", tz: "Africa/Nairobi", country: "KE" });
    expect(await page.locator("[data-filter=country]").textContent()).toContain("KE");
    // An empty project is an empty state, per panel.
    expect(await page.locator("[data-breakdown='Top pages'] [data-state=empty]").textContent()).toBe("No data in this range");
    await context.close();
  });

  it("signs out on the next request once the token is revoked mid-session", async () => {
    const p = await project();
    const context = await signedIn(browser, p.token, p.id);
    const page = await context.newPage();
    await page.goto(`${base()}/#/whatsapp?project=${p.id}&range=30d&tz=UTC`);
    await settled(page, "whatsapp");
    // Saving the project again issues a new read token; the old one stops working at once.
    await api("/api/projects", { method: "POST", body: JSON.stringify({ id: p.id, name: "Session test" }) });
    await page.getByRole("button", { name: "Refresh" }).click();
    await expectSignInWithNotice(page);
    await context.close();
  });

  it("still answers a wrong token typed at sign-in with the API's error, not a session notice", async () => {
    const p = await project();
    const page = await browser.newPage();
    await page.goto(`${base()}/#/overview?project=${p.id}`);
    await page.fill("input[name=token]", "not-a-real-token");
    await page.click("form[aria-label='Sign in'] button[type=submit]");
    await page.locator("form[aria-label='Sign in'] [data-state=error]").waitFor();
    expect(await page.locator("[data-notice]").count()).toBe(0);
    await page.close();
  });
});
