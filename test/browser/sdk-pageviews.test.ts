import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { call, host, sentEvents, storedWhen, waitFor, wire } from "./helpers/sdk";

let browser: Browser;
beforeAll(async () => (browser = await launch()));
afterAll(() => browser?.close());

describe("sdk page views", () => {
  it("records the landing page view with page, UTM, click-id and locale context", async () => {
    const context = await browser.newContext({ locale: "en-KE", timezoneId: "Africa/Nairobi" });
    const sent = wire(context);
    const url = await host(context, "landing", 'data-flush-interval="200"');
    const page = await context.newPage();
    await page.goto(`${url}?utm_source=whatsapp&utm_medium=chat&utm_campaign=june-returns&gclid=g1&ctwa_clid=c1`, {
      referer: "https://search.example/",
    });
    const [view] = await waitFor(() => sentEvents(sent).filter((e) => e.event === "page_view").length && sentEvents(sent), "page view");
    expect(view.context).toMatchObject({
      page: { url: expect.stringContaining("/host/landing?utm_source=whatsapp"), referrer: "https://search.example/", title: "landing" },
      utm: { source: "whatsapp", medium: "chat", campaign: "june-returns", gclid: "g1", ctwa_clid: "c1" },
      locale: "en-KE",
      timezone: "Africa/Nairobi",
      screen: expect.stringMatching(/^\d+x\d+$/),
    });
    expect(view.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent[0].contentType).toMatch(/^text\/plain/);

    const [row] = await storedWhen(view.anonymous_id, (e) => e.length === 1, "stored page view");
    expect(row).toMatchObject({
      event_id: view.event_id,
      event_name: "page_view",
      path: "/host/landing",
      referrer: "https://search.example/",
      utm_source: "whatsapp",
      utm_campaign: "june-returns",
      timezone: "Africa/Nairobi",
      session_id: view.session_id,
    });
    await context.close();
  });

  it("records SPA navigations once per URL, keeping the external referrer", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const url = await host(context, "spa", 'data-flush-interval="60000" data-batch-size="100"');
    const page = await context.newPage();
    await page.goto(url, { referer: "https://wa.me/" });
    // Each navigation is its own task, as user clicks are; the tracker looks after the task ends.
    const steps = [
      ["pushState", "?step=period"],
      ["pushState", "?step=period#help"],
      ["replaceState", "?step=amount"],
    ] as const;
    for (const [method, target] of steps) {
      await page.evaluate(([m, t]) => history[m](null, "", t), [method, target] as const);
      await page.evaluate(() => new Promise((r) => setTimeout(r, 10)));
    }
    await page.evaluate(() => history.back());
    await page.waitForURL(/step=period/);
    await page.evaluate(() => history.replaceState(null, "", location.href)); // same URL again
    await call(page, "flush");

    const views = await waitFor(() => sent.length && sentEvents(sent), "flushed batch");
    expect(sent).toHaveLength(1);
    expect(views.map((e) => new URL(e.context.page!.url!).search)).toEqual(["", "?step=period", "?step=amount", "?step=period"]);
    expect(views.map((e) => e.context.page!.referrer)).toEqual(Array(4).fill("https://wa.me/"));
    await storedWhen(views[0].anonymous_id, (e) => e.length === 4, "four stored page views");
    await context.close();
  });

  it("sends several events together once the batch size is reached", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const url = await host(context, "batch", 'data-flush-interval="60000" data-batch-size="4" data-auto-page="false"');
    const page = await context.newPage();
    await page.goto(url);
    for (const step of ["period", "amount", "review"]) await call(page, "track", "step_viewed", { step });
    expect(sent).toHaveLength(0);
    await call(page, "track", "return_submitted", { return_type: "mri" });
    await waitFor(() => sent.length, "batch");
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ project: "demo", sent_at: expect.any(String) });
    expect(sent[0].events.map((e) => e.event)).toEqual(["step_viewed", "step_viewed", "step_viewed", "return_submitted"]);
    expect(new Set(sent[0].events.map((e) => e.event_id)).size).toBe(4);
    const rows = await storedWhen(sent[0].events[0].anonymous_id, (e) => e.length === 4, "stored batch");
    expect(rows.find((r) => r.event_name === "return_submitted")!.properties).toMatchObject({ return_type: "mri" });
    await context.close();
  });
});
