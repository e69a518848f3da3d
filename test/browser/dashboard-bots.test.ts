import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { randomUUID } from "node:crypto";
import { launch } from "./chromium";
import { api, base, eventually, hashParams, settled, signedIn } from "./dashboard-helpers";

let browser: Browser;
beforeAll(async () => (browser = await launch()));
afterAll(() => browser?.close());

const GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

/** Page views of `n` visitors sent with one user agent. */
async function pageviews(project: string, n: number, ua: string) {
  const events = Array.from({ length: n }, (_, i) => ({
    event_id: randomUUID(),
    event: "page_view",
    timestamp: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
    anonymous_id: randomUUID(),
    session_id: randomUUID(),
    context: { page: { url: "https://tax.example/" } },
  }));
  const res = await fetch(`${base()}/capture`, {
    method: "POST",
    headers: { "content-type": "text/plain", "user-agent": ua },
    body: JSON.stringify({ project, sent_at: new Date().toISOString(), events }),
  });
  expect(res.status).toBe(202);
}

describe("bot traffic", () => {
  it("explains why figures look low when most events are bots, and the Include bots toggle counts them", async () => {
    const id = `bots-${randomUUID().slice(0, 8)}`;
    const { read_token } = await api("/api/projects", { method: "POST", body: JSON.stringify({ id, name: "Bot traffic" }) });
    await pageviews(id, 8, GOOGLEBOT);
    await pageviews(id, 2, DESKTOP);
    await eventually(async () => (await api(`/api/projects/${id}/stats/bots`)).events === 10, "10 events stored", 30_000);

    const context = await signedIn(browser, read_token, id);
    const page = await context.newPage();
    await page.goto(`${base()}/#/overview?project=${id}&range=7d&tz=UTC`);
    await settled(page, "overview");
    const hint = page.locator("[data-bot-hint]");
    await hint.waitFor();
    expect(await hint.textContent()).toContain("(8 of 10, 80.0%)");
    expect(await page.locator("[data-stat=visitors] [data-value]").textContent()).toBe("2");

    await hint.getByRole("button", { name: "Include bots" }).click();
    await page.waitForFunction(() => location.hash.includes("include_bots=true"));
    await settled(page, "overview");
    expect(hashParams(page).include_bots).toBe("true");
    expect(await page.locator("input[name=include_bots]").isChecked()).toBe(true);
    expect(await page.locator("[data-stat=visitors] [data-value]").textContent()).toBe("10");
    expect(await hint.count()).toBe(0);

    await page.locator("input[name=include_bots]").uncheck();
    await hint.waitFor();
    expect(hashParams(page).include_bots).toBeUndefined();
    await context.close();
  });
});
