import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { app } from "../../workers/app";
import { errorSchema, projectCreatedSchema, projectTokenCreatedSchema, TOKEN_SCOPES, type TokenScope } from "../../workers/contract";
import { ADMIN, BASE, readJson } from "./helpers";

/**
 * Access control in one table: every authenticated route, with the scopes that may call it.
 * Every caller is tried on every route: no token and an unknown token get 401, another project's
 * token 403, each scope of the project's own tokens `ok` when the route allows it and 403 when not,
 * and the admin token `ok`. A test below fails when a route exists that the table does not list.
 */
const P = "auth-own";
const READS: TokenScope[] = ["read", "write", "share"];
const ADMIN_ONLY: TokenScope[] = [];
const segment = { conditions: [{ type: "event", event: "signup" }] };
const automation = { trigger: { type: "event", event: "signup" }, actions: [{ type: "add_to_list", list: "auth" }] };
const funnel = { steps: [{ event: "page_view" }, { event: "return_started" }], window: 3600 };

type Route = { method: string; path: string; body?: unknown; ok: number; scopes: TokenScope[]; headers?: Record<string, string> };
const ROUTES: Route[] = [
  { method: "GET", path: `/api/projects/${P}/events`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/timeline?anonymous_id=a1`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/handshakes/stats`, ok: 200, scopes: READS },
  { method: "DELETE", path: `/api/projects/${P}/people?anonymous_id=a1`, ok: 200, scopes: ["privacy"] },
  { method: "POST", path: `/api/handshakes`, body: { project: P, external_id: "+254700000123" }, ok: 201, scopes: ["write", "bot"] },
  { method: "GET", path: `/api/projects/${P}/webhooks/deliveries`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/stats/overview`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/stats/breakdown?dimension=path`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/funnels`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/stats/people`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/stats/events`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/stats/values?dimension=path`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/stats/property-keys`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/stats/bots`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/funnels/nope/steps/1/people`, ok: 404, scopes: READS },
  { method: "POST", path: `/api/projects/${P}/funnels/query/steps/2/people?outcome=dropped`, body: funnel, ok: 200, scopes: READS },
  { method: "PUT", path: `/api/projects/${P}/funnels/nope`, body: { name: "Auth", ...funnel }, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/funnels/nope/duplicate`, ok: 404, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/shares`, ok: 200, scopes: ADMIN_ONLY },
  { method: "POST", path: `/api/projects/${P}/shares`, body: { name: "Board" }, ok: 201, scopes: ADMIN_ONLY },
  { method: "DELETE", path: `/api/projects/${P}/shares/nope`, ok: 404, scopes: ADMIN_ONLY },
  { method: "POST", path: `/api/projects/${P}/funnels`, body: { name: "Auth", ...funnel }, ok: 201, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/funnels/nope`, ok: 404, scopes: READS },
  { method: "DELETE", path: `/api/projects/${P}/funnels/nope`, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/funnels/query`, body: funnel, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/segments`, ok: 200, scopes: READS },
  { method: "POST", path: `/api/projects/${P}/segments`, body: { name: "Auth", definition: segment }, ok: 201, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/segments/preview`, body: segment, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/segments/nope`, ok: 404, scopes: READS },
  { method: "PUT", path: `/api/projects/${P}/segments/nope`, body: { name: "Auth", definition: segment }, ok: 404, scopes: ["write"] },
  { method: "DELETE", path: `/api/projects/${P}/segments/nope`, ok: 404, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/segments/nope/preview`, ok: 404, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/segments/nope/members.csv`, ok: 404, scopes: READS },
  {
    method: "POST",
    path: `/api/projects/${P}/contacts/import`,
    body: [{ phone: "+254700000123", name: "Auth" }],
    ok: 200,
    scopes: ["write"],
  },
  { method: "GET", path: `/api/projects/${P}/automations`, ok: 200, scopes: READS },
  { method: "POST", path: `/api/projects/${P}/automations`, body: { name: "Auth", ...automation }, ok: 201, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/automations/nope`, ok: 404, scopes: READS },
  { method: "PUT", path: `/api/projects/${P}/automations/nope`, body: { name: "Auth", ...automation }, ok: 404, scopes: ["write"] },
  { method: "DELETE", path: `/api/projects/${P}/automations/nope`, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/automations/nope/pause`, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/automations/nope/resume`, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/automations/nope/dry-run`, body: { days: 7 }, ok: 404, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/automations/nope/runs`, ok: 404, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/automations/nope/runs/r1`, ok: 404, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/overview`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/growth`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/messages-series`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/messages?figure=sent`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/contacts`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/delivery`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/peak-hours`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/peak-hours/messages?weekday=0&hour=9`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/whatsapp/bot`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/agents`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/agents/queue`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/agents/response-buckets`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/agents/availability`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/csat`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/csat/replies`, ok: 200, scopes: READS },
  { method: "PUT", path: `/api/projects/${P}/csat/replies`, body: { replies: { csat_5: 5 } }, ok: 200, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/conversations`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/business-hours`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/sla`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/sla/at-risk`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/templates`, ok: 200, scopes: READS },
  { method: "POST", path: `/api/projects/${P}/templates`, body: {}, ok: 400, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/templates/nope`, ok: 404, scopes: READS },
  { method: "PUT", path: `/api/projects/${P}/templates/nope`, body: {}, ok: 400, scopes: ["write"] },
  { method: "DELETE", path: `/api/projects/${P}/templates/nope`, ok: 404, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/campaigns/settings`, ok: 200, scopes: READS },
  { method: "PUT", path: `/api/projects/${P}/campaigns/settings`, body: { nonsense: true }, ok: 400, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/campaigns`, ok: 200, scopes: READS },
  { method: "POST", path: `/api/projects/${P}/campaigns`, body: {}, ok: 400, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/campaigns/nope`, ok: 404, scopes: READS },
  { method: "POST", path: `/api/projects/${P}/campaigns/nope/launch`, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/campaigns/nope/pause`, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/campaigns/nope/resume`, ok: 404, scopes: ["write"] },
  { method: "POST", path: `/api/projects/${P}/campaigns/nope/cancel`, ok: 404, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/campaigns/nope/results`, ok: 404, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/campaigns/nope/recipients`, ok: 404, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/sla/policies`, ok: 200, scopes: READS },
  { method: "POST", path: `/api/projects/${P}/sla/policies`, body: { name: "Auth", first_response_s: 60 }, ok: 201, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/sla/policies/nope`, ok: 404, scopes: READS },
  { method: "PUT", path: `/api/projects/${P}/sla/policies/nope`, body: { name: "Auth", first_response_s: 60 }, ok: 404, scopes: ["write"] },
  { method: "DELETE", path: `/api/projects/${P}/sla/policies/nope`, ok: 404, scopes: ["write"] },
  { method: "GET", path: `/api/projects/${P}/export/events.csv`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/export/conversations.csv`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/export/funnel.csv`, ok: 400, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/live`, ok: 426, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/live/snapshot`, ok: 200, scopes: READS },
  { method: "GET", path: `/api/projects/${P}/tokens`, ok: 200, scopes: ADMIN_ONLY },
  { method: "POST", path: `/api/projects/${P}/tokens`, body: { scope: "read" }, ok: 201, scopes: ADMIN_ONLY },
  { method: "DELETE", path: `/api/projects/${P}/tokens/nope`, ok: 404, scopes: ADMIN_ONLY },
  { method: "GET", path: `/api/dead-letters`, ok: 200, scopes: ADMIN_ONLY },
  { method: "GET", path: `/api/webhooks/unmapped`, ok: 200, scopes: ADMIN_ONLY },
  { method: "POST", path: `/api/dead-letters/replay`, ok: 202, scopes: ADMIN_ONLY },
  { method: "POST", path: `/api/dead-letters/999999999/replay`, ok: 404, scopes: ADMIN_ONLY },
  { method: "POST", path: `/api/projects/${P}/sketches/rebuild`, ok: 200, scopes: ADMIN_ONLY },
  { method: "POST", path: `/api/projects`, body: { id: "auth-made", name: "Made" }, ok: 201, scopes: ADMIN_ONLY },
  { method: "PATCH", path: `/api/projects/${P}`, body: { retention_days: 365 }, ok: 200, scopes: ADMIN_ONLY },
];

