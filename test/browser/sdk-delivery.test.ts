import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { base, call, delivered, host, sentEvents, storedWhen, waitFor, wire } from "./helpers/sdk";

let browser: Browser;
beforeAll(async () => (browser = await launch()));
afterAll(() => browser?.close());

const QUIET = 'data-flush-interval="60000" data-auto-page="false"';
const count = (batches: { events: { event_id: string }[] }[], id: string) =>
  batches.flatMap((b) => b.events).filter((e) => e.event_id === id).length;

describe("sdk delivery", () => {
  it("keeps events tracked offline and delivers them exactly once on the next visit", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const ok = delivered(context);
    const url = await host(context, "offline", QUIET);
    const page = await context.newPage();
    await page.goto(url);
    await context.setOffline(true);
    await call(page, "track", "return_started", { return_type: "tot" });
    await call(page, "flush"); // fails: no network
    await page.goto("about:blank"); // page hide while offline: a beacon would be lost, so nothing leaves
    await context.setOffline(false);
    expect(ok).toHaveLength(0);

    const online = sent.length; // what leaves from here on is the next visit's
    await page.goto(url);
    await call(page, "track", "return_submitted", { return_type: "tot" });
    await call(page, "flush");
    const [started] = sentEvents(sent).filter((e) => e.event === "return_started");
    const rows = await storedWhen(started.anonymous_id, (e) => e.length === 2, "both events stored");
    expect(rows.map((r) => r.event_name).sort()).toEqual(["return_started", "return_submitted"]);
    await call(page, "track", "step_viewed");
    await call(page, "flush");
    await waitFor(() => ok.some((b) => b.events.some((e) => e.event === "step_viewed")), "the later batch's answer");
    // Counted on the wire (a beacon's answer reaches no page): the queued event left once, and is stored once.
    expect(count(sent.slice(online), started.event_id)).toBe(1);
    expect(
      (await storedWhen(started.anonymous_id, (e) => e.length === 3, "all three events stored")).filter(
        (r) => r.event_name === "return_started",
      ),
    ).toHaveLength(1);
    await context.close();
  });

  it("delivers what failed while offline as soon as the browser reconnects", async () => {
    const context = await browser.newContext();
    const ok = delivered(context);
    const page = await context.newPage();
    await page.goto(await host(context, "reconnect", QUIET));
    await context.setOffline(true);
    await call(page, "track", "return_started", { return_type: "nil" });
    await call(page, "flush");
    await context.setOffline(false); // the "online" event sends, even inside the backoff
    const [event] = await waitFor(() => ok.length && sentEvents(ok), "delivery after reconnect");
    await storedWhen(event.anonymous_id, (e) => e.length === 1, "stored");
    await context.close();
  });

  it.each([
    { status: 503, headers: {} as Record<string, string>, retried: true },
    { status: 429, headers: { "Retry-After": "1" }, retried: true },
    { status: 400, headers: {}, retried: false },
    { status: 403, headers: {}, retried: false },
  ])("answers a $status by retrying: $retried", async ({ status, headers, retried }) => {
    const context = await browser.newContext();
    const sent = wire(context);
    let refused = 0;
    await context.route(`${base()}/capture`, (route) =>
      refused++ ? route.continue() : route.fulfill({ status, headers, contentType: "application/json", body: "{}" }),
    );
    const page = await context.newPage();
    await page.goto(await host(context, `status-${status}`, 'data-flush-interval="100" data-auto-page="false"'));
    await call(page, "track", "first");
    await call(page, "flush");
    const [first] = sentEvents(sent);
    if (retried) {
      await storedWhen(first.anonymous_id, (e) => e.length === 1, "retried delivery");
      expect(count(sent, first.event_id)).toBe(2);
    } else {
      await call(page, "track", "second");
      const rows = await storedWhen(first.anonymous_id, (e) => e.length === 1, "the next event");
      expect(rows[0].event_name).toBe("second");
      expect(count(sent, first.event_id)).toBe(1);
    }
    await context.close();
  });

  it("retries a full batch once its backoff ends, with no later event to wake it", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    let refused = 0;
    await context.route(`${base()}/capture`, (route) =>
      refused++ ? route.continue() : route.fulfill({ status: 503, contentType: "application/json", body: "{}" }),
    );
    const page = await context.newPage();
    await page.goto(await host(context, "full-batch", 'data-batch-size="1" data-flush-interval="60000" data-auto-page="false"'));
    await call(page, "track", "first"); // a full batch: sent at once, and refused
    const [first] = await waitFor(() => sent.length && sentEvents(sent), "the refused send");
    await storedWhen(first.anonymous_id, (e) => e.length === 1, "retried delivery");
    expect(count(sent, first.event_id)).toBe(2);
    await context.close();
  });

  it("sends pending events with sendBeacon when the page is hidden", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    // DevTools does not report beacons of a page being unloaded: record them in the page instead.
    await context.addInitScript(() => {
      const original = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url, data) => {
        sessionStorage.beacons = JSON.stringify([...JSON.parse(sessionStorage.beacons || "[]"), { url, data }]);
        return original(url, data);
      };
    });
    const url = await host(context, "beacon", QUIET);
    const page = await context.newPage();
    await page.goto(url);
    await call(page, "track", "return_submitted", { return_type: "mri" });
    const anonymousId = await page.evaluate(() => JSON.parse(localStorage.jn_id).a);
    await page.goto("about:blank");
    await storedWhen(anonymousId, (e) => e[0]?.event_name === "return_submitted", "stored");
    expect(sent).toHaveLength(0); // no fetch: it left with the beacon

    await page.goto(url);
    const beacons = await page.evaluate(() => JSON.parse(sessionStorage.beacons));
    expect(beacons).toHaveLength(1);
    expect(beacons[0].url).toBe(`${base()}/capture`);
    expect(typeof beacons[0].data).toBe("string"); // sent as text/plain: no CORS preflight
    expect(JSON.parse(beacons[0].data).events.map((e: { event: string }) => e.event)).toEqual(["return_submitted"]);

    await page.goto("about:blank"); // hidden again, with nothing waiting: no beacon
    await page.goto(url);
    expect(await page.evaluate(() => JSON.parse(sessionStorage.beacons))).toHaveLength(1);
    await context.close();
  });

  it("keeps the host page working when the endpoint is down", async () => {
    const context = await browser.newContext();
    const errors: string[] = [];
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    const url = await host(
      context,
      "down",
      'data-endpoint="http://127.0.0.1:9" data-flush-interval="50"',
      `<button onclick="junction.track('clicked'); junction.flush(); this.textContent = 'filed'">file</button>`,
    );
    await page.goto(url);
    for (let i = 0; i < 3; i++) await page.click("button");
    await page.evaluate(() => history.pushState(null, "", "?step=2"));
    expect(await page.textContent("button")).toBe("filed");
    expect(await page.evaluate(() => (window as any).junction.flush().then(() => "resolved"))).toBe("resolved");
    expect(errors).toEqual([]);
    await context.close();
  });
});
