import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, batch, capture, countEvents, readJson, waitFor, webEvent } from "./helpers";
import { errorSchema, timelineSchema } from "../../workers/contract";

const READ = { authorization: "Bearer demo-read-token" };
const get = (query: string, headers: Record<string, string> = READ) =>
  SELF.fetch(`${BASE}/api/projects/demo/timeline?${query}`, { headers });
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();

describe("GET /api/projects/:project/timeline", { timeout: 30_000 }, () => {
  it.each([
    ["no id", ""],
    ["two ids", "anonymous_id=a&user_id=b"],
    ["a bad limit", "anonymous_id=a&limit=0"],
    ["a bad since", "anonymous_id=a&since=yesterday"],
  ])("answers 400 for %s", async (_name, query) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: expect.stringMatching(/^invalid_/) });
  });

  it("answers 401 without a token and 403 for another project", async () => {
    expect((await get("anonymous_id=a", {})).status).toBe(401);
    expect((await SELF.fetch(`${BASE}/api/projects/other/timeline?anonymous_id=a`, { headers: READ })).status).toBe(403);
  });

  it("shows an unlinked visitor as their own person, oldest event first", async () => {
    const anon = "anon-" + crypto.randomUUID();
    const events = [
      webEvent({ anonymous_id: anon, timestamp: iso(3_000) }),
      webEvent({ anonymous_id: anon, timestamp: iso(1_000), event: "form_started" }),
    ];
    await capture(batch([events[1], events[0]]));
    await waitFor(async () => (await countEvents("anonymous_id = ?", anon)) === 2);
    const body = await readJson(await get(`anonymous_id=${anon}`), timelineSchema);
    expect(body.person).toEqual({ person_id: `a:${anon}`, anonymous_ids: [anon], external_ids: [], user_ids: [] });
    expect(body.events.map((e) => e.event_id)).toEqual(events.map((e) => e.event_id));
    expect(body.has_more).toBe(false);
  });

  it("joins two devices of one signed-in user (identify links anonymous_id to user_id)", async () => {
    const user = "user-" + crypto.randomUUID();
    const [phone, laptop] = ["anon-" + crypto.randomUUID(), "anon-" + crypto.randomUUID()];
    const before = webEvent({ anonymous_id: phone, timestamp: iso(60_000) }); // before signing in
    await capture(batch([before, webEvent({ anonymous_id: phone, user_id: user, event: "login", timestamp: iso(50_000) })]));
    await capture(batch([webEvent({ anonymous_id: laptop, user_id: user, timestamp: iso(10_000) })]));
    const body = await waitFor(async () => {
      const r = await readJson(await get(`user_id=${user}`), timelineSchema);
      return r.events.length === 3 ? r : null;
    });
    expect((body.person.anonymous_ids as string[]).sort()).toEqual([phone, laptop].sort());
    expect(body.events[0].event_id).toBe(before.event_id);
    const fromLaptop = await readJson(await get(`anonymous_id=${laptop}`), timelineSchema);
    expect(fromLaptop.person.person_id).toBe(body.person.person_id);
  });

  it("pages with limit and bounds by since/until", async () => {
    const anon = "anon-" + crypto.randomUUID();
    const events = [4, 3, 2, 1].map((m) => webEvent({ anonymous_id: anon, timestamp: iso(m * 60_000) }));
    await capture(batch(events));
    await waitFor(async () => (await countEvents("anonymous_id = ?", anon)) === 4);
    const first = await readJson(await get(`anonymous_id=${anon}&limit=2`), timelineSchema);
    expect(first.events.map((e) => e.event_id)).toEqual(events.slice(0, 2).map((e) => e.event_id));
    expect(first.has_more).toBe(true);
    const since = new Date(Date.parse(first.events[1].timestamp) + 1).toISOString();
    const until = new Date(Date.parse(events[3].timestamp) - 30_000).toISOString();
    const window = await readJson(await get(`anonymous_id=${anon}&since=${since}&until=${until}`), timelineSchema);
    expect(window.events.map((e) => e.event_id)).toEqual([events[2].event_id]);
  });
});
