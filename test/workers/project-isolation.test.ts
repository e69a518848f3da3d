import { beforeAll, describe, expect, it } from "vitest";
import { overviewSchema } from "../../workers/contract";
import { getJson, ingest, newProject } from "./stats-fixture";

let a: Awaited<ReturnType<typeof newProject>>;
let b: Awaited<ReturnType<typeof newProject>>;

beforeAll(async () => {
  [a, b] = await Promise.all([newProject("auth-a"), newProject("auth-b")]);
  // Project isolation: B's traffic must never show up in A's numbers.
  await ingest(b.id, [{ name: "page_view", ts: Date.now() - 60_000, anon: "b1", session: "b1" }]);
}, 30_000);

describe("project isolation", () => {
  it("never mixes another project's events into a project's stats", async () => {
    const mine = await getJson(`/api/projects/${a.id}/stats/overview`, a.auth, overviewSchema);
    const theirs = await getJson(`/api/projects/${b.id}/stats/overview`, b.auth, overviewSchema);
    expect(mine.body.totals.events).toBe(0);
    expect(theirs.body.totals.events).toBe(1);
  });
});
