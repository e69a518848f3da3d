import { createScheduledController, env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { eventsPageSchema, funnelResultSchema, overviewSchema, projectSettingsSchema, timelineSchema } from "../../workers/contract";
import worker from "../../workers/index";
import { ADMIN, BASE, countEvents, readAnswer, readJson } from "./helpers";
import { getJson, ingest, newProject } from "./stats-fixture";

/**
 * Retention through the API and the Worker's own scheduled handler: a project keeping 30 days of
 * raw events loses older ones at the next run, while rollups keep counting them; a project without
 * retention keeps everything.
 */
const DAY = 86_400_000;
let p: Awaited<ReturnType<typeof newProject>>;
let keep: Awaited<ReturnType<typeof newProject>>;
const now = Date.now();
const OLD_ANON = "old-" + crypto.randomUUID();
const NEW_ANON = "new-" + crypto.randomUUID();

function patch(id: string, body: unknown, auth: Record<string, string> = ADMIN) {
  return SELF.fetch(`${BASE}/api/projects/${id}`, {
    method: "PATCH",
    headers: { ...auth, "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function runCron(at: number) {
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "17 3 * * *" }), env);
}

// Day-aligned, so the rollups can answer it.
const range = `from=${new Date(Math.floor((now - 60 * DAY) / DAY) * DAY).toISOString()}&to=${new Date(Math.ceil((now + DAY) / DAY) * DAY).toISOString()}`;

beforeAll(async () => {
  [p, keep] = await Promise.all([newProject("retain"), newProject("retain-keep")]);
  for (const project of [p, keep]) {
    await ingest(project.id, [
      { name: "page_view", ts: now - 40 * DAY, anon: OLD_ANON, session: "s-old", path: "/returns/mri" },
      { name: "return_started", ts: now - 40 * DAY + 60_000, anon: OLD_ANON, session: "s-old" },
      { name: "page_view", ts: now - 10 * DAY, anon: NEW_ANON, session: "s-new", path: "/returns/mri" },
    ]);
  }
}, 60_000);

describe("PATCH /api/projects/{project}", () => {
  it("sets and clears retention_days, answering the project's settings", async () => {
    const set = await patch(p.id, { retention_days: 30 });
    expect(set.status).toBe(200);
    expect(await readJson(set, projectSettingsSchema)).toMatchObject({ id: p.id, retention_days: 30 });
    const cleared = await readJson(await patch(p.id, { retention_days: null }), projectSettingsSchema);
    expect(cleared.retention_days).toBeNull();
    const renamed = await readJson(await patch(p.id, { name: "Renamed", retention_days: 30 }), projectSettingsSchema);
    expect(renamed).toMatchObject({ name: "Renamed", retention_days: 30, allowed_origins: ["*"] });
  });

  it("refuses bad settings with 400, an unknown project with 404, and a project token with 403", async () => {
    for (const body of [{ retention_days: 0 }, { retention_days: 1.5 }, { retention_days: 5000 }, {}, { colour: "red" }]) {
      const res = await patch(p.id, body);
      expect(res.status).toBe(400);
      expect(await readAnswer(res, projectSettingsSchema)).toMatchObject({ error: "invalid_project" });
    }
    expect(await readAnswer(await patch(p.id, "{"), projectSettingsSchema)).toMatchObject({ error: "invalid_json" });
    const unknown = await patch("no-such-project", { retention_days: 7 });
    expect(unknown.status).toBe(404);
    expect(await readAnswer(unknown, projectSettingsSchema)).toMatchObject({ error: "unknown_project" });
    expect((await patch(p.id, { retention_days: 7 }, p.write)).status).toBe(403);
  });
});

describe("the scheduled retention run", () => {
  it("drops raw events older than retention_days, keeps rollups, and leaves projects without retention alone", async () => {
    const before = await getJson(`/api/projects/${p.id}/stats/overview?source=rollups&${range}`, p.auth, overviewSchema);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(before.body.totals.events).toBe(3);
    await runCron(now);

    expect(await countEvents("project_id = ?", p.id)).toBe(1);
    expect(await countEvents("project_id = ?", keep.id)).toBe(3);
    const page = await readJson(await SELF.fetch(`${BASE}/api/projects/${p.id}/events`, { headers: p.auth }), eventsPageSchema);
    expect(page.events.map((e) => e.anonymous_id)).toEqual([NEW_ANON]);
    const t = await readJson(
      await SELF.fetch(`${BASE}/api/projects/${p.id}/timeline?anonymous_id=${OLD_ANON}`, { headers: p.auth }),
      timelineSchema,
    );
    expect(t.events).toEqual([]);
    const csv = await (await SELF.fetch(`${BASE}/api/projects/${p.id}/export/events.csv?${range}`, { headers: p.auth })).text();
    expect(csv).not.toContain(OLD_ANON);
    expect(csv).toContain(NEW_ANON);
    const funnel = await SELF.fetch(`${BASE}/api/projects/${p.id}/funnels/query`, {
      method: "POST",
      headers: { ...p.auth, "content-type": "application/json" },
      body: JSON.stringify({
        steps: [{ event: "page_view" }, { event: "return_started" }],
        window: 3600,
        from: new Date(now - 60 * DAY).toISOString(),
        to: new Date(now).toISOString(),
      }),
    });
    expect((await readJson(funnel, funnelResultSchema)).steps.map((s) => s.count)).toEqual([1, 0]);

    // Rollups are aggregates and stay: the overview of the whole range still counts the dropped events.
    const after = await getJson(`/api/projects/${p.id}/stats/overview?source=rollups&${range}`, p.auth, overviewSchema);
    expect(after.body.totals.events).toBe(3);
    // A second run finds nothing more to drop.
    await runCron(now);
    expect(await countEvents("project_id = ?", p.id)).toBe(1);
  });

  it("prunes erased-event tombstones after 30 days", async () => {
    await env.DB.prepare("INSERT INTO erased_events (project_id, event_id, erased_at) VALUES (?, 'old-tomb', ?), (?, 'new-tomb', ?)")
      .bind(p.id, now - 31 * DAY, p.id, now - DAY)
      .run();
    await runCron(now);
    const { results } = await env.DB.prepare("SELECT event_id FROM erased_events WHERE project_id = ?")
      .bind(p.id)
      .all<{ event_id: string }>();
    expect(results.map((r) => r.event_id)).toEqual(["new-tomb"]);
  });
});
