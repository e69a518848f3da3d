import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { segmentListSchema, segmentPreviewSchema, segmentSchema } from "../../workers/contract";
import { linkStatements } from "../../workers/lib/person";
import { BASE, readAnswer } from "./helpers";
import { ingest, newProject } from "./stats-fixture";

/**
 * Segment membership against hand-built people (web, WhatsApp and linked across both, plus an
 * imported contact with no event). Each expected set is written out by hand from the table below.
 *
 * | person | web (anon)                         | WhatsApp                | contact                   |
 * | P1     | a1: page_view, signup{plan:pro}     | +254700000001 (linked)  | Amina, opted_in, tier gold |
 * | P2     | a2: page_view 40 days ago           |                         |                           |
 * | P3     |                                     | +254700000003: wa_text  | opted_out                 |
 * | P4     |                                     |                         | +254700000004, tier silver |
 * | P5     | a5: page_view, signup, purchase +30m|                         |                           |
 * | P6     | a6: page_view, signup, purchase +2d |                         |                           |
 */
const DAY = 86_400_000;
const T0 = Date.now() - 5 * DAY;
const P1_WA = "+254700000001";
const P3_WA = "+254700000003";
const P4_WA = "+254700000004";

let project: Awaited<ReturnType<typeof newProject>>;
let person: Record<string, string>;

const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = project.write) => {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/segments${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return { status: 204, body: null as any };
  const schema = path.includes("preview") ? segmentPreviewSchema : path === "" && method === "GET" ? segmentListSchema : segmentSchema;
  return { status: res.status, body: (await readAnswer(res, schema)) as any };
};

/** The members of an ad-hoc definition, as sorted person labels (P1…P6). */
async function members(definition: unknown): Promise<string[]> {
  const res = await call("POST", "/preview", definition, project.auth);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const byId = Object.fromEntries(Object.entries(person).map(([k, v]) => [v, k]));
  expect(res.body.sample.length).toBe(Math.min(res.body.count, 20));
  return res.body.sample.map((m: any) => byId[m.person_id] ?? m.person_id).sort();
}

beforeAll(async () => {
  project = await newProject("segments");
  const p = project.id;
  await env.DB.batch(linkStatements(env.DB, p, { kind: "anonymous_id", value: "a1" }, { kind: "external_id", value: P1_WA }, T0));
  await ingest(p, [
    { name: "page_view", ts: T0, anon: "a1", session: "s1", path: "/pricing" },
    { name: "signup", ts: T0 + 60_000, anon: "a1", session: "s1", props: { plan: "pro" } },
    { name: "wa_text", ts: T0 + 120_000, channel: "whatsapp", ext: P1_WA },
    { name: "page_view", ts: Date.now() - 40 * DAY, anon: "a2", session: "s2" },
    { name: "wa_text", ts: T0, channel: "whatsapp", ext: P3_WA },
    { name: "page_view", ts: T0, anon: "a5", session: "s5" },
    { name: "signup", ts: T0 + 60_000, anon: "a5", session: "s5", props: { plan: "free" } },
    { name: "purchase", ts: T0 + 30 * 60_000, anon: "a5", session: "s5", props: { amount: 120 } },
    { name: "page_view", ts: T0, anon: "a6", session: "s6" },
    { name: "signup", ts: T0 + 60_000, anon: "a6", session: "s6", props: { plan: "free" } },
    { name: "purchase", ts: T0 + 2 * DAY, anon: "a6", session: "s6", props: { amount: 40 } },
  ]);
  const contact = env.DB.prepare(
    "INSERT INTO contacts (project_id, external_id, first_seen_at, last_seen_at, consent, consent_changed_at, name, attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  await env.DB.batch([
    contact.bind(p, P1_WA, T0, T0, "opted_in", T0, "Amina", JSON.stringify({ tier: "gold", orders: 3 })),
    contact.bind(p, P3_WA, T0, T0, "opted_out", T0, null, "{}"),
    contact.bind(p, P4_WA, T0, T0, null, null, "Baraka", JSON.stringify({ tier: "silver", orders: 1 })),
  ]);
  const p1 = await env.DB.prepare("SELECT person_id FROM identities WHERE project_id = ? AND kind = 'anonymous_id' AND value = 'a1'")
    .bind(p)
    .first<{ person_id: string }>();
  person = { P1: p1!.person_id, P2: "a:a2", P3: `x:${P3_WA}`, P4: `x:${P4_WA}`, P5: "a:a5", P6: "a:a6" };
}, 60_000);

