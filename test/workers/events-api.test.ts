import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, BASE, batch, capture, countEvents, readJson, waitFor, webEvent } from "./helpers";
import { errorSchema, eventsPageSchema, projectCreatedSchema } from "../../workers/contract";

const anon = "anon-api-" + crypto.randomUUID();
const t0 = Date.parse("2026-11-01T10:00:00Z");
const events = Array.from({ length: 7 }, (_, i) =>
  webEvent({ anonymous_id: anon, event: i % 2 ? "return_started" : "page_view", timestamp: new Date(t0 + i * 60_000).toISOString() }),
);

function get(path: string, headers: Record<string, string> = ADMIN) {
  return SELF.fetch(`${BASE}${path}`, { headers });
}

beforeAll(async () => {
  // A correct client clock (sent_at = now) keeps historical timestamps where they are.
  await capture(batch(events));
  await waitFor(async () => (await countEvents("anonymous_id = ?", anon)) === 7);
});

describe("GET /api/projects/:project/events", () => {
  it("lists events newest first in the §2 shape", async () => {
    const res = await get(`/api/projects/demo/events?anonymous_id=${anon}`);
    expect(res.status).toBe(200);
    const body = await readJson(res, eventsPageSchema);
    expect(body.events.map((e) => e.event_id)).toEqual(events.map((e) => e.event_id).reverse());
    expect(body.events[0]).toMatchObject({
      project_id: "demo",
      channel_type: "web",
      timestamp: "2026-11-01T10:06:00.000Z",
      is_bot: false,
      properties: {},
    });
    expect(body.next_cursor).toBeNull();
  });

  it("filters by event name and time range", async () => {
    const q = `anonymous_id=${anon}&event_name=return_started&since=2026-11-01T10:02:00Z&until=2026-11-01T10:05:00Z`;
    const body = await readJson(await get(`/api/projects/demo/events?${q}`), eventsPageSchema);
    expect(body.events.map((e) => e.event_id)).toEqual([events[3].event_id]);
  });

  it("pages with a cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = "";
    while (cursor !== null) {
      const res = await get(`/api/projects/demo/events?anonymous_id=${anon}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      const body = await readJson(res, eventsPageSchema);
      seen.push(...body.events.map((e) => e.event_id));
      cursor = body.next_cursor;
    }
    expect(seen).toEqual(events.map((e) => e.event_id).reverse());
  });

  it.each([
    ["no token", {}, 401],
    ["a wrong token", { authorization: "Bearer nope" }, 401],
    ["the demo read token", { authorization: "Bearer demo-read-token" }, 200],
  ])("answers a request with %s by the right status", async (_name, headers, status) => {
    expect((await get(`/api/projects/demo/events?limit=1`, headers as Record<string, string>)).status).toBe(status);
  });

  it("forbids a read token from reading another project", async () => {
    const created = await SELF.fetch(`${BASE}/api/projects`, {
      method: "POST",
      headers: { ...ADMIN, "content-type": "application/json" },
      body: JSON.stringify({ id: "other-co", name: "Other" }),
    });
    expect(created.status).toBe(201);
    const { read_token } = await readJson(created, projectCreatedSchema);
    expect((await get(`/api/projects/demo/events`, { authorization: `Bearer ${read_token}` })).status).toBe(403);
    const own = await get(`/api/projects/other-co/events`, { authorization: `Bearer ${read_token}` });
    expect(own.status).toBe(200);
    expect((await readJson(own, eventsPageSchema)).events).toEqual([]);
  });

  it.each([
    ["limit=0", /limit/],
    ["channel=fax", /channel/],
    ["since=yesterday", /since/],
    ["cursor=garbage", /cursor/],
  ])("rejects %s with a 400 naming the parameter", async (q, message) => {
    const res = await get(`/api/projects/demo/events?${q}`);
    expect(res.status).toBe(400);
    expect((await readJson(res, errorSchema)).message).toMatch(message);
  });

  it("answers 404 for a project that does not exist", async () => {
    expect((await get(`/api/projects/nope/events`)).status).toBe(404);
  });
});
