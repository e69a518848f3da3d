import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { ADMIN, base, sentEvents, storedWhen, waitFor, wire } from "./helpers/sdk";

let browser: Browser;
beforeAll(async () => (browser = await launch()));
afterAll(() => browser?.close());

/** A real handshake token from the Worker when it issues them, else a well-formed stand-in. */
async function handshakeToken(): Promise<{ token: string; issued: boolean }> {
  const res = await fetch(`${base()}/api/handshakes`, {
    method: "POST",
    headers: { ...ADMIN, "Content-Type": "application/json" },
    body: JSON.stringify({ project: "demo", external_id: "+254700000001" }),
  });
  if (res.status === 201) return { token: (await res.json()).token, issued: true };
  return { token: `hs_test_${crypto.randomUUID()}`, issued: false };
}

describe("sdk handshake and demo webview", () => {
  it("sends handshake_complete once with the token and removes it from the address bar", async () => {
    const { token, issued } = await handshakeToken();
    const context = await browser.newContext();
    const sent = wire(context);
    const page = await context.newPage();
    await page.goto(`${base()}/demo/?utm_source=whatsapp&hs_token=${encodeURIComponent(token)}`);
    await page.waitForURL((u) => !u.searchParams.has("hs_token"));
    expect(new URL(page.url()).searchParams.get("utm_source")).toBe("whatsapp");

    const events = await waitFor(() => sentEvents(sent).length >= 2 && sentEvents(sent), "handshake batch");
    const [handshake, view] = events;
    expect(handshake).toMatchObject({ event: "handshake_complete", context: { handshake_token: token } });
    expect(view.event).toBe("page_view");
    for (const e of events) expect(e.context.page!.url).not.toContain("hs_token");

    const web = (rows: Record<string, any>[]) => rows.filter((r) => r.channel_type === "web");
    const rows = await storedWhen(handshake.anonymous_id, (e) => web(e).length === 2, "stored handshake");
    const storedHandshake = rows.find((r) => r.event_name === "handshake_complete")!;
    expect(storedHandshake).toMatchObject({ handshake_token: token, session_id: handshake.session_id });
    expect(rows.every((r) => !String(r.url).includes("hs_token"))).toBe(true);

    await page.reload();
    await page.evaluate(() => (window as any).junction.flush());
    await storedWhen(handshake.anonymous_id, (e) => web(e).length === 3, "page view after reload");
    expect(sentEvents(sent).filter((e) => e.event === "handshake_complete")).toHaveLength(1);
    if (issued) {
      // The Worker redeemed the token: the WhatsApp contact now has a webview_opened on this visitor.
      const linked = await storedWhen(handshake.anonymous_id, (e) => e.some((r) => r.event_name === "webview_opened"), "link");
      expect(linked.find((r) => r.event_name === "webview_opened")).toMatchObject({ external_id: "+254700000001" });
    }
    await context.close();
  });

  it("records a tax filing journey on the demo page as page views and custom events", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base()}/demo/`);
    await page.click("text=Turnover Tax (TOT)");
    await page.click("#next");
    await page.fill("#amount", "200000");
    await page.click("#next");
    expect(await page.textContent("#due")).toBe("KES 3000.00");
    await page.click("#submit");
    await page.waitForSelector("#done");
    const anonymousId = await page.evaluate(() => JSON.parse(localStorage.jn_id).a);
    await page.evaluate(() => (window as any).junction.flush());
    const rows = await storedWhen(anonymousId, (e) => e.length === 7, "the journey");
    expect(rows.reverse().map((r) => (r.event_name === "page_view" ? new URL(r.url).search : r.event_name))).toEqual([
      "",
      "return_started",
      "?return=tot&step=period",
      "?return=tot&step=amount",
      "?return=tot&step=review",
      "return_submitted",
      "?return=tot&step=done",
    ]);
    expect(rows[5].properties).toMatchObject({ return_type: "tot", tax_due: 3000 });
    await context.close();
  });
});