/** Routes outside the project-token model, each with the reason. */
const PUBLIC = new Set(["GET /api/openapi.json"]);

const own: Partial<Record<TokenScope, string>> = {};
let otherProject = "";

async function call(route: Route, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await SELF.fetch(`${BASE}${route.path}`, {
    method: route.method,
    headers,
    body: route.body ? JSON.stringify(route.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, text };
}

async function admin<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
  const res = await SELF.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { ...ADMIN, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return readJson(res, schema);
}

beforeAll(async () => {
  own.read = (await admin("/api/projects", { id: P, name: P }, projectCreatedSchema)).read_token;
  otherProject = (await admin("/api/projects", { id: "auth-other", name: "other" }, projectCreatedSchema)).read_token;
  for (const scope of TOKEN_SCOPES.filter((s) => s !== "read")) {
    own[scope] = (await admin(`/api/projects/${P}/tokens`, { scope, name: `auth ${scope}` }, projectTokenCreatedSchema)).token;
  }
});

/** `/api/projects/x/funnels/y` → the pattern Hono registered, `/api/projects/:project/funnels/:id`. */
function matches(pattern: string, path: string) {
  const re = new RegExp(`^${pattern.replace(/\/:[^/]+/g, "/[^/]+")}$`);
  return re.test(path.split("?")[0]);
}

describe("the route table", () => {
  it("lists every authenticated route the Worker serves", () => {
    const served = [
      ...new Set(
        app.routes
          .filter((r) => r.path.startsWith("/api") && r.method !== "ALL" && !r.path.endsWith("*"))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ];
    const missing = served.filter((s) => {
      const [method, pattern] = s.split(" ");
      return !PUBLIC.has(s) && !ROUTES.some((r) => r.method === method && matches(pattern, r.path));
    });
    expect(missing).toEqual([]);
    expect(served.length).toBeGreaterThanOrEqual(ROUTES.length);
  });
});

/** What `caller` must get from `route`: its status, and the JSON error when refused. */
function expected(route: Route, caller: Caller): { status: number; error?: string } {
  if (caller.kind === "none" || caller.kind === "unknown") return { status: 401, error: "unauthorized" };
  if (caller.kind === "other") return { status: 403, error: "forbidden" };
  if (caller.kind === "admin") return { status: route.ok };
  return route.scopes.includes(caller.scope) ? { status: route.ok } : { status: 403, error: "forbidden" };
}

type Caller = { kind: "none" } | { kind: "unknown" } | { kind: "other" } | { kind: "admin" } | { kind: "scope"; scope: TokenScope };
const CALLERS: Caller[] = [
  { kind: "none" },
  { kind: "unknown" },
  { kind: "other" },
  ...TOKEN_SCOPES.map((scope) => ({ kind: "scope" as const, scope })),
  { kind: "admin" },
];
const tokenOf = (c: Caller) =>
  c.kind === "none"
    ? undefined
    : c.kind === "unknown"
      ? "not-a-token"
      : c.kind === "other"
        ? otherProject
        : c.kind === "admin"
          ? ADMIN.authorization.slice(7)
          : own[c.scope];
const nameOf = (c: Caller) => (c.kind === "scope" ? `a ${c.scope} token` : `${c.kind} token`);

// One test per route, its callers side by side: the refusals first (they change nothing), then the
// callers the route serves one after another, as a route may create or delete what it names.
describe.each(ROUTES)("$method $path", (route) => {
  it("answers every caller as its scope allows: 401 without a valid token, 403 for another project or scope", async () => {
    const refused = CALLERS.filter((c) => expected(route, c).error);
    const served = CALLERS.filter((c) => !expected(route, c).error);
    const got = await Promise.all(refused.map((c) => call(route, tokenOf(c))));
    for (const c of served) got.push(await call(route, tokenOf(c)));
    [...refused, ...served].forEach((c, i) => {
      const want = expected(route, c);
      expect(got[i].status, `${nameOf(c)}: ${got[i].text.slice(0, 200)}`).toBe(want.status);
      if (want.error) expect(errorSchema.parse(JSON.parse(got[i].text)), nameOf(c)).toMatchObject({ error: want.error });
    });
  });
});
