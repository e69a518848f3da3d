import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, readAnswer } from "./helpers";
import { ingest, newProject, type Ev } from "./stats-fixture";
import { funnelResultSchema, funnelStepPeopleSchema, savedFunnelResultSchema, savedFunnelSchema } from "../../workers/contract";

/** Funnel figures open the people behind them; saved funnels can be edited and duplicated. */
const T0 = Date.parse("2026-07-10T10:00:00Z");
const M = 60_000;
const DEF = {
  name: "MRI",
  steps: [{ event: "page_view", path: "/returns/mri" }, { event: "return_started" }, { event: "return_submitted" }],
  window: 3600,
};
const ev = (anon: string, name: string, ts: number, extra: Partial<Ev> = {}): Ev => ({ name, ts, anon, session: anon, ...extra });
// Entered: a b c d e (5). Step 2: a b c (3). Step 3: a (1); d started after the window (dropped at 2).
const EVENTS: Ev[] = [
  ...["a", "b", "c", "d", "e"].map((p, i) => ev(p, "page_view", T0 + i * M, { path: "/returns/mri", country: i < 2 ? "KE" : "UG" })),
  ev("a", "return_started", T0 + 10 * M),
  ev("a", "return_submitted", T0 + 20 * M),
  ev("b", "return_started", T0 + 11 * M),
  ev("c", "return_started", T0 + 12 * M),
  ev("d", "return_started", T0 + 120 * M),
];
const RANGE = "from=2026-07-10&to=2026-07-10";

let project: Awaited<ReturnType<typeof newProject>>;
const call = async (method: string, path: string, schema: Parameters<typeof readAnswer>[1], body?: unknown, headers = project.write) => {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await readAnswer(res, schema)) as any };
};

/** Every person of a step list, page by page. */
async function walk(fetchPage: (cursor: string | null) => Promise<{ status: number; body: any }>) {
  const people: any[] = [];
  let cursor: string | null = null;
  let total = -1;
  for (let i = 0; i < 20; i++) {
    const { status, body } = await fetchPage(cursor);
    expect(status, JSON.stringify(body)).toBe(200);
    people.push(...body.people);
    total = body.total;
    cursor = body.next_cursor;
    if (!cursor) return { people, total };
  }
  throw new Error("too many pages");
}

let saved: any;
beforeAll(async () => {
  project = await newProject("fpeople");
  await ingest(project.id, EVENTS);
  saved = (await call("POST", "/funnels", savedFunnelSchema, DEF)).body;
}, 60_000);

describe("funnel step people", () => {
  it("converted and dropped lists hold each step's count and drop-off (saved funnel)", async () => {
    const run = await call("GET", `/funnels/${saved.id}?${RANGE}`, savedFunnelResultSchema, undefined, project.auth);
    expect(run.body.steps.map((s: any) => [s.count, s.drop_off])).toEqual([
      [5, 0],
      [3, 2],
      [1, 2],
    ]);
    const expected = { converted: [["a", "b", "c", "d", "e"], ["a", "b", "c"], ["a"]], dropped: [[], ["d", "e"], ["b", "c"]] };
    for (const outcome of ["converted", "dropped"] as const) {
      for (let n = 1; n <= 3; n++) {
        const list = await walk((cursor) =>
          call(
            "GET",
            `/funnels/${saved.id}/steps/${n}/people?${RANGE}&outcome=${outcome}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
            funnelStepPeopleSchema,
            undefined,
            project.auth,
          ),
        );
        const step = run.body.steps[n - 1];
        expect(list.total, `${outcome} ${n}`).toBe(outcome === "converted" ? step.count : step.drop_off);
        expect(
          list.people.map((p) => p.timeline.value),
          `${outcome} ${n}`,
        ).toEqual(expected[outcome][n - 1]);
        expect(list.people.every((p) => p.person_id.startsWith("a:") && p.timeline.kind === "anonymous_id")).toBe(true);
        for (const p of list.people) expect(p.reached_at === null).toBe(outcome === "dropped");
      }
    }
  });

  it("the same for an ad-hoc query, with its filters and a breakdown group", async () => {
    const body = { steps: DEF.steps, window: DEF.window, from: "2026-07-10", to: "2026-07-10", filters: { country: "UG" } };
    const q = await call("POST", "/funnels/query", funnelResultSchema, body, project.auth);
    expect(q.body.steps.map((s: any) => s.count)).toEqual([3, 1, 0]);
    const dropped = await call("POST", "/funnels/query/steps/2/people?outcome=dropped", funnelStepPeopleSchema, body, project.auth);
    expect(dropped.body).toMatchObject({ step: 2, outcome: "dropped", total: 2, next_cursor: null });
    expect(dropped.body.people.map((p: any) => p.person_id)).toEqual(["a:d", "a:e"]);
    const grouped = await call(
      "POST",
      "/funnels/query/steps/2/people?breakdown_value=KE",
      funnelStepPeopleSchema,
      { ...body, filters: {}, breakdown: "country" },
      project.auth,
    );
    expect(grouped.body.people.map((p: any) => p.person_id)).toEqual(["a:a", "a:b"]);
    const past = await call("POST", "/funnels/query/steps/4/people", funnelStepPeopleSchema, body, project.auth);
    expect(past.status).toBe(400);
  });

  it("is a read: a read token may list, not edit", async () => {
    const put = await call("PUT", `/funnels/${saved.id}`, savedFunnelSchema, DEF, project.auth);
    expect(put.status).toBe(403);
  });
});

describe("editing saved funnels", () => {
  it("PUT replaces the name and definition and keeps the id", async () => {
    const made = (await call("POST", "/funnels", savedFunnelSchema, DEF)).body;
    const edited = { ...DEF, name: "MRI, two steps", steps: DEF.steps.slice(0, 2), window: 600 };
    const put = await call("PUT", `/funnels/${made.id}`, savedFunnelSchema, edited);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ ...edited, id: made.id, created_at: made.created_at });
    const run = await call("GET", `/funnels/${made.id}?${RANGE}`, savedFunnelResultSchema, undefined, project.auth);
    expect(run.body.steps.map((s: any) => s.count)).toEqual([5, 3]);
    expect((await call("PUT", `/funnels/${made.id}`, savedFunnelSchema, { name: "x", steps: [] })).body.error).toBe("invalid_funnel");
    expect((await call("PUT", "/funnels/missing", savedFunnelSchema, DEF)).status).toBe(404);
  });

  it("duplicate copies under a fresh id", async () => {
    const copy = await call("POST", `/funnels/${saved.id}/duplicate`, savedFunnelSchema);
    expect(copy.status).toBe(201);
    expect(copy.body).toMatchObject({ name: "MRI (copy)", steps: DEF.steps, window: DEF.window });
    expect(copy.body.id).not.toBe(saved.id);
    const named = await call("POST", `/funnels/${saved.id}/duplicate`, savedFunnelSchema, { name: "MRI B" });
    expect(named.body.name).toBe("MRI B");
    expect((await call("POST", "/funnels/missing/duplicate", savedFunnelSchema)).status).toBe(404);
  });
});
