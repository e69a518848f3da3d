import { env, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { ERROR_CODES, ERROR_DETAILS, errorSchema, savedFunnelSchema, type ErrorCode } from "../../workers/contract";
import { ADMIN, BASE, batch, capture, readJson, webEvent } from "./helpers";
import { postCrm, postMeta } from "./webhooks-helpers";
import apiDoc from "../../docs/api.md?raw";

const READ = { authorization: "Bearer demo-read-token" };
const WRITE = { authorization: "Bearer demo-write-token" };
const get = (path: string, headers: Record<string, string> = READ) => SELF.fetch(`${BASE}${path}`, { headers });
const post = (path: string, body: unknown, headers: Record<string, string> = READ) =>
  SELF.fetch(`${BASE}${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });
const twilio = (headers: Record<string, string>) =>
  SELF.fetch(`${BASE}/webhooks/twilio/inbound`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: "From=whatsapp%3A%2B14155550123&Body=hi",
  });

let funnelId = "";
let unreplayable = 0;

beforeAll(async () => {
  const saved = await post("/api/projects/demo/funnels", { name: "errors", steps: [{ event: "page_view" }, { event: "signup" }] }, WRITE);
  funnelId = (await readJson(saved, savedFunnelSchema)).id;
  const strict = await post("/api/projects", { id: "errors-strict", name: "Strict", allowed_origins: ["https://tax.example"] }, ADMIN);
  expect(strict.status).toBe(201);
  // A dead letter whose body is not JSON cannot be replayed (the consumer stores what it could not parse as text).
  const row = await env.DB.prepare(
    "INSERT INTO dead_letters (queue, message_id, body, error, attempts, failed_at) VALUES ('events', 'm-errors', 'not json', 'unparseable', 3, ?) RETURNING id",
  )
    .bind(Date.now())
    .first<{ id: number }>();
  unreplayable = row!.id;
});

/** One request per code that answers it. */
const TRIGGERS: Partial<Record<ErrorCode, () => Promise<Response>>> = {
  invalid_json: () => capture("{oops"),
  value_too_deep: () => capture(`{"project":"demo","deep":${"[".repeat(100)}${"]".repeat(100)}}`),
  invalid_batch: () => capture({ project: "demo" }),
  invalid_query: () => get("/api/projects/demo/events?limit=0"),
  invalid_range: () => get("/api/projects/demo/stats/overview?from=2026-01-02&to=2026-01-01"),
  invalid_dimension: () => get("/api/projects/demo/stats/breakdown?dimension=shoe_size"),
  invalid_breakdown: () => get(`/api/projects/demo/funnels/${funnelId}?breakdown=shoe_size`),
  invalid_cursor: () => get("/api/projects/demo/events?cursor=not-a-cursor"),
  invalid_funnel: () => post("/api/projects/demo/funnels/query", { steps: [] }),
  invalid_handshake: () => post("/api/handshakes", { project: "demo", external_id: "not a phone" }, WRITE),
  invalid_project: () => post("/api/projects", { id: "Not Valid" }, ADMIN),
  invalid_token: () => post("/api/projects/demo/tokens", { scope: "owner" }, ADMIN),
  invalid_segment: () => post("/api/projects/demo/segments/preview", { conditions: [] }),
  invalid_sla_policy: () => post("/api/projects/demo/sla/policies", { name: "no target" }, WRITE),
  invalid_import: () =>
    SELF.fetch(`${BASE}/api/projects/demo/contacts/import`, {
      method: "POST",
      headers: { ...WRITE, "content-type": "text/csv" },
      body: "name\nA\n",
    }),
  invalid_automation: () => post("/api/projects/demo/automations", { name: "x", trigger: { type: "event" }, actions: [] }, WRITE),
  automation_not_found: () => get("/api/projects/demo/automations/no-such-automation"),
  invalid_id: () => post("/api/dead-letters/abc/replay", {}, ADMIN),
  invalid_payload: () => postMeta(JSON.stringify({ object: 5 })),
  no_valid_events: () => capture(batch([{ event: "page_view" }])),
  rollups_unavailable: () => get("/api/projects/demo/stats/overview?source=rollups&path=/pricing&country=KE"),
  too_many_buckets: () => get("/api/projects/demo/stats/overview?interval=hour&from=2025-01-01&to=2025-12-31"),
  analytics_engine_not_configured: () => get("/api/projects/demo/stats/overview?source=ae"),
  missing_twilio_signature: () => twilio({}),
  bad_twilio_signature: () => twilio({ "x-twilio-signature": "AAAAAAAAAAAAAAAAAAAAAAAAAAA=" }),
  unauthorized: () => get("/api/projects/demo/events", {}),
  missing_signature: () =>
    SELF.fetch(`${BASE}/webhooks/meta`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
  bad_signature: () => postMeta("{}", "another-secret"),
  stale_timestamp: () => postCrm({ events: [] }, { timestamp: Math.floor(Date.now() / 1000) - 3600 }),
  forbidden: () => get("/api/dead-letters"),
  bad_verify_token: () => get("/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", {}),
  unknown_capture_project: () => capture(batch([webEvent()], "no-such-project")),
  origin_not_allowed: () => capture(batch([webEvent()], "errors-strict"), { headers: { origin: "https://evil.example" } }),
  unknown_project: () => get("/api/projects/no-such-project/events", ADMIN),
  not_found: () => get("/no/such/route", {}),
  segment_not_found: () => get("/api/projects/demo/segments/no-such-segment"),
  sla_policy_not_found: () => get("/api/projects/demo/sla/policies/no-such-policy"),
  funnel_not_found: () => get("/api/projects/demo/funnels/no-such-funnel"),
  invalid_template: () => post("/api/projects/demo/templates", { name: "Not A Name" }, WRITE),
  invalid_campaign: () => post("/api/projects/demo/campaigns", { name: "" }, WRITE),
  template_not_found: () => get("/api/projects/demo/templates/no-such-template"),
  campaign_not_found: () => get("/api/projects/demo/campaigns/no-such-campaign"),
  template_exists: async () => {
    const t = { name: `dup_${crypto.randomUUID().slice(0, 8)}`, language: "en", category: "UTILITY", components: [{ type: "body" }] };
    await post("/api/projects/demo/templates", t, WRITE);
    return post("/api/projects/demo/templates", t, WRITE);
  },
  campaign_state: async () => {
    // A cancelled draft cannot be cancelled again.
    const t = await post(
      "/api/projects/demo/templates",
      { name: `state_${crypto.randomUUID().slice(0, 8)}`, language: "en", category: "UTILITY", components: [{ type: "body" }] },
      WRITE,
    );
    const s = await post(
      "/api/projects/demo/segments",
      { name: "state", definition: { conditions: [{ type: "reachable", value: true }] } },
      WRITE,
    );
    const c = await post(
      "/api/projects/demo/campaigns",
      { name: "state", segment_id: ((await s.json()) as { id: string }).id, template_id: ((await t.json()) as { id: string }).id },
      WRITE,
    );
    const id = ((await c.json()) as { id: string }).id;
    await post(`/api/projects/demo/campaigns/${id}/cancel`, {}, WRITE);
    return post(`/api/projects/demo/campaigns/${id}/cancel`, {}, WRITE);
  },
  not_replayable: () => post(`/api/dead-letters/${unreplayable}/replay`, {}, ADMIN),
  payload_too_large: () => capture(batch([webEvent({ properties: { pad: "x".repeat(300_000) } })])),
  upgrade_required: () => get("/api/projects/demo/live"),
  rate_limited: async () => {
    // The test limit is 20 requests a minute per client and project.
    for (let i = 0; i < 20; i++) await capture(batch([webEvent()]), { ip: "192.0.2.201" });
    return capture(batch([webEvent()]), { ip: "192.0.2.201" });
  },
};

/** Codes no request can provoke here, and why; each still has its one status in the table. */
const UNREACHABLE: Partial<Record<ErrorCode, string>> = {
  funnel_too_large: "needs over 500,000 people entering a funnel",
  unsupported_filter: "needs Analytics Engine credentials (source=ae answers analytics_engine_not_configured first)",
  unsupported_dimension: "needs Analytics Engine credentials",
  analytics_engine_error: "needs Analytics Engine to fail",
  internal_error: "only a bug produces it",
  not_configured: "every webhook secret is configured in the test environment",
  queue_unavailable: "needs the events Queue to refuse a send",
};

describe("error codes", () => {
  it("each code is either provoked below or named as unreachable, never both", () => {
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[])
      expect(Boolean(TRIGGERS[code]) !== Boolean(UNREACHABLE[code]), code).toBe(true);
  });

  it("docs/api.md lists every code with its status", () => {
    for (const [code, def] of Object.entries(ERROR_CODES)) expect(apiDoc, code).toContain(`| \`${code}\` | ${def.status} |`);
  });

  it.each(Object.keys(TRIGGERS) as ErrorCode[])("%s answers its one status with the envelope and its details shape", async (code) => {
    const res = await TRIGGERS[code]!();
    const body = await readJson(res, errorSchema);
    expect(body.error).toBe(code);
    expect(res.status).toBe(ERROR_CODES[code].status);
    const details = ERROR_DETAILS[ERROR_CODES[code].details].safeParse(body.details);
    expect(details.success, JSON.stringify(body.details)).toBe(true);
  });
});
