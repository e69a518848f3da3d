import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launch } from "./chromium";
import { api, base, eventually, hashParams, seedDemoProject, settled, signedIn } from "./dashboard-helpers";

let browser: Browser;
let demo: Awaited<ReturnType<typeof seedDemoProject>>;
beforeAll(async () => {
  browser = await launch();
  demo = await seedDemoProject();
});
afterAll(() => browser?.close());

async function open(hash: string) {
  const context = await signedIn(browser, demo.readToken, demo.project);
  const page = await context.newPage();
  const requests: URL[] = [];
  page.on("request", (r) => r.url().includes("/api/") && requests.push(new URL(r.url())));
  const [name, query = ""] = hash.split("?");
  await page.goto(`${base()}/#/${name}?project=${demo.project}${query ? "&" + query : ""}`);
  await settled(page, name);
  return { page, requests, close: () => context.close() };
}

const number = (s: string | null) => Number((s ?? "").replace(/[^\d]/g, ""));

describe("drill-down: the list behind a number", () => {
  it("lists the visitors behind a breakdown row, filtered as the row, and opens a person's timeline", async () => {
    const { page, requests, close } = await open("overview?range=30d&tz=Africa/Nairobi&device_type=desktop");
    const row = page.locator("[data-breakdown=Locations] tbody tr").first();
    const country = (await row.locator(".row-filter").textContent())!.trim();
    const visitors = number(await row.locator(".drill-number").first().textContent());
    await row.locator(".drill-number").first().click();
    await page.locator("[data-drill=visitors] [data-drill-total]").waitFor();
    expect(hashParams(page)).toMatchObject({ drill: "visitors", dimension: "country", value: country, device_type: "desktop" });
    expect(number(await page.locator("[data-drill-total]").textContent())).toBe(visitors);
    // The same range, zone and filters as the number, plus the row's value.
    const sent = requests.filter((u) => u.pathname.endsWith("/stats/people")).at(-1)!.searchParams;
    const overview = requests.filter((u) => u.pathname.endsWith("/stats/overview")).at(-1)!.searchParams;
    for (const k of ["from", "to", "tz", "device_type"]) expect(sent.get(k)).toBe(overview.get(k));
    expect([sent.get("dimension"), sent.get("value"), sent.get("metric")]).toEqual(["country", country, "visitors"]);
    expect(await page.locator("[data-drill-row]").count()).toBe(Math.min(visitors, 50));
    // The heading takes focus, and the list is part of the URL (a reload shows it again).
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("drill-title");
    await page.reload();
    await page.locator("[data-drill=visitors] [data-drill-total]").waitFor();
    expect(number(await page.locator("[data-drill-total]").textContent())).toBe(visitors);

    const person = page.locator("[data-drill-row] a").first();
    const id = (await person.textContent())!.trim();
    await person.click();
    await page.locator("[data-timeline] li").first().waitFor();
    expect(hashParams(page).drill).toBeUndefined();
    expect(Object.values(hashParams(page))).toContain(id);
    expect(await page.title()).toBe("People · Junction");
    await close();
  });

  it("keeps filtering by a row's label, a different affordance from its numbers", async () => {
    const { page, close } = await open("overview?range=30d&tz=UTC");
    const label = page.locator("[data-breakdown=Locations] .row-filter").first();
    const country = (await label.textContent())!.trim();
    await label.click();
    await page.locator("[data-filter=country]").waitFor();
    expect(hashParams(page)).toMatchObject({ country });
    expect(hashParams(page).drill).toBeUndefined();
    await close();
  });

  it("lists the visitors of a clicked chart bucket, as many as the series shows for it", async () => {
    const { page, requests, close } = await open("overview?range=7d&tz=UTC");
    const box = (await page.locator(".card canvas").first().boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.6, box.y + box.height / 2);
    await page.locator("[data-drill=visitors] [data-drill-total], [data-drill=visitors] [data-state=empty]").first().waitFor();
    const bucket = hashParams(page).bucket;
    expect(bucket).toMatch(/^\d{4}-\d\d-\d\d/);
    const sent = requests.filter((u) => u.pathname.endsWith("/stats/overview")).at(-1)!.searchParams;
    const overview = await api(`/api/projects/${demo.project}/stats/overview?${sent}`);
    const point = (overview.series as { bucket: string; visitors: number }[]).find((p) => p.bucket === bucket)!;
    const shown = (await page.locator("[data-drill-total]").count()) ? number(await page.locator("[data-drill-total]").textContent()) : 0;
    expect(shown).toBe(point.visitors);
    await page.getByRole("button", { name: "Close the list" }).click();
    await page.locator("[data-drill]").waitFor({ state: "detached" });
    expect(hashParams(page).bucket).toBeUndefined();

    // The same lists from the keyboard: the series as a table, each number a button.
    await page.getByText("Show as a table").click();
    // The busiest bucket, so there is a list to open.
    const busiest = (overview.series as { bucket: string; events: number }[]).reduce((a, b) => (b.events > a.events ? b : a));
    const events = busiest.events;
    expect(events).toBeGreaterThan(0);
    const row = page.locator(`[data-series-table] tr[data-bucket="${busiest.bucket}"]`);
    await row.locator("button").nth(3).focus();
    await page.keyboard.press("Enter");
    await page.locator("[data-drill=events] [data-drill-total]").waitFor();
    expect(hashParams(page)).toMatchObject({ drill: "events", bucket: busiest.bucket });
    expect(number(await page.locator("[data-drill-total]").textContent())).toBe(events);
    await page.keyboard.press("Escape");
    await page.locator("[data-drill]").waitFor({ state: "detached" });
    // Focus goes back to the number that opened the list.
    expect(await page.evaluate(() => document.activeElement?.closest("tr")?.getAttribute("data-bucket"))).toBe(busiest.bucket);
    await close();
  });

  it("lists the people who reached a funnel step and those who dropped before it", async () => {
    const funnel = await api(`/api/projects/${demo.project}/funnels`, {
      method: "POST",
      body: JSON.stringify({ name: "Drill funnel", steps: [{ event: "page_view" }, { event: "return_started" }], window: 7 * 86_400 }),
    });
    // The figures hold still before they are compared (the consumer may still be storing a batch).
    const seen: string[] = [];
    await eventually(
      async () => {
        seen.push(JSON.stringify((await api(`/api/projects/${demo.project}/funnels/${funnel.id}`)).steps));
        return seen.length >= 2 && seen.at(-1) === seen.at(-2);
      },
      "funnel figures settled",
      30_000,
      1500,
    );
    const { page, close } = await open(`funnels?range=30d&tz=UTC&funnel=${funnel.id}`);
    for (const [outcome, cell] of [
      ["converted", "[data-count]"],
      ["dropped", "[data-drop-off]"],
    ] as const) {
      const target = page.locator(`[data-funnel-result] tbody tr`).nth(1).locator(cell);
      const expected = number((await target.textContent())!.split("(")[0]);
      expect(expected).toBeGreaterThan(0);
      await target.locator("button").click();
      await page.locator(`[data-drill=${outcome}] [data-drill-total]`).waitFor();
      expect(hashParams(page)).toMatchObject({ drill: outcome, step: "2", funnel: funnel.id });
      expect([outcome, number(await page.locator("[data-drill-total]").textContent())]).toEqual([outcome, expected]);
      await page.getByRole("button", { name: "Close the list" }).click();
      await page.locator("[data-drill]").waitFor({ state: "detached" });
    }

    // The builder's unsaved funnel too, from its own result.
    const builder = page.locator("form[aria-label='Funnel builder']");
    await page.getByRole("button", { name: "remove step 3" }).click();
    await page.fill("input[name=where-0]", "");
    await page.fill("input[name=where-1]", "");
    await builder.getByRole("button", { name: "Run" }).click();
    const cell = builder.locator("tbody tr").nth(1).locator("[data-count]");
    await cell.locator("button").waitFor();
    const converted = number(await cell.textContent());
    await cell.locator("button").click();
    await page.locator("[data-drill=converted] [data-drill-total]").waitFor();
    expect(hashParams(page)).toMatchObject({ drill: "converted", step: "2", adhoc: "1" });
    expect(number(await page.locator("[data-drill-total]").textContent())).toBe(converted);
    await close();
  });

  it("lists the inbound messages behind a WhatsApp heatmap cell, reached with the keyboard too", async () => {
    const { page, requests, close } = await open("whatsapp?range=30d&tz=Africa/Nairobi");
    const sent = requests.filter((u) => u.pathname.endsWith("/whatsapp/peak-hours")).at(-1)!;
    const { matrix } = await api(sent.pathname + sent.search);
    const cells = (matrix as number[][]).flatMap((row, d) => row.map((v, h) => ({ d, h, v })));
    const busiest = cells.reduce((a, b) => (b.v > a.v ? b : a));
    expect(busiest.v).toBeGreaterThan(0);
    await page.locator(`[data-cell="${busiest.d}-${busiest.h}"]`).click();
    await page.locator("[data-drill=messages] [data-drill-total]").waitFor();
    expect(hashParams(page)).toMatchObject({
      drill: "messages",
      weekday: String(busiest.d),
      hour: String(busiest.h),
      tz: "Africa/Nairobi",
    });
    expect(number(await page.locator("[data-drill-total]").textContent())).toBe(busiest.v);
    expect(await page.locator("[data-drill-row]").count()).toBe(Math.min(busiest.v, 50));
    await page.keyboard.press("Escape");
    await page.locator("[data-drill]").waitFor({ state: "detached" });

    // One Tab stop for the grid; arrow keys move between cells, Enter opens one.
    await page.locator(`[data-cell="${busiest.d}-${busiest.h}"]`).focus();
    await page.keyboard.press("ArrowRight");
    const next = `${busiest.d}-${(busiest.h + 1) % 24}`;
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-cell"))).toBe(next);
    expect(await page.locator(".heatmap [tabindex='0']").count()).toBe(1);
    await close();
  });

  it("lists the messages and contacts behind WhatsApp figures and a delivery-table number, as the API does", async () => {
    const { page, requests, close } = await open("whatsapp?range=30d&tz=Africa/Nairobi");
    const asked = requests.filter((u) => u.pathname.endsWith("/whatsapp/overview")).at(-1)!;
    const overview = await api(asked.pathname + asked.search);
    const lastSent = (path: string) => requests.filter((u) => u.pathname.endsWith(path)).at(-1)!;
    const shownTotal = async () => number(await page.locator("[data-drill-total]").textContent());

    // A stat card: the list's total is the card, and the rows are the API's first page.
    expect(number(await page.locator("[data-stat=unique_contacts] [data-value]").textContent())).toBe(overview.unique_contacts);
    expect(overview.unique_contacts).toBeGreaterThan(0);
    await page.locator("[data-stat=unique_contacts] button").click();
    await page.locator("[data-drill=contacts] [data-drill-total]").waitFor();
    expect(hashParams(page)).toMatchObject({ drill: "contacts", tz: "Africa/Nairobi" });
    expect(await shownTotal()).toBe(overview.unique_contacts);
    const contactsSent = lastSent("/whatsapp/contacts");
    for (const k of ["from", "to", "tz"]) expect(contactsSent.searchParams.get(k)).toBe(asked.searchParams.get(k));
    const contacts = await api(contactsSent.pathname + contactsSent.search);
    expect(contacts.total).toBe(overview.unique_contacts);
    const ids = (await page.locator("[data-drill-row] a").allTextContents()).map((t) => t.trim());
    expect(ids).toEqual((contacts.contacts as { external_id: string }[]).map((c) => c.external_id));
    await page.keyboard.press("Escape");
    await page.locator("[data-drill]").waitFor({ state: "detached" });

    // A number of the delivery-by-template table: that step's messages of that template.
    const buttons = page.locator("[data-delivery][data-step=delivered]");
    await buttons.first().waitFor();
    const counts = (await buttons.allTextContents()).map(number);
    const at = counts.findIndex((n) => n > 0);
    expect(at).toBeGreaterThanOrEqual(0);
    const tag = (await buttons.nth(at).getAttribute("data-delivery"))!;
    await buttons.nth(at).click();
    await page.locator("[data-drill=delivered] [data-drill-total]").waitFor();
    expect(hashParams(page)).toMatchObject({ drill: "delivered", dimension: "template", ...(tag ? { value: tag } : {}) });
    expect(await shownTotal()).toBe(counts[at]);
    const messagesSent = lastSent("/whatsapp/messages");
    expect([messagesSent.searchParams.get("figure"), messagesSent.searchParams.get("group")]).toEqual(["delivered", "template"]);
    expect(messagesSent.searchParams.get("value") ?? "").toBe(tag);
    const messages = await api(messagesSent.pathname + messagesSent.search);
    expect(messages.total).toBe(counts[at]);
    // Each message at the status it is counted at: delivered, or read beyond it.
    const statuses = (await page.locator("[data-drill-row] [data-status]").allTextContents()).map((t) => t.trim());
    expect(statuses).toEqual((messages.events as { properties: { status: string } }[]).map((e) => e.properties.status));
    expect(new Set(statuses).size).toBeGreaterThan(0);
    for (const s of statuses) expect(["delivered", "read"]).toContain(s);

    // The list is part of the URL, and a row opens the person's timeline.
    await page.reload();
    await page.locator("[data-drill=delivered] [data-drill-total]").waitFor();
    expect(await shownTotal()).toBe(counts[at]);
    await page.locator("[data-drill-row] a").first().click();
    await page.locator("[data-timeline] li").first().waitFor();
    expect(hashParams(page).drill).toBeUndefined();
    expect(await page.title()).toBe("People · Junction");
    await close();
  });

  it("lists the messages of a clicked messages-over-time bucket, as many as the series shows for it", async () => {
    const { page, requests, close } = await open("whatsapp?range=7d&tz=Africa/Nairobi");
    const canvas = page.locator("[data-panel=messages-series] canvas");
    await canvas.waitFor();
    // Below the fold: a locator click scrolls to the chart first.
    const box = (await canvas.boundingBox())!;
    await canvas.click({ position: { x: box.width * 0.6, y: box.height / 2 } });
    const list = page.locator("[data-drill=messages_in], [data-drill=messages_out]");
    await list.locator("[data-drill-total], [data-state=empty]").first().waitFor();
    const { drill, bucket } = hashParams(page);
    expect(bucket).toMatch(/^\d{4}-\d\d-\d\d/);
    const sent = requests.filter((u) => u.pathname.endsWith("/whatsapp/messages-series")).at(-1)!;
    const { series } = await api(sent.pathname + sent.search);
    const point = (series as { bucket: string; messages_in: number; messages_out: number }[]).find((p) => p.bucket === bucket)!;
    const shown = (await page.locator("[data-drill-total]").count()) ? number(await page.locator("[data-drill-total]").textContent()) : 0;
    expect(shown).toBe(drill === "messages_out" ? point.messages_out : point.messages_in);
    const asked = requests.filter((u) => u.pathname.endsWith("/whatsapp/messages")).at(-1)!.searchParams;
    expect([asked.get("figure"), asked.get("bucket"), asked.get("interval")]).toEqual([drill, bucket, sent.searchParams.get("interval")]);
    await close();
  });

  it("opens an agent's conversations from the agents table, and a conversation's metrics and events from the list", async () => {
    const { page, close } = await open("agents?range=30d&tz=UTC");
    const link = page.locator("[data-agents] tbody tr a").first();
    const agent = await page.locator("[data-agents] tbody tr").first().getAttribute("data-agent");
    await link.click();
    await settled(page, "conversations");
    expect(hashParams(page)).toMatchObject({ agent: agent!, range: "30d", tz: "UTC" });
    const agents = await page.locator("[data-conversations] tbody tr td:nth-child(4)").allTextContents();
    expect(agents.length).toBeGreaterThan(0);
    expect(agents).toContain(agent);
    expect(await page.title()).toBe("Conversations · Junction");

    const first = page.locator("[data-conversations] tbody tr").first();
    const id = await first.getAttribute("data-conversation");
    await first.locator("button").click();
    await page.locator("[data-conversation-detail] [data-timeline] li").first().waitFor();
    expect(hashParams(page).conversation).toBe(id);
    expect(await page.locator("[data-conversation-detail] code").first().textContent()).toBe(id);
    await page.reload();
    await page.locator("[data-conversation-detail] [data-timeline] li").first().waitFor();
    await close();
  });

  it("filters the conversation list by state and pages it with a cursor", async () => {
    const { page, requests, close } = await open("conversations?range=30d&tz=UTC");
    await page.selectOption("select[name=state]", "resolved");
    await page.waitForFunction(() => location.hash.includes("state=resolved"));
    await settled(page, "conversations");
    const states = await page.locator("[data-conversations] tbody tr td:nth-child(3)").allTextContents();
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(["resolved"]));
    expect(
      requests
        .filter((u) => u.pathname.endsWith("/conversations"))
        .at(-1)!
        .searchParams.get("state"),
    ).toBe("resolved");
    const more = page.getByRole("button", { name: "Show more" });
    if (await more.count()) {
      const before = await page.locator("[data-conversations] tbody tr").count();
      await more.click();
      await page.waitForFunction((n) => document.querySelectorAll("[data-conversations] tbody tr").length > n, before);
      expect(
        requests
          .filter((u) => u.pathname.endsWith("/conversations"))
          .at(-1)!
          .searchParams.get("cursor"),
      ).toBeTruthy();
    }
    await close();
  });

  it("lists the view's people and suggests ids while a phone is typed", async () => {
    const { page, close } = await open("people?range=30d&tz=UTC");
    await page.locator("[data-people] [data-person]").first().waitFor();
    await page.selectOption("select[name=kind]", "external_id");
    await page.fill("input[name=id]", demo.phone.slice(0, 4));
    await page.locator("#person-ids option").first().waitFor({ state: "attached" });
    const options = await page.locator("#person-ids option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options.every((o) => o.startsWith(demo.phone.slice(0, 4)))).toBe(true);
    await page.fill("input[name=id]", options[0]);
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator("[data-timeline] li").first().waitFor();
    expect(hashParams(page).external_id).toBe(options[0]);
    await close();
  });

  it("asks for id suggestions once typing pauses, for the text last typed", async () => {
    const { page, requests, close } = await open("people?range=30d&tz=UTC");
    await page.locator("[data-people] [data-person]").first().waitFor();
    await page.selectOption("select[name=kind]", "external_id");
    const typed = demo.phone.slice(0, 6);
    const asked = () => requests.filter((u) => u.pathname.endsWith("/stats/values") && u.searchParams.get("dimension") === "external_id");
    await page.locator("input[name=id]").pressSequentially(typed, { delay: 20 });
    await page.locator("#person-ids option").first().waitFor({ state: "attached", timeout: 20_000 });
    // Not one request per keystroke; the last one asks about the whole text.
    expect(asked().length).toBeLessThan(typed.length);
    expect(asked().at(-1)!.searchParams.get("q")).toBe(typed);
    await close();
  });

  it("names a timeline's events in the right number", async () => {
    const anonymousId = `one-${crypto.randomUUID()}`;
    const res = await fetch(`${base()}/capture`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        project: demo.project,
        sent_at: new Date().toISOString(),
        events: [
          {
            event_id: crypto.randomUUID(),
            event: "page_view",
            timestamp: new Date().toISOString(),
            anonymous_id: anonymousId,
            session_id: crypto.randomUUID(),
            properties: { path: "/one" },
          },
        ],
      }),
    });
    expect(res.status).toBe(202);
    await eventually(
      async () => (await api(`/api/projects/${demo.project}/timeline?anonymous_id=${anonymousId}`)).events?.length === 1,
      "the one event stored",
      30_000,
    );
    const { page, close } = await open(`people?range=30d&tz=UTC&anonymous_id=${anonymousId}`);
    const heading = page.locator("[data-event-count]");
    await heading.waitFor({ timeout: 20_000 });
    expect(await heading.textContent()).toBe("1 event");
    await close();
  });
});

describe("drill-down rows", () => {
  it("keeps the separator out of a row's links, so only the id is underlined", async () => {
    const { page, close } = await open("overview?range=30d&tz=UTC&drill=events");
    const links = page.locator("[data-drill=events] [data-drill-row] a");
    await links.first().waitFor({ timeout: 20_000 });
    const texts = await links.allTextContents();
    for (const t of texts) expect(t).not.toMatch(/^\s*·/);
    expect(await page.locator("[data-drill=events] [data-drill-row]").first().textContent()).toContain(" · ");
    await close();
  });
});
