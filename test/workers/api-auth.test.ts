import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, BASE } from "./helpers";

// Every authenticated route, once. `ok` is the status its owner gets with a valid request.
const P = "auth-own";
const funnel = { steps: [{ event: "page_view" }, { event: "return_started" }], window: 3600 };
const ROUTES: { method: string; path: string; body?: unknown; ok: number; adminOnly?: boolean }[] = [
  { method: "GET", path: `/api/projects/${P}/events`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/timeline?anonymous_id=a1`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/handshakes/stats`, ok: 200 },
  { method: "POST", path: `/api/handshakes`, body: { project: P, external_id: "+254700000123" }, ok: 201 },
  { method: "GET", path: `/api/projects/${P}/webhooks/deliveries`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/stats/overview`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/stats/breakdown?dimension=path`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/funnels`, ok: 200 },
  { method: "POST", path: `/api/projects/${P}/funnels`, body: { name: "Auth", ...funnel }, ok: 201 },
  { method: "POST", path: `/api/projects/${P}/funnels/query`, body: funnel, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/whatsapp/overview`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/whatsapp/growth`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/whatsapp/delivery`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/whatsapp/peak-hours`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/agents`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/agents/queue`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/export/events.csv`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/export/conversations.csv`, ok: 200 },
  { method: "GET", path: `/api/projects/${P}/live/snapshot`, ok: 200 },
  { method: "GET", path: `/api/dead-letters`, ok: 200, adminOnly: true },
  { method: "POST", path: `/api/projects/${P}/sketches/rebuild`, ok: 200, adminOnly: true },
  { method: "POST", path: `/api/projects`, body: { id: "auth-made", name: "Made" }, ok: 201, adminOnly: true },
];

const tokens: Record<string, string> = {};

async function call(route: (typeof ROUTES)[number], token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await SELF.fetch(`${BASE}${route.path}`, { method: route.method, headers, body: route.body ? JSON.stringify(route.body) : undefined });
  const text = await res.text();
  return { status: res.status, text };
}

beforeAll(async () => {
  for (const id of [P, "auth-other"]) {
    const res = await SELF.fetch(`${BASE}/api/projects`, { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ id, name: id }) });
    tokens[id] = (await res.json<{ read_token: string }>()).read_token;
  }
});

describe.each(ROUTES)("$method $path", (route) => {
  it("answers 401 with a JSON error without a token, and with an unknown one", async () => {
    for (const token of [undefined, "not-a-token"]) {
      const { status, text } = await call(route, token);
      expect(status).toBe(401);
      expect(JSON.parse(text)).toMatchObject({ error: "unauthorized" });
    }
  });

  it("answers 403 to another project's read token", async () => {
    const { status, text } = await call(route, tokens["auth-other"]);
    expect(status).toBe(403);
    expect(JSON.parse(text)).toMatchObject({ error: "forbidden" });
  });

  it(route.adminOnly ? "answers 403 to the project's own read token" : "serves the project's own read token", async () => {
    const { status } = await call(route, tokens[P]);
    expect(status).toBe(route.adminOnly ? 403 : route.ok);
  });

  it("serves the admin token", async () => {
    expect((await call(route, ADMIN.authorization.slice(7))).status).toBe(route.ok);
  });
});
