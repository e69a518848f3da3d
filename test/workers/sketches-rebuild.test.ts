import { env, SELF } from "cloudflare:test";
import { beforeAll, expect, it } from "vitest";
import { ADMIN, BASE, readJson } from "./helpers";
import { getJson, newProject } from "./stats-fixture";
import { errorSchema, overviewSchema, sketchRebuildSchema } from "../../workers/contract";

let project: Awaited<ReturnType<typeof newProject>>;
const start = Date.parse("2026-09-01T00:00:00Z");
const overview = (source: string) =>
  getJson(
    `/api/projects/${project.id}/stats/overview?from=2026-09-01&to=2026-09-02&tz=UTC&interval=day&source=${source}`,
    project.auth,
    overviewSchema,
  );

// Events stored before the sketches existed: in D1, never seen by the consumer.
beforeAll(async () => {
  project = await newProject("rebuild");
  const rows = Array.from({ length: 130 }, (_, i) => [
    crypto.randomUUID(),
    project.id,
    "page_view",
    "web",
    start + (i % 40) * 1000 + i,
    start,
    `v${i % 37}`,
    `s${i % 53}`,
    `/p/${i % 5}`,
  ]);
  await env.DB.batch(
    rows.map((r) =>
      env.DB.prepare(
        `INSERT INTO events (event_id, project_id, event_name, channel_type, timestamp, received_at, anonymous_id, session_id, path)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(...r),
    ),
  );
});

async function rebuild(limit: number) {
  const pages: number[] = [];
  for (let after: string | null = "", calls = 0; after !== null && calls < 100; calls++) {
    const res = await SELF.fetch(
      `${BASE}/api/projects/${project.id}/sketches/rebuild?limit=${limit}${after ? `&after=${encodeURIComponent(after)}` : ""}`,
      { method: "POST", headers: ADMIN },
    );
    expect(res.status).toBe(200);
    const body = await readJson(res, sketchRebuildSchema);
    pages.push(body.events);
    after = body.next;
  }
  return pages;
}

it("adds stored events to the sketches page by page, and running it again changes nothing", async () => {
  expect((await overview("rollups")).body.totals.visitors).toBe(0);
  const raw = (await overview("raw")).body.totals;
  expect(raw).toMatchObject({ visitors: 37, sessions: 53 });

  expect(await rebuild(50)).toEqual([50, 50, 30]);
  const rebuilt = (await overview("rollups")).body;
  expect(rebuilt.totals).toMatchObject({ visitors: 37, sessions: 53 });
  expect(rebuilt.series[0]).toMatchObject({ visitors: 37, sessions: 53 });

  await rebuild(1000);
  expect((await overview("rollups")).body.totals).toMatchObject({ visitors: 37, sessions: 53 });
});

it("rejects a malformed cursor with 400", async () => {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/sketches/rebuild?after=nope`, { method: "POST", headers: ADMIN });
  expect(res.status).toBe(400);
  expect(await readJson(res, errorSchema)).toMatchObject({ error: "invalid_query" });
});