const ev = (event: string, extra: Record<string, unknown> = {}) => ({ type: "event", event, ...extra });
const all = (...conditions: unknown[]) => ({ conditions });

describe("segment membership", () => {
  it("did / did not do an event, with property filters and counts", async () => {
    expect(await members(all(ev("signup")))).toEqual(["P1", "P5", "P6"]);
    expect(await members(all(ev("signup", { did: false })))).toEqual(["P2", "P3", "P4"]);
    expect(await members(all(ev("signup", { where: [{ property: "plan", value: "pro" }] })))).toEqual(["P1"]);
    expect(await members(all(ev("signup", { min_count: 2 })))).toEqual([]);
    expect(
      await members(all(ev("page_view", { min_count: 1 }), ev("signup", { where: [{ property: "plan", op: "neq", value: "pro" }] }))),
    ).toEqual(["P5", "P6"]);
    expect(await members(all(ev("purchase", { where: [{ property: "amount", op: "gte", value: 100 }] })))).toEqual(["P5"]);
    expect(await members(all(ev("page_view", { channel: "web", within_days: 30 })))).toEqual(["P1", "P5", "P6"]);
    expect(await members(all(ev("page_view", { from: new Date(T0 - DAY).toISOString(), to: new Date(T0 + DAY).toISOString() })))).toEqual([
      "P1",
      "P5",
      "P6",
    ]);
    expect(await members(all(ev("wa_text", { channel: "whatsapp" }), ev("signup")))).toEqual(["P1"]);
  });

  it("within a time after another event, and a funnel step reached but not the next", async () => {
    const after = { type: "event_after", first: { event: "signup" }, then: { event: "purchase" }, within_seconds: 3600 };
    expect(await members(all(after))).toEqual(["P5"]);
    expect(await members(all({ ...after, did: false }))).toEqual(["P1", "P6"]);
    const funnel = {
      type: "funnel_step",
      steps: [{ event: "page_view" }, { event: "signup" }, { event: "purchase" }],
      window_seconds: 86_400,
    };
    expect(await members(all({ ...funnel, reached: 2 }))).toEqual(["P1", "P6"]);
    expect(await members(all({ ...funnel, reached: 1 }))).toEqual(["P2"]);
    expect(await members(all({ ...funnel, reached: 3 }))).toEqual(["P5"]);
  });

  it("traits, reachability, consent and last seen", async () => {
    expect(await members(all({ type: "trait", trait: "tier", value: "gold" }))).toEqual(["P1"]);
    expect(await members(all({ type: "trait", trait: "tier", op: "exists" }))).toEqual(["P1", "P4"]);
    expect(await members(all({ type: "trait", trait: "orders", op: "gt", value: 2 }))).toEqual(["P1"]);
    expect(await members(all({ type: "trait", trait: "name", op: "contains", value: "bar" }))).toEqual(["P4"]);
    expect(await members(all({ type: "trait", trait: "tier", op: "not_exists" }))).toEqual(["P2", "P3", "P5", "P6"]);
    expect(await members(all({ type: "reachable" }))).toEqual(["P1", "P3", "P4"]);
    expect(await members(all({ type: "reachable", value: false }))).toEqual(["P2", "P5", "P6"]);
    expect(await members(all({ type: "consent", state: "opted_in" }))).toEqual(["P1"]);
    expect(await members(all({ type: "consent", state: "unknown" }))).toEqual(["P2", "P4", "P5", "P6"]);
    expect(await members(all({ type: "last_seen", within_days: 30 }))).toEqual(["P1", "P3", "P5", "P6"]);
    expect(await members(all({ type: "last_seen", more_than_days: 30 }))).toEqual(["P2", "P4"]);
  });

  it("any of the conditions", async () => {
    expect(
      await members({
        match: "any",
        conditions: [{ type: "consent", state: "opted_out" }, ev("purchase", { where: [{ property: "amount", op: "lt", value: 50 }] })],
      }),
    ).toEqual(["P3", "P6"]);
  });

  it("stays one statement past D1's 100 bound parameters", async () => {
    const many = Array.from({ length: 20 }, () =>
      ev("page_view", {
        where: [
          { property: "a", op: "not_exists" },
          { property: "b", op: "neq", value: "x" },
          { property: "c", op: "neq", value: 1 },
        ],
      }),
    );
    expect(await members(all(...many))).toEqual(["P1", "P2", "P5", "P6"]);
  });
});

