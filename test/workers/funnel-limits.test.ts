import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE, readAnswer, readJson } from "./helpers";
import { ingest, newProject, type Ev } from "./stats-fixture";
import { funnelResultSchema, savedFunnelResultSchema, savedFunnelSchema } from "../../workers/contract";

// The documented limits: 20 steps, each with up to 10 `where` properties (workers/funnels/definition.ts).
const STEPS = 20;
const T0 = Date.parse("2026-10-02T08:00:00Z");
const props = (step: number) => Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`k${k}`, `s${step}v${k}`]));
const DEF = Array.from({ length: STEPS }, (_, i) => ({ event: `step_${i}`, where: props(i) }));

/** A person who does steps [0, reach) in order, a minute apart; `wrongAt` sends one property wrong there. */
function journey(anon: string, reach: number, wrongAt = -1): Ev[] {
  return Array.from({ length: reach }, (_, i) => ({
    name: `step_${i}`,
    ts: T0 + i * 60_000,
    anon,
    session: anon + "-s",
    props: i === wrongAt ? { ...props(i), k9: "other" } : props(i),
  }));
}

let project: Awaited<ReturnType<typeof newProject>>;
async function query(body: unknown) {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/funnels/query`, {
    method: "POST",
    headers: { ...project.auth, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await readAnswer(res, funnelResultSchema)) as any };
}

beforeAll(async () => {
  project = await newProject("funnel-limits");
  // a: all 20 steps; b: the first 7; c: all 20 but step 3 carries a wrong property, so c stops at 3.
  await ingest(project.id, [...journey("a", STEPS), ...journey("b", 7), ...journey("c", STEPS, 3)]);
}, 60_000);

describe("funnels at their documented limits", () => {
  it("answers a 20-step funnel with 10 where keys per step correctly", async () => {
    const r = await query({ steps: DEF, window: 86_400, from: "2026-10-02", to: "2026-10-02", tz: "UTC" });
    expect(r.status).toBe(200);
    // Expected by hand: step i counts everyone whose journey reaches it with every property right.
    const expected = Array.from({ length: STEPS }, (_, i) => (i < 3 ? 3 : i < 7 ? 2 : 1));
    expect(r.body.steps.map((s: { count: number }) => s.count)).toEqual(expected);
  });

  it("saves a 20-step funnel and reads it back", async () => {
    const created = await SELF.fetch(`${BASE}/api/projects/${project.id}/funnels`, {
      method: "POST",
      headers: { ...project.write, "content-type": "application/json" },
      body: JSON.stringify({ name: "long", steps: DEF }),
    });
    expect(created.status).toBe(201);
    const { id } = await readJson(created, savedFunnelSchema);
    const read = await SELF.fetch(`${BASE}/api/projects/${project.id}/funnels/${id}?from=2026-10-02&to=2026-10-02&tz=UTC`, {
      headers: project.auth,
    });
    expect(read.status).toBe(200);
    expect((await readJson(read, savedFunnelResultSchema)).steps).toHaveLength(STEPS);
  });

  it("refuses 21 steps or 11 where keys with a JSON 400", async () => {
    const tooMany = await query({ steps: [...DEF, { event: "x" }] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/at most 20 steps/);
    const wide = await query({ steps: [{ event: "a", where: { ...props(0), k10: "x" } }, { event: "b" }] });
    expect(wide.status).toBe(400);
    expect(wide.body).toHaveProperty("error");
  });
});
