import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { BASE } from "./helpers";
import { getJson, ingest, newProject } from "./stats-fixture";

let a: Awaited<ReturnType<typeof newProject>>;
let b: Awaited<ReturnType<typeof newProject>>;
let funnelId: string;

// Every stats, funnel and export route: [method, path under /api/projects/:p, body].
const ROUTES: [string, string, unknown?][] = [
  ["GET", "stats/overview"],
  ["GET", "stats/breakdown?dimension=path"],
  ["GET", "funnels"],
  ["POST", "funnels", { name: "f", steps: [{ event: "a" }, { event: "b" }] }],
  ["POST", "funnels/query", { steps: [{ event: "a" }, { event: "b" }] }],
  ["GET", "funnels/:id"],
  ["DELETE", "funnels/:id"],
  ["GET", "export/events.csv"],
  ["GET", "export/funnel.csv?funnel_id=:id"],
];

function call(method: string, path: string, body: unknown, headers: Record<string, string>) {
  return SELF.fetch(`${BASE}/api/projects/${a.id}/${path.replace(":id", funnelId)}`, {
    method, headers: { ...headers, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

beforeAll(async () => {
  [a, b] = await Promise.all([newProject("auth-a"), newProject("auth-b")]);
  const res = await call("POST", "funnels", { name: "f", steps: [{ event: "a" }, { event: "b" }] }, a.auth);
  funnelId = (await res.json<{ id: string }>()).id;
  // Project isolation: B's traffic must never show up in A's numbers.
  await ingest(b.id, [{ name: "page_view", ts: Date.now() - 60_000, anon: "b1", session: "b1" }]);
}, 30_000);

describe("auth on every stats, funnel and export route", () => {
  it.each(ROUTES)("%s %s: 401 without a token, 403 with another project's token", async (method, path, body) => {
    const none = await call(method, path, body, {});
    expect(none.status).toBe(401);
    const other = await call(method, path, body, b.auth);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: "forbidden" });
  });

  it.each(ROUTES.filter(([m]) => m !== "DELETE"))("%s %s: answers the project's own read token", async (method, path, body) => {
    const own = await call(method, path, body, a.auth);
    expect(own.status).toBeLessThan(300);
  });

  it("never mixes another project's events into a project's stats", async () => {
    const mine = await getJson(`/api/projects/${a.id}/stats/overview`, a.auth);
    const theirs = await getJson(`/api/projects/${b.id}/stats/overview`, b.auth);
    expect(mine.body.totals.events).toBe(0);
    expect(theirs.body.totals.events).toBe(1);
  });
});
