import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, BASE, readAnswer } from "./helpers";
import { ingest, newProject } from "./stats-fixture";
import { funnelListSchema, funnelResultSchema, savedFunnelResultSchema, savedFunnelSchema } from "../../workers/contract";

const DEMO = { authorization: "Bearer demo-read-token" };
const T0 = Date.parse("2026-07-01T10:00:00Z");
const DEF = {
  name: "NIL return",
  steps: [
    { event: "page_view", channel: "web", path: "/returns/nil" },
    { event: "return_started", where: { journey: "NIL" } },
  ],
  window: 600,
};

let project: Awaited<ReturnType<typeof newProject>>;
const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = project.write) => {
  const res = await SELF.fetch(`${BASE}/api/projects/${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? null : ((await readAnswer(res, schemaFor(method, path))) as any) };
};

/** The contract schema of each funnel route's answer. */
function schemaFor(method: string, path: string) {
  if (path.includes("/funnels/query")) return funnelResultSchema;
  if (method === "POST") return savedFunnelSchema;
  return /\/funnels(\?|$)/.test(path) ? funnelListSchema : savedFunnelResultSchema;
}

beforeAll(async () => {
  project = await newProject("saved");
  await ingest(project.id, [
    { name: "page_view", ts: T0, anon: "n1", session: "n1", path: "/returns/nil" },
    { name: "return_started", ts: T0 + 30_000, anon: "n1", session: "n1", props: { journey: "NIL" } },
    { name: "page_view", ts: T0, anon: "n2", session: "n2", path: "/returns/nil" },
  ]);
}, 30_000);

describe("saved funnels", () => {
  it("saves, lists, runs and deletes a funnel", async () => {
    const created = await call("POST", `${project.id}/funnels`, DEF);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...DEF, id: expect.any(String), created_at: expect.any(String) });
    const id = created.body.id;

    expect((await call("GET", `${project.id}/funnels`)).body.funnels.map((f: any) => f.id)).toContain(id);

    const run = await call("GET", `${project.id}/funnels/${id}?from=2026-07-01&to=2026-07-01`);
    expect(run.status).toBe(200);
    expect(run.body.funnel).toMatchObject(DEF);
    expect(run.body.steps.map((s: any) => [s.count, s.drop_off])).toEqual([
      [2, 0],
      [1, 1],
    ]);
    const adHoc = await call("POST", `${project.id}/funnels/query`, { ...DEF, from: "2026-07-01", to: "2026-07-01" });
    expect(adHoc.body.steps).toEqual(run.body.steps);

    expect((await call("DELETE", `${project.id}/funnels/${id}`)).status).toBe(204);
    expect((await call("GET", `${project.id}/funnels/${id}`)).status).toBe(404);
    expect((await call("DELETE", `${project.id}/funnels/${id}`)).status).toBe(404);
  });

  it("keeps each project's funnels to itself", async () => {
    const { body } = await call("POST", `${project.id}/funnels`, DEF);
    expect((await call("GET", `demo/funnels/${body.id}`, undefined, ADMIN)).status).toBe(404);
    expect((await call("DELETE", `demo/funnels/${body.id}`, undefined, ADMIN)).status).toBe(404);
    expect((await call("GET", `demo/funnels`, undefined, DEMO)).body.funnels.map((f: any) => f.id)).not.toContain(body.id);
  });

  it("ships the MRI, TOT, NIL and WhatsApp-to-web funnels for the demo project", async () => {
    const { status, body } = await call("GET", "demo/funnels", undefined, DEMO);
    expect(status).toBe(200);
    const byId = Object.fromEntries(body.funnels.map((f: any) => [f.id, f]));
    expect(Object.keys(byId)).toEqual(expect.arrayContaining(["mri-return", "tot-return", "nil-return", "whatsapp-to-web"]));
    expect(byId["mri-return"].steps[1]).toEqual({ event: "return_started", channel: "web", where: { journey: "MRI" } });
    expect(byId["whatsapp-to-web"].steps.map((s: any) => s.channel)).toEqual(["whatsapp", "whatsapp", "web", "web"]);
    expect((await call("GET", "demo/funnels/nil-return?from=2026-07-01&to=2026-07-02", undefined, DEMO)).status).toBe(200);
  });

  it.each([
    ["no name", { steps: DEF.steps }],
    ["no steps", { name: "x" }],
    ["a step without event", { name: "x", steps: [{}, {}] }],
  ])("answers 400 for %s", async (_n, body) => {
    const res = await call("POST", `${project.id}/funnels`, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_funnel");
  });
});
