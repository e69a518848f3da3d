import { env, introspectWorkflow, SELF } from "cloudflare:test";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  automationCreatedSchema,
  automationDryRunSchema,
  automationRunDetailSchema,
  automationRunsSchema,
  automationSchema,
  errorSchema,
  segmentPreviewSchema,
} from "../../workers/contract";
import { BASE, batch, capture, readJson, waitFor, webEvent } from "./helpers";
import { ingest, newProject } from "./stats-fixture";

const receiver = inject("receiverUrl");
let project: Awaited<ReturnType<typeof newProject>>;

const api = (method: string, path: string, body?: unknown, headers = project.write) =>
  SELF.fetch(`${BASE}/api/projects/${project.id}${path}`, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function create(def: Record<string, unknown>) {
  const res = await api("POST", "/automations", { name: "test", ...def });
  expect(res.status).toBe(201);
  return readJson(res, automationCreatedSchema);
}

const runs = async (id: string) =>
  (await readJson(await api("GET", `/automations/${id}/runs`, undefined, project.auth), automationRunsSchema)).runs;
const run = async (id: string, runId: string) =>
  readJson(await api("GET", `/automations/${id}/runs/${runId}`, undefined, project.auth), automationRunDetailSchema);
/** Waits until the automation has `n` runs all in a final state. */
const settled = (id: string, n: number) =>
  waitFor(async () => {
    const r = await runs(id);
    return r.length === n && r.every((x) => x.finished_at !== null) && r;
  }, 20_000);
const calls = async (prefix: string) =>
  (await (await fetch(`${receiver}/__calls?prefix=${encodeURIComponent(prefix)}`)).json()) as {
    path: string;
    headers: Record<string, string>;
    body: string;
  }[];

async function hmacHex(secret: string, body: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

beforeAll(async () => {
  project = await newProject("automations");
});

describe("event triggers", () => {
  it("runs a signed webhook for each matching event, once per trigger event, and logs every step", async () => {
    const hook = `/hook/${crypto.randomUUID()}`;
    const a = await create({
      trigger: { type: "event", event: "checkout_started", where: [{ property: "plan", op: "eq", value: "pro" }] },
      actions: [{ type: "webhook", url: receiver + hook }],
    });
    const dup = webEvent({ event: "checkout_started", anonymous_id: "anon-hook-1", properties: { plan: "pro" } });
    // The same event twice (a retried request) and a non-matching one.
    for (const body of [
      batch([dup], project.id),
      batch([dup], project.id),
      batch([webEvent({ event: "checkout_started", anonymous_id: "anon-hook-2", properties: { plan: "free" } })], project.id),
    ]) {
      expect((await capture(body)).status).toBe(202);
    }
    const [r] = await settled(a.id, 1);
    expect(r).toMatchObject({ person_id: "a:anon-hook-1", trigger_key: `event:${dup.event_id}`, status: "completed" });
    const got = await calls(hook);
    expect(got.length).toBe(1);
    expect(got[0]!.headers["x-junction-signature"]).toBe("sha256=" + (await hmacHex(a.secret, got[0]!.body)));
    expect(got[0]!.headers["idempotency-key"]).toBe(`${r!.id}:0`);
    expect(JSON.parse(got[0]!.body)).toMatchObject({
      type: "automation.run",
      automation: { id: a.id },
      person: { person_id: "a:anon-hook-1" },
      trigger: { event: "checkout_started", properties: { plan: "pro" } },
    });
    const detail = await run(a.id, r!.id);
    expect(detail.steps.map((s) => [s.name, s.status])).toEqual([["action 1: webhook", "ok"]]);
  });

  it("cancels a waiting run when the person does the awaited event first: no action", async () => {
    const hook = `/hook/${crypto.randomUUID()}`;
    const a = await create({
      trigger: { type: "event", event: "order_placed" },
      wait: { type: "until_event", event: "payment_completed", timeout_seconds: 172_800 },
      actions: [{ type: "webhook", url: receiver + hook }],
    });
    await ingest(project.id, [{ name: "order_placed", ts: Date.now(), anon: "anon-pay", session: "s-pay" }]);
    const [waiting] = await waitFor(async () => {
      const r = await runs(a.id);
      return r[0]?.status === "waiting" && r;
    }, 20_000);
    await ingest(project.id, [{ name: "payment_completed", ts: Date.now(), anon: "anon-pay", session: "s-pay" }]);
    const [done] = await settled(a.id, 1);
    expect(done).toMatchObject({ id: waiting!.id, status: "cancelled", reason: "payment_completed happened" });
    expect((await run(a.id, done!.id)).steps).toEqual([expect.objectContaining({ name: "wait", status: "cancelled" })]);
    expect(await calls(hook)).toEqual([]);
  });

  it("acts when the wait times out: sets a trait and adds the person to a list a segment reads", async () => {
    await using introspector = await introspectWorkflow(env.AUTOMATIONS);
    await introspector.modifyAll(async (m) => {
      await m.forceEventTimeout({ name: "wait" });
    });
    const phone = "+254799000001";
    // A template whose variable the person has no value for: the send is skipped, never sent with a gap.
    const made = await api("POST", "/templates", {
      name: "reminder",
      language: "en",
      category: "UTILITY",
      components: [{ type: "body", variables: [{ from: "trait", key: "quote_total" }] }],
    });
    expect(made.status).toBe(201);
    const reminder = ((await made.json()) as { id: string }).id;
    const a = await create({
      trigger: { type: "event", event: "quote_sent" },
      wait: { type: "until_event", event: "quote_accepted", timeout_seconds: 3600 },
      actions: [
        { type: "set_trait", trait: "followed_up", value: true },
        { type: "add_to_list", list: "quote_chasers" },
        { type: "send_template", template_id: reminder },
      ],
    });
    await ingest(project.id, [{ name: "quote_sent", ts: Date.now(), channel: "whatsapp", ext: phone }]);
    const [r] = await settled(a.id, 1);
    expect(r).toMatchObject({ person_id: `x:${phone}`, status: "completed" });
    const steps = (await run(a.id, r!.id)).steps.map((s) => [s.name, s.status]);
    expect(steps).toEqual([
      ["wait", "ok"],
      ["action 1: set_trait", "ok"],
      ["action 2: add_to_list", "ok"],
      ["action 3: send_template", "skipped"],
    ]);
    const contact = await env.DB.prepare("SELECT attributes FROM contacts WHERE project_id = ? AND external_id = ?")
      .bind(project.id, phone)
      .first<{ attributes: string }>();
    expect(JSON.parse(contact!.attributes)).toMatchObject({ followed_up: true });
    const preview = await api("POST", "/segments/preview", { conditions: [{ type: "list", list: "quote_chasers" }] }, project.auth);
    const members = await readJson(preview, segmentPreviewSchema);
    expect(members.sample.map((m) => m.person_id)).toEqual([`x:${phone}`]);
  });

  it("waits a fixed delay before acting", async () => {
    await using introspector = await introspectWorkflow(env.AUTOMATIONS);
    await introspector.modifyAll(async (m) => {
      await m.disableSleeps();
    });
    const a = await create({
      trigger: { type: "event", event: "cart_abandoned" },
      wait: { type: "delay", seconds: 7200 },
      actions: [{ type: "add_to_list", list: "carts" }],
    });
    await ingest(project.id, [{ name: "cart_abandoned", ts: Date.now(), anon: "anon-cart", session: "s" }]);
    const [r] = await settled(a.id, 1);
    expect((await run(a.id, r!.id)).steps.map((x) => [x.name, x.status, x.detail])).toEqual([
      ["wait", "ok", "7200 s"],
      ["action 1: add_to_list", "ok", "on list carts"],
    ]);
  });

  it("starts nothing while paused, and again after resume", async () => {
    const hook = `/hook/${crypto.randomUUID()}`;
    const a = await create({ trigger: { type: "event", event: "trial_ended" }, actions: [{ type: "webhook", url: receiver + hook }] });
    expect((await readJson(await api("POST", `/automations/${a.id}/pause`), automationSchema)).status).toBe("paused");
    await ingest(project.id, [{ name: "trial_ended", ts: Date.now(), anon: "anon-paused", session: "s" }]);
    expect(await runs(a.id)).toEqual([]);
    expect((await readJson(await api("POST", `/automations/${a.id}/resume`), automationSchema)).status).toBe("active");
    await ingest(project.id, [{ name: "trial_ended", ts: Date.now(), anon: "anon-resumed", session: "s" }]);
    const [r] = await settled(a.id, 1);
    expect(r!.person_id).toBe("a:anon-resumed");
    expect((await calls(hook)).length).toBe(1);
  });

  it("keeps handing events to the project's other automations when one is unreadable", async () => {
    const hook = `/hook/${crypto.randomUUID()}`;
    await env.DB.prepare(
      `INSERT INTO automations (id, project_id, name, status, definition, trigger_kind, trigger_event, secret, max_runs_per_hour, created_at, updated_at)
       VALUES (?, ?, 'broken', 'active', '{not json', 'event', 'lead_created', 's', 10, ?, ?)`,
    )
      .bind(crypto.randomUUID(), project.id, Date.now(), Date.now())
      .run();
    const a = await create({ trigger: { type: "event", event: "lead_created" }, actions: [{ type: "webhook", url: receiver + hook }] });
    await ingest(project.id, [{ name: "lead_created", ts: Date.now(), anon: "anon-lead", session: "s" }]);
    const [r] = await settled(a.id, 1);
    expect(r!.status).toBe("completed");
    expect((await calls(hook)).length).toBe(1);
  });

  it("records triggers past the hourly limit as rate_limited, without running them", async () => {
    const hook = `/hook/${crypto.randomUUID()}`;
    const a = await create({
      trigger: { type: "event", event: "sla_breached" },
      max_runs_per_hour: 2,
      actions: [{ type: "webhook", url: receiver + hook }],
    });
    await ingest(
      project.id,
      ["x1", "x2", "x3"].map((anon) => ({ name: "sla_breached", ts: Date.now(), anon, session: "s" })),
    );
    const r = await settled(a.id, 3);
    expect(r.map((x) => x.status).sort()).toEqual(["completed", "completed", "rate_limited"]);
    expect((await calls(hook)).length).toBe(2);
  });
});

describe("actions that call out, conditions and erasure", () => {
  it("hands off through a signed CRM call, and fails the run after the retries of a refused webhook", async () => {
    await using introspector = await introspectWorkflow(env.AUTOMATIONS);
    await introspector.modifyAll(async (m) => {
      await m.disableRetryDelays();
    });
    const crm = `/crm/${crypto.randomUUID()}`;
    const refused = `/status/503/${crypto.randomUUID()}`;
    const phone = "+254799000002";
    const a = await create({
      trigger: { type: "event", event: "agent_requested" },
      actions: [
        { type: "handoff", url: receiver + crm, note: "asked for a human" },
        { type: "webhook", url: receiver + refused },
        { type: "add_to_list", list: "never_reached" },
      ],
    });
    await ingest(project.id, [{ name: "agent_requested", ts: Date.now(), channel: "whatsapp", ext: phone }]);
    const [r] = await settled(a.id, 1);
    expect(r).toMatchObject({ status: "failed", reason: "action 2: webhook failed" });
    const steps = (await run(a.id, r!.id)).steps.map((x) => [x.name, x.status]);
    expect(steps).toEqual([
      ["action 1: handoff", "ok"],
      ["action 2: webhook", "failed"],
    ]);
    const [handoff] = await calls(crm);
    expect(handoff!.headers["x-junction-signature"]).toBe("sha256=" + (await hmacHex(a.secret, handoff!.body)));
    expect(JSON.parse(handoff!.body)).toMatchObject({
      type: "automation.handoff",
      conversation_id: `wa:${project.id}:${phone}`,
      note: "asked for a human",
      person: { whatsapp: phone },
    });
    // One attempt and three retries, each with the same idempotency key.
    const tries = await calls(refused);
    expect(tries.length).toBe(4);
    expect(new Set(tries.map((t) => t.headers["idempotency-key"]))).toEqual(new Set([`${r!.id}:1`]));
  });

  it("skips a person who does not meet the conditions when the actions are due", async () => {
    const hook = `/hook/${crypto.randomUUID()}`;
    const a = await create({
      trigger: { type: "event", event: "plan_viewed" },
      conditions: { conditions: [{ type: "consent", state: "opted_in" }] },
      actions: [{ type: "webhook", url: receiver + hook }],
    });
    await ingest(project.id, [{ name: "plan_viewed", ts: Date.now(), channel: "whatsapp", ext: "+254799000003" }]);
    const [r] = await settled(a.id, 1);
    expect(r).toMatchObject({ status: "skipped", reason: "the person does not meet the conditions" });
    expect(await calls(hook)).toEqual([]);
  });

  it("stops a run still waiting for a person who is erased", async () => {
    const phone = "+254799000005";
    const a = await create({
      trigger: { type: "event", event: "waiting_erase" },
      wait: { type: "delay", seconds: 86_400 },
      actions: [{ type: "add_to_list", list: "after_erase" }],
    });
    await ingest(project.id, [{ name: "waiting_erase", ts: Date.now(), channel: "whatsapp", ext: phone }]);
    const [r] = await waitFor(async () => {
      const list = await runs(a.id);
      return list.length === 1 && list;
    }, 20_000);
    const instance = await env.AUTOMATIONS.get(r!.id);
    const made = await SELF.fetch(`${BASE}/api/projects/${project.id}/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ scope: "privacy", name: "erase" }),
    });
    const { token } = (await made.json()) as { token: string };
    const erased = await SELF.fetch(`${BASE}/api/projects/${project.id}/people?external_id=${encodeURIComponent(phone)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(erased.status).toBe(200);
    await waitFor(async () => (await instance.status()).status === "terminated", 20_000);
    expect(await runs(a.id)).toEqual([]);
  }, 30_000);

  it("erases a person's runs, steps and list memberships with the person", async () => {
    const phone = "+254799000004";
    const a = await create({ trigger: { type: "event", event: "erase_me" }, actions: [{ type: "add_to_list", list: "to_erase" }] });
    await ingest(project.id, [{ name: "erase_me", ts: Date.now(), channel: "whatsapp", ext: phone }]);
    const [r] = await settled(a.id, 1);
    const count = async (sql: string, ...args: unknown[]) =>
      (await env.DB.prepare(sql)
        .bind(...args)
        .first<{ n: number }>())!.n;
    expect(await count("SELECT count(*) AS n FROM list_members WHERE project_id = ? AND person_id = ?", project.id, `x:${phone}`)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM automation_run_steps WHERE run_id = ?", r!.id)).toBe(1);
    const made = await SELF.fetch(`${BASE}/api/projects/${project.id}/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ scope: "privacy", name: "erase" }),
    });
    const { token } = (await made.json()) as { token: string };
    const erased = await SELF.fetch(`${BASE}/api/projects/${project.id}/people?external_id=${encodeURIComponent(phone)}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(erased.status).toBe(200);
    expect(await count("SELECT count(*) AS n FROM list_members WHERE project_id = ? AND person_id = ?", project.id, `x:${phone}`)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM automation_runs WHERE id = ?", r!.id)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM automation_run_steps WHERE run_id = ?", r!.id)).toBe(0);
  });
});

describe("validation", () => {
  it("answers invalid_automation naming the action when a send_template names a template the project does not have", async () => {
    const body = {
      name: "x",
      trigger: { type: "event", event: "e" },
      actions: [
        { type: "add_to_list", list: "l" },
        { type: "send_template", template_id: "nope" },
      ],
    };
    const created = await api("POST", "/automations", body);
    expect(created.status).toBe(400);
    const err = await readJson(created, errorSchema);
    expect(err).toMatchObject({ error: "invalid_automation", details: [{ path: "actions.1.template_id", message: "no such template" }] });
    expect(err.message).toContain('template "nope"');
    const some = await create({ trigger: { type: "event", event: "e" }, actions: [{ type: "add_to_list", list: "l" }] });
    const replaced = await api("PUT", `/automations/${some.id}`, body);
    expect(replaced.status).toBe(400);
    expect(await readJson(replaced, errorSchema)).toMatchObject({
      error: "invalid_automation",
      details: [{ path: "actions.1.template_id" }],
    });
  });

  it("answers invalid_automation naming the condition whose range is reversed", async () => {
    const res = await api("POST", "/automations", {
      name: "x",
      trigger: { type: "event", event: "e" },
      conditions: { conditions: [{ type: "event", event: "x", from: "2026-12-01T00:00:00Z", to: "2026-11-01T00:00:00Z" }] },
      actions: [{ type: "add_to_list", list: "l" }],
    });
    expect(res.status).toBe(400);
    expect(await readJson(res, errorSchema)).toMatchObject({
      error: "invalid_automation",
      details: [{ path: "conditions.conditions.0.from", message: "from must be before to" }],
    });
  });

  it("answers invalid_automation for a bad definition or unknown segment, and automation_not_found", async () => {
    for (const body of [
      { name: "x", trigger: { type: "event" }, actions: [] },
      { name: "x", trigger: { type: "segment_entry", segment_id: "nope" }, actions: [{ type: "add_to_list", list: "l" }] },
      { name: "x", trigger: { type: "event", event: "e" }, actions: [{ type: "webhook", url: "http://example.com/hook" }] },
      { name: "x", trigger: { type: "schedule", cron: "61 * * * *", segment_id: "nope" }, actions: [{ type: "add_to_list", list: "l" }] },
      {
        name: "x",
        trigger: { type: "schedule", cron: "0 9 * * *", every_minutes: 60, segment_id: "nope" },
        actions: [{ type: "add_to_list", list: "l" }],
      },
    ]) {
      const res = await api("POST", "/automations", body);
      expect(res.status).toBe(400);
      expect((await readJson(res, errorSchema)).error).toBe("invalid_automation");
    }
    const some = await create({ trigger: { type: "event", event: "e" }, actions: [{ type: "add_to_list", list: "l" }] });
    const badJson = await SELF.fetch(`${BASE}/api/projects/${project.id}/automations/${some.id}/dry-run`, {
      method: "POST",
      headers: { ...project.write, "content-type": "application/json" },
      body: "{oops",
    });
    expect(badJson.status).toBe(400);
    expect((await readJson(badJson, errorSchema)).error).toBe("invalid_json");
    const noBody = await SELF.fetch(`${BASE}/api/projects/${project.id}/automations/${some.id}/dry-run`, {
      method: "POST",
      headers: project.write,
    });
    expect((await readJson(noBody, automationDryRunSchema)).days).toBe(7);
    const missing = await api("GET", "/automations/nope", undefined, project.auth);
    expect(missing.status).toBe(404);
    expect((await readJson(missing, errorSchema)).error).toBe("automation_not_found");
    expect(
      (
        await api(
          "POST",
          "/automations",
          { name: "x", trigger: { type: "event", event: "e" }, actions: [{ type: "add_to_list", list: "l" }] },
          project.auth,
        )
      ).status,
    ).toBe(403);
  });
});
