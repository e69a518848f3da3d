import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, BASE } from "./helpers";

/** A dashboard served from another origin (`DASHBOARD_ORIGIN`) may call /api; other origins may not. */
const ORIGIN = env.DASHBOARD_ORIGIN.split(",")[0];

describe("CORS for the dashboard origin", () => {
  it("answers a preflight from the dashboard origin before authentication", async () => {
    const res = await SELF.fetch(`${BASE}/api/projects/demo/stats/overview`, {
      method: "OPTIONS",
      headers: { origin: ORIGIN, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
    expect(res.headers.get("access-control-allow-methods")).toContain("PUT");
  });

  it("marks answers (errors included) readable by the dashboard origin", async () => {
    const ok = await SELF.fetch(`${BASE}/api/projects/demo/stats/overview`, { headers: { ...ADMIN, origin: ORIGIN } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    const denied = await SELF.fetch(`${BASE}/api/projects/demo/stats/overview`, { headers: { origin: ORIGIN } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get("access-control-allow-origin")).toBe(ORIGIN);
  });

  it("admits no other origin", async () => {
    const res = await SELF.fetch(`${BASE}/api/projects/demo/stats/overview`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const get = await SELF.fetch(`${BASE}/api/projects/demo/stats/overview`, { headers: { ...ADMIN, origin: "https://evil.example" } });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });
});