describe("segments API", () => {
  it("saves, lists, previews, exports, replaces and deletes", async () => {
    const created = await call("POST", "", {
      name: "Signed up, no purchase",
      definition: all(ev("signup"), ev("purchase", { did: false })),
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await call("GET", "", undefined, project.auth)).body.segments.map((s: any) => s.id)).toContain(id);
    const preview = await call("GET", `/${id}/preview`, undefined, project.auth);
    expect(preview.body.count).toBe(1);
    expect(preview.body.sample).toEqual([
      { person_id: person.P1, whatsapp: P1_WA, name: "Amina", last_seen_at: new Date(T0 + 120_000).toISOString() },
    ]);

    const csv = await SELF.fetch(`${BASE}/api/projects/${project.id}/segments/${id}/members.csv`, { headers: project.auth });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await csv.text()).split("\r\n")).toEqual([
      "person_id,whatsapp,name,timezone,consent,last_seen_at",
      `${person.P1},${P1_WA},Amina,,opted_in,${new Date(T0 + 120_000).toISOString()}`,
      "",
    ]);

    const replaced = await call("PUT", `/${id}`, { name: "Reachable", definition: all({ type: "reachable" }) });
    expect(replaced.status).toBe(200);
    expect((await call("GET", `/${id}/preview`, undefined, project.auth)).body.count).toBe(3);
    expect((await call("DELETE", `/${id}`)).status).toBe(204);
    expect((await call("GET", `/${id}`, undefined, project.auth)).status).toBe(404);
    expect((await call("DELETE", `/${id}`)).status).toBe(404);
  });

  it.each([
    ["no conditions", { name: "x", definition: { conditions: [] } }],
    ["an unknown condition", { name: "x", definition: all({ type: "horoscope" }) }],
    ["a bad property key", { name: "x", definition: all(ev("signup", { where: [{ property: "a'b", value: 1 }] })) }],
    ["a missing value", { name: "x", definition: all(ev("signup", { where: [{ property: "plan", op: "eq" }] })) }],
    [
      "a step that does not exist",
      { name: "x", definition: all({ type: "funnel_step", steps: [{ event: "a" }, { event: "b" }], reached: 3, window_seconds: 60 }) },
    ],
  ])("answers 400 invalid_segment for %s", async (_n, body) => {
    const res = await call("POST", "", body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_segment");
  });

  const reversed = {
    match: "all",
    conditions: [{ type: "event", event: "x", from: "2026-12-01T00:00:00Z", to: "2026-11-01T00:00:00Z" }],
  };
  const never = { conditions: [{ type: "reachable" }, { type: "last_seen", within_days: 5, more_than_days: 10 }] };
  const stepPastSteps = all({ type: "funnel_step", steps: [{ event: "a" }, { event: "b" }], reached: 3, window_seconds: 60 });

  it.each([
    ["an event range whose from is after its to", reversed, "conditions.0.from", "from must be before to"],
    [
      "a last_seen that can never hold (more_than_days >= within_days)",
      never,
      "conditions.1.more_than_days",
      "more_than_days must be less",
    ],
    ["a funnel step past its steps", stepPastSteps, "conditions.0.reached", "reached must be a step of steps"],
  ])("answers 400 invalid_segment naming the field for %s, in the request's own path", async (_n, definition, path, message) => {
    const detail = [{ path, message: expect.stringContaining(message) }];
    const preview = await call("POST", "/preview", definition, project.auth);
    expect([preview.status, preview.body.error, preview.body.details]).toEqual([400, "invalid_segment", detail]);
    const saved = await call("POST", "", { name: "x", definition });
    const saveDetail = [{ path: `definition.${path}`, message: expect.stringContaining(message) }];
    expect([saved.status, saved.body.error, saved.body.details]).toEqual([400, "invalid_segment", saveDetail]);
    const id = (await call("POST", "", { name: "ok", definition: all(ev("signup")) })).body.id;
    const replaced = await call("PUT", `/${id}`, { name: "x", definition });
    expect([replaced.status, replaced.body.details]).toEqual([400, saveDetail]);
  });

  it("accepts a last_seen window of people seen lately but not in the last few days", async () => {
    const res = await call("POST", "/preview", { conditions: [{ type: "last_seen", within_days: 10, more_than_days: 5 }] }, project.auth);
    expect(res.status).toBe(200);
  });

  it("a read token may preview but not save", async () => {
    expect((await call("POST", "", { name: "x", definition: all(ev("signup")) }, project.auth)).status).toBe(403);
  });
});
