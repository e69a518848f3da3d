import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { errorSchema, overviewSchema, shareCreatedSchema, shareRevokedSchema, sharesSchema } from "../../workers/contract";
import { ADMIN, BASE, readJson } from "./helpers";
import { newProject } from "./stats-fixture";

/** Share links: read-only, one project, revocable (the scope table itself is test/workers/api-auth.test.ts). */
let project: Awaited<ReturnType<typeof newProject>>;
let other: Awaited<ReturnType<typeof newProject>>;

const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
  SELF.fetch(`${BASE}/api/projects/${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

beforeAll(async () => {
  project = await newProject("share");
  other = await newProject("share-other");
});

describe("share links", () => {
  it("an admin creates one; it reads the project's dashboard and nothing else", async () => {
    const res = await call("POST", `${project.id}/shares`, ADMIN, { name: "Board", view: "#/overview?range=30d" });
    expect(res.status).toBe(201);
    const share = await readJson(res, shareCreatedSchema);
    expect(share).toMatchObject({ name: "Board", view: "#/overview?range=30d", revoked_at: null });
    const url = new URL(share.url);
    expect(url.searchParams.get("project")).toBe(project.id);
    expect(url.searchParams.get("share")).toBe(share.token);
    expect(url.hash).toBe("#/overview?range=30d");

    const token = bearer(share.token);
    const overview = await call("GET", `${project.id}/stats/overview`, token);
    expect(overview.status).toBe(200);
    await readJson(overview, overviewSchema);
    // No change, no other project, no share management.
    for (const [method, path, body] of [
      ["POST", `${project.id}/funnels`, { name: "x", steps: [{ event: "a" }, { event: "b" }] }],
      ["GET", `${other.id}/stats/overview`, undefined],
      ["GET", `${project.id}/shares`, undefined],
      ["POST", `${project.id}/shares`, {}],
      ["GET", `${project.id}/tokens`, undefined],
    ] as const) {
      const r = await call(method, path, token, body);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect((await readJson(r, errorSchema)).error).toBe("forbidden");
    }
  });

  it("lists links without their tokens, and a revoked link answers 401", async () => {
    const share = await readJson(await call("POST", `${project.id}/shares`, ADMIN), shareCreatedSchema);
    expect(share.view).toBeNull();
    expect(new URL(share.url).hash).toBe("#/overview");
    const list = await readJson(await call("GET", `${project.id}/shares`, ADMIN), sharesSchema);
    expect(list.shares.map((s) => s.id)).toContain(share.id);
    expect(JSON.stringify(list)).not.toContain(share.token);

    expect((await call("GET", `${project.id}/stats/overview`, bearer(share.token))).status).toBe(200);
    const revoked = await call("DELETE", `${project.id}/shares/${share.id}`, ADMIN);
    expect(await readJson(revoked, shareRevokedSchema)).toEqual({ revoked: share.id });
    const after = await call("GET", `${project.id}/stats/overview`, bearer(share.token));
    expect(after.status).toBe(401);
    expect((await readJson(after, errorSchema)).error).toBe("unauthorized");
    const listed = await readJson(await call("GET", `${project.id}/shares`, ADMIN), sharesSchema);
    expect(listed.shares.find((s) => s.id === share.id)?.revoked_at).not.toBeNull();
    expect((await call("DELETE", `${project.id}/shares/${share.id}`, ADMIN)).status).toBe(404);
  });

  it("opens the dashboard the admin created it from, never an origin that is not allowed", async () => {
    const origin = async (headers: Record<string, string>) =>
      new URL((await readJson(await call("POST", `${project.id}/shares`, { ...ADMIN, ...headers }), shareCreatedSchema)).url).origin;
    // No Origin (curl): the Worker itself, which serves the dashboard at `/`.
    expect(await origin({})).toBe(BASE);
    // The Worker's own dashboard, and a dashboard origin DASHBOARD_ORIGIN admits (wrangler.toml: Vite's).
    expect(await origin({ origin: BASE })).toBe(BASE);
    expect(await origin({ origin: "http://localhost:5173" })).toBe("http://localhost:5173");
    // Any other origin falls back to the Worker's own.
    expect(await origin({ origin: "https://evil.example" })).toBe(BASE);
  });

  it("refuses a view that is not a dashboard hash, and links of another project", async () => {
    const bad = await call("POST", `${project.id}/shares`, ADMIN, { view: "https://evil.example/" });
    expect(bad.status).toBe(400);
    expect((await readJson(bad, errorSchema)).error).toBe("invalid_token");
    const share = await readJson(await call("POST", `${project.id}/shares`, ADMIN), shareCreatedSchema);
    expect((await call("DELETE", `${other.id}/shares/${share.id}`, ADMIN)).status).toBe(404);
  });
});
