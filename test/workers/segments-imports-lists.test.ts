import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { contactImportReportSchema, segmentPreviewSchema } from "../../workers/contract";
import { BASE, readJson } from "./helpers";
import { ingest, newProject } from "./stats-fixture";

/**
 * Segment conditions over imported traits and static lists, against hand-built people:
 *
 * | person | imported contact                                  | list |
 * | Q1     | +254711100001, tier gold, opted_in (timed)        | vip  |
 * | Q2     | 0711100002 (national) + BSUID KE.777, tier silver |      |
 * | Q3     | BSUID KE.888 only                                 | vip  |
 * | Q4     | none (web visitor q4 with a page view)            |      |
 */
let project: Awaited<ReturnType<typeof newProject>>;
const person: Record<string, string> = { Q1: "x:+254711100001", Q2: "x:+254711100002", Q3: "x:KE.888", Q4: "a:q4" };

async function members(definition: unknown): Promise<string[]> {
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/segments/preview`, {
    method: "POST",
    headers: { ...project.auth, "content-type": "application/json" },
    body: JSON.stringify(definition),
  });
  const body = await readJson(res, segmentPreviewSchema);
  const byId = Object.fromEntries(Object.entries(person).map(([k, v]) => [v, k]));
  return body.sample.map((m) => byId[m.person_id] ?? m.person_id).sort();
}

beforeAll(async () => {
  project = await newProject("seg-import");
  await SELF.fetch(`${BASE}/api/projects/${project.id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify({ default_country: "KE" }),
  });
  const rows = [
    { phone: "+254711100001", attributes: { tier: "gold" }, consent: { state: "opted_in", source: "form", at: "2026-01-01T00:00:00Z" } },
    { phone: "0711100002", bsuid: "KE.777", attributes: { tier: "silver" } },
    { bsuid: "KE.888" },
  ];
  const res = await SELF.fetch(`${BASE}/api/projects/${project.id}/contacts/import`, {
    method: "POST",
    headers: { ...project.write, "content-type": "application/json" },
    body: JSON.stringify(rows),
  });
  expect(await readJson(res, contactImportReportSchema)).toMatchObject({ imported: 3, rejected: 0 });
  await ingest(project.id, [{ name: "page_view", ts: Date.now() - 60_000, anon: "q4", session: "s4" }]);
  const add = env.DB.prepare("INSERT INTO list_members (project_id, list, person_id, added_at) VALUES (?, 'vip', ?, ?)");
  await env.DB.batch([add.bind(project.id, person.Q1, Date.now()), add.bind(project.id, person.Q3, Date.now())]);
}, 60_000);

const all = (...conditions: unknown[]) => ({ conditions });

describe("segments over imported traits and static lists", () => {
  it("reads traits and consent the import wrote, one person per linked phone and BSUID", async () => {
    expect(await members(all({ type: "trait", trait: "tier", value: "gold" }))).toEqual(["Q1"]);
    expect(await members(all({ type: "trait", trait: "tier", op: "exists" }))).toEqual(["Q1", "Q2"]);
    expect(await members(all({ type: "consent", state: "opted_in" }))).toEqual(["Q1"]);
    expect(await members(all({ type: "reachable" }))).toEqual(["Q1", "Q2", "Q3"]);
  });

  it("is or is not on a list", async () => {
    expect(await members(all({ type: "list", list: "vip" }))).toEqual(["Q1", "Q3"]);
    expect(await members(all({ type: "list", list: "vip", member: false }))).toEqual(["Q2", "Q4"]);
    expect(await members(all({ type: "list", list: "nobody" }))).toEqual([]);
    expect(
      await members({
        match: "any",
        conditions: [
          { type: "list", list: "vip" },
          { type: "trait", trait: "tier", value: "silver" },
        ],
      }),
    ).toEqual(["Q1", "Q2", "Q3"]);
  });
});
