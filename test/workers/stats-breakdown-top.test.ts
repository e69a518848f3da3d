import { beforeAll, expect, it } from "vitest";
import { getJson, ingest, newProject, type Ev } from "./stats-fixture";
import { breakdownSchema } from "../../workers/contract";

let project: Awaited<ReturnType<typeof newProject>>;
const start = Date.parse("2026-09-01T08:00:00Z");

// 120 pages, page i seen by 1 + i % 9 visitors, plus one page one visitor reloads 200 times:
// most events is not most visitors, and there are more values than one sketch request asks for.
beforeAll(async () => {
  project = await newProject("top");
  const evs: Ev[] = [];
  for (let i = 0; i < 120; i++)
    for (let v = 0; v < 1 + (i % 9); v++)
      evs.push({ name: "page_view", ts: start + i * 60_000 + v, anon: `v${v}`, session: `v${v}s`, path: `/p/${i}` });
  for (let n = 0; n < 200; n++) evs.push({ name: "page_view", ts: start + n * 1000, anon: "reloader", session: "r1", path: "/hot" });
  await ingest(project.id, evs);
}, 60_000);

it.each([1, 5, 10, 200])("ranks the top %i pages by visitors from rollups exactly as a raw scan does", async (limit) => {
  const q = `/api/projects/${project.id}/stats/breakdown?dimension=path&limit=${limit}&from=2026-09-01&to=2026-09-02&tz=UTC`;
  const rollups = await getJson(q + "&source=rollups", project.auth, breakdownSchema);
  const raw = await getJson(q + "&source=raw", project.auth, breakdownSchema);
  expect(rollups.body.rows).toHaveLength(Math.min(limit, 121));
  expect(rollups.body.rows[0]).toMatchObject({ visitors: 9 });
  expect(rollups.body.rows).toEqual(raw.body.rows);
});
