import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { base, call, host, sentEvents, serve, storedWhen, waitFor, wire } from "./helpers/sdk";

let browser: Browser;
beforeAll(async () => (browser = await launch()));
afterAll(() => browser?.close());

const QUIET = 'data-flush-interval="60000" data-auto-page="false"';

describe("sdk identity and sessions", () => {
  it("rotates the session after 30 minutes of inactivity, not before", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(await host(context, "session", QUIET));
    const trackAfter = async (idle: string, name: string) => {
      await page.clock.fastForward(idle);
      await call(page, "track", name);
      await call(page, "flush");
    };
    await trackAfter("00:01", "a");
    await trackAfter("29:00", "b");
    await trackAfter("31:00", "c");
    const [a, b, c] = sentEvents(sent);
    expect(b.session_id).toBe(a.session_id);
    expect(c.session_id).not.toBe(b.session_id);
    expect(new Set([a, b, c].map((e) => e.anonymous_id)).size).toBe(1);
    const rows = await storedWhen(a.anonymous_id, (e) => e.length === 3, "three stored events");
    expect(rows.map((r) => [r.event_name, r.session_id])).toEqual([
      ["c", c.session_id],
      ["b", a.session_id],
      ["a", a.session_id],
    ]);
    await context.close();
  });

  it("keeps anonymous id and session across reloads and tabs", async () => {
    const context = await browser.newContext();
    const url = await host(context, "tabs", 'data-flush-interval="50"');
    const first = await context.newPage();
    await first.goto(url);
    await first.reload();
    const second = await context.newPage();
    await second.goto(`${url}?tab=2`);
    const anonymousId = await second.evaluate(() => JSON.parse(localStorage.jn_id).a);
    // Some of these leave as beacons, which DevTools does not show: read them back from the server.
    const views = await storedWhen(anonymousId, (e) => e.length === 3, "three stored page views");
    expect(views.map((e) => e.path)).toEqual(["/host/tabs", "/host/tabs", "/host/tabs"]);
    expect(new Set(views.map((e) => e.session_id)).size).toBe(1);
    await context.close();
  });

  it("adds user_id after identify and forgets everything on reset", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const page = await context.newPage();
    await page.goto(await host(context, "identify", QUIET));
    await call(page, "track", "before");
    await call(page, "identify", "taxpayer-42", { plan: "individual" });
    await call(page, "track", "after");
    await call(page, "reset");
    await call(page, "track", "anonymous_again");
    await call(page, "flush");
    const [before, identify, after, again] = sentEvents(sent);
    expect(before.user_id).toBeUndefined();
    expect(identify).toMatchObject({ event: "identify", user_id: "taxpayer-42", properties: { plan: "individual" } });
    expect(after).toMatchObject({ user_id: "taxpayer-42", anonymous_id: before.anonymous_id, session_id: before.session_id });
    expect(again.user_id).toBeUndefined();
    expect(again.anonymous_id).not.toBe(before.anonymous_id);
    expect(again.session_id).not.toBe(before.session_id);
    const rows = await storedWhen(before.anonymous_id, (e) => e.length === 3, "stored identified events");
    expect(rows.find((r) => r.event_name === "after")!.user_id).toBe("taxpayer-42");
    await context.close();
  });

  it("sends nothing after optOut, also after a reload, until optIn; and sets no cookies", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const url = await host(context, "optout", 'data-flush-interval="60000"');
    const page = await context.newPage();
    await page.goto(url);
    await call(page, "optOut"); // drops the waiting page view too
    await call(page, "track", "hidden");
    await page.reload();
    await call(page, "flush");
    await call(page, "optIn");
    await call(page, "track", "visible");
    await call(page, "flush");
    expect(sentEvents(sent).map((e) => e.event)).toEqual(["visible"]);
    // A beacon on reload would not show on the wire: the server must hold the one event only.
    const rows = await storedWhen(sentEvents(sent)[0].anonymous_id, (e) => e.length > 0, "the opted-in event");
    expect(rows.map((r) => r.event_name)).toEqual(["visible"]);
    expect(await context.cookies()).toEqual([]);
    await context.close();
  });

  it("treats Global Privacy Control as an opt-out only when asked to", async () => {
    for (const [attrs, expected] of [
      ['data-gpc=""', 0],
      ["", 1],
    ] as const) {
      const context = await browser.newContext();
      await context.addInitScript(() => Object.defineProperty(navigator, "globalPrivacyControl", { value: true }));
      const sent = wire(context);
      const page = await context.newPage();
      await page.goto(await host(context, "gpc", `${attrs} data-flush-interval="60000"`));
      await call(page, "flush");
      expect(sentEvents(sent)).toHaveLength(expected);
      await context.close();
    }
  });
});

describe("sdk entry points", () => {
  it("runs commands queued before the script tag loaded, and push() after", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const page = await context.newPage();
    const url = await serve(
      context,
      "preload",
      `<!doctype html><title>preload</title>
      <script>window.junction = window.junction || []; junction.push(["track", "early", { at: "head" }]);</script>
      <script src="${base()}/sdk.js" data-project="demo" data-auto-page="false" data-flush-interval="60000" defer></script>`,
    );
    await page.goto(url);
    await page.evaluate(() => (window as any).junction.push(["track", "late"]));
    await call(page, "flush");
    expect(sentEvents(sent).map((e) => [e.event, e.properties])).toEqual([
      ["early", { at: "head" }],
      ["late", undefined],
    ]);
    await context.close();
  });

  it("works as an ES module with the same API", async () => {
    const context = await browser.newContext();
    const sent = wire(context);
    const page = await context.newPage();
    const url = await serve(
      context,
      "module",
      `<!doctype html><title>module</title><script type="module">
        import { init, track, flush } from "${base()}/sdk.mjs";
        init({ project: "demo", endpoint: "${base()}", flushInterval: 60000 });
        track("module_loaded", { entry: "esm" });
        flush();
      </script>`,
    );
    await page.goto(url);
    const events = await waitFor(() => sentEvents(sent).length && sentEvents(sent), "module batch");
    expect(events.map((e) => e.event)).toEqual(["page_view", "module_loaded"]);
    expect(await page.evaluate(() => "junction" in window)).toBe(false);
    await storedWhen(events[0].anonymous_id, (e) => e.length === 2, "stored");
    await context.close();
  });
});
