import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { call, proxyWorker, sentEvents, storedWhen, waitFor, wire } from "./helpers/sdk";

let browser: Browser;
beforeAll(async () => (browser = await launch()));
afterAll(() => browser?.close());

const WORKER = "https://junction.example";
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

describe("sdk on another site", () => {
  // The plain-http site has no secure context, so no crypto.randomUUID: event ids take the fallback.
  it.each(["https://tax.example", "http://tax.example"])("sends from %s to the Worker's origin", async (site) => {
    const context = await browser.newContext();
    await proxyWorker(context, WORKER);
    const sent = wire(context);
    const preflights: string[] = [];
    context.on("request", (r) => r.method() === "OPTIONS" && preflights.push(r.url()));
    await context.route(`${site}/**`, (route) =>
      route.fulfill({
        contentType: "text/html",
        body: `<!doctype html><title>Tax app</title><script src="${WORKER}/sdk.js" data-project="demo" data-flush-interval="100"></script>`,
      }),
    );
    const page = await context.newPage();
    await page.goto(`${site}/file?utm_source=whatsapp`);
    expect(await page.evaluate(() => isSecureContext)).toBe(site.startsWith("https"));
    await call(page, "track", "cross_site");
    const events = await waitFor(() => sentEvents(sent).length >= 2 && sentEvents(sent), "batch");
    for (const e of events) expect(e.event_id).toMatch(UUID_V4);
    const rows = await storedWhen(events[0].anonymous_id, (e) => e.length === 2, "stored");
    expect(rows.map((r) => r.url)).toEqual(Array(2).fill(`${site}/file?utm_source=whatsapp`));
    expect(preflights).toEqual([]); // text/plain is a simple request
    await context.close();
  });
});
