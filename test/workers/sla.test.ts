import { env, runDurableObjectAlarm, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  agentsSchema,
  businessHoursSettingSchema,
  whatsappBotSchema,
  conversationListSchema,
  errorSchema,
  isSystemEvent,
  projectSettingsSchema,
  responseBucketsSchema,
  RESPONSE_BUCKETS,
  slaAtRiskSchema,
  slaPoliciesSchema,
  slaPolicyOutSchema,
  slaReportSchema,
  whatsappOverviewSchema,
} from "../../workers/contract";
import { BASE, readJson, waitFor } from "./helpers";
import { call, conversation, H, handled, MIN, newProject, storedRow } from "./sla-helpers";

// Mon–Fri 09:00–17:00 UTC (DST is the pure function's test: test/workers/business-hours.test.ts).
const weekdays = (from: string, to: string) => Object.fromEntries(["mon", "tue", "wed", "thu", "fri"].map((d) => [d, [{ from, to }]]));
const OFFICE = { timezone: "UTC", weekly: weekdays("09:00", "17:00"), holidays: [] };
const READ = { authorization: "Bearer demo-read-token" };

const range = (from: number, to = Date.now() + H) => `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
const policy = (project: string, body: Record<string, unknown>) =>
  call("POST", `/api/projects/${project}/sla/policies`, { name: "p", ...body }).then((r) => readJson(r, slaPolicyOutSchema));

describe("business hours and SLA settings", () => {
  it.each([
    ["an unknown time zone", { ...OFFICE, timezone: "Mars/Olympus" }],
    ["a time that is not HH:MM", { ...OFFICE, weekly: { mon: [{ from: "9:00", to: "17:00" }] } }],
    ["an interval that ends before it starts", { ...OFFICE, weekly: { mon: [{ from: "17:00", to: "09:00" }] } }],
    [
      "overlapping intervals",
      {
        ...OFFICE,
        weekly: {
          mon: [
            { from: "09:00", to: "12:00" },
            { from: "11:00", to: "15:00" },
          ],
        },
      },
    ],
    ["a holiday that is not a date", { ...OFFICE, holidays: ["2026-02-30"] }],
    ["an unknown weekday", { ...OFFICE, weekly: { monday: [] } }],
  ])("rejects business hours with %s with 400 invalid_project", async (_, hours) => {
    const project = await newProject();
    const res = await call("PATCH", `/api/projects/${project}`, { business_hours: hours });
    expect(res.status).toBe(400);
    expect((await readJson(res, errorSchema)).error).toBe("invalid_project");
  });

  it("names the time zone field when business hours name an unknown zone", async () => {
    const project = await newProject();
    const res = await call("PATCH", `/api/projects/${project}`, { business_hours: { ...OFFICE, timezone: "Mars/Olympus" } });
    const err = await readJson(res, errorSchema);
    expect([res.status, err.error, err.details]).toEqual([
      400,
      "invalid_project",
      [{ path: "business_hours.timezone", message: "an IANA time zone, e.g. Europe/Berlin" }],
    ]);
  });

  it("stores a business-hours zone typed in another case under its canonical IANA name", async () => {
    const project = await newProject();
    const saved = await readJson(
      await call("PATCH", `/api/projects/${project}`, { business_hours: { ...OFFICE, timezone: "europe/london" } }),
      projectSettingsSchema,
    );
    expect(saved.business_hours?.timezone).toBe("Europe/London");
    const read = await readJson(await call("GET", `/api/projects/${project}/business-hours`), businessHoursSettingSchema);
    expect(read.business_hours?.timezone).toBe("Europe/London");
  });

  it("stores business hours through the projects API and reads them back", async () => {
    const project = await newProject();
    const hours = { ...OFFICE, weekly: { ...OFFICE.weekly, sat: [{ from: "10:00", to: "12:00" }] }, holidays: ["2026-12-25"] };
    const saved = await readJson(await call("PATCH", `/api/projects/${project}`, { business_hours: hours }), projectSettingsSchema);
    expect(saved.business_hours).toMatchObject(hours);
    const read = await readJson(await call("GET", `/api/projects/${project}/business-hours`), businessHoursSettingSchema);
    expect(read.business_hours).toMatchObject(hours);
    await call("PATCH", `/api/projects/${project}`, { business_hours: null });
    expect(
      (await readJson(await call("GET", `/api/projects/${project}/business-hours`), businessHoursSettingSchema)).business_hours,
    ).toBeNull();
  });

  it.each([
    ["no target", { name: "x" }],
    ["a target of zero", { name: "x", first_response_s: 0 }],
    ["a target that is not a number", { name: "x", resolution_s: "1h" }],
    ["an unknown field", { name: "x", first_response_s: 60, colour: "red" }],
    ["no name", { first_response_s: 60 }],
  ])("rejects an SLA policy with %s with 400 invalid_sla_policy", async (_, body) => {
    const res = await call("POST", "/api/projects/demo/sla/policies", body);
    expect(res.status).toBe(400);
    expect((await readJson(res, errorSchema)).error).toBe("invalid_sla_policy");
  });

  it.each([
    ["/api/projects/demo/agents?hours=office"],
    ["/api/projects/demo/conversations?hours=1"],
    ["/api/projects/demo/conversations?sla_breached=maybe"],
    ["/api/projects/demo/sla/at-risk?within=-5"],
    ["/api/projects/demo/sla/at-risk?within=soon"],
  ])("answers %s with 400 invalid_query", async (path) => {
    const res = await SELF.fetch(`${BASE}${path}`, { headers: READ });
    expect(res.status).toBe(400);
    expect((await readJson(res, errorSchema)).error).toBe("invalid_query");
  });

  it("creates, lists, replaces and deletes SLA policies; changes need the write scope", async () => {
    const project = await newProject();
    const created = await policy(project, { name: "VIP", label: "vip", first_response_s: 300, business_hours: false });
    expect(created).toMatchObject({
      name: "VIP",
      label: "vip",
      priority: null,
      first_response_s: 300,
      resolution_s: null,
      business_hours: false,
    });
    const replaced = await readJson(
      await call("PUT", `/api/projects/${project}/sla/policies/${created.id}`, { name: "VIP", resolution_s: 3600 }),
      slaPolicyOutSchema,
    );
    expect(replaced).toMatchObject({ id: created.id, label: null, first_response_s: null, resolution_s: 3600, business_hours: true });
    const list = await readJson(await call("GET", `/api/projects/${project}/sla/policies`), slaPoliciesSchema);
    expect(list.policies.map((p) => p.id)).toEqual([created.id]);
    expect((await call("DELETE", `/api/projects/${project}/sla/policies/${created.id}`)).status).toBe(204);
    expect((await call("GET", `/api/projects/${project}/sla/policies/${created.id}`)).status).toBe(404);
    expect((await call("DELETE", `/api/projects/${project}/sla/policies/${created.id}`)).status).toBe(404);
    const readOnly = await SELF.fetch(`${BASE}/api/projects/demo/sla/policies`, {
      method: "POST",
      headers: { ...READ, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", first_response_s: 60 }),
    });
    expect(readOnly.status).toBe(403);
  });
});

describe("durations in business hours", { timeout: 60_000 }, () => {
  it("reports every duration on the wall clock or in business hours, on every endpoint", async () => {
    const project = await newProject(OFFICE);
    // Fri 27 Nov 2026 16:00Z the customer writes and is handed off; assigned 16:30; the agent replies Mon 30 Nov 10:00Z; resolved 11:00Z.
    const t = Date.parse("2026-11-27T16:00:00Z");
    const mon = Date.parse("2026-11-30T09:00:00Z");
    const c = handled(project, t, "ann", { assignAfter: 30 * MIN, replyAfter: mon + H - t, resolveAfter: mon + 2 * H - t });
    // A conversation the bot resolves alone: Fri 16:30 → Mon 09:30.
    const bot = conversation(project);
    await Promise.all([
      c.stub.apply(c.events),
      bot.stub.apply([
        bot.event("message_received", t + 30 * MIN, { direction: "inbound" }),
        bot.event("conversation_resolved", mon + 30 * MIN, { resolved_by: "bot" }),
      ]),
    ]);
    const botResolution = { wall: mon + 30 * MIN - (t + 30 * MIN), business: 30 * MIN + 30 * MIN };
    // By hand: Friday counts 16:00–17:00, Monday from 09:00.
    const wall = {
      first_response: mon + H - t,
      queue_wait: 30 * MIN,
      handle_time: mon + 2 * H - (t + 30 * MIN),
      resolution_time: mon + 2 * H - t,
    };
    const business = { first_response: H + H, queue_wait: 30 * MIN, handle_time: 30 * MIN + 2 * H, resolution_time: H + 2 * H };
    await waitFor(async () =>
      (await Promise.all([c.id, bot.id].map((id) => storedRow(project, id)))).every((r) => r?.state === "resolved"),
    );
    // A fixed week, so the range stays valid however long after 2026 the test runs.
    const q = range(t - H, t + 7 * 24 * H);

    for (const [hours, want] of [
      ["wall", wall],
      ["business", business],
    ] as const) {
      const agents = await readJson(await call("GET", `/api/projects/${project}/agents?${q}&hours=${hours}`), agentsSchema);
      for (const [metric, ms] of Object.entries(want))
        expect(agents.agents[0][metric as keyof typeof want].median, `${hours} ${metric}`).toBe(ms / 1000);
      expect(agents.agents[0].handoff_wait.median).toBe(want.first_response / 1000);

      const list = await readJson(await call("GET", `/api/projects/${project}/conversations?${q}&hours=${hours}`), conversationListSchema);
      expect(list.conversations.find((r) => r.conversation_id === c.id)).toMatchObject({
        first_response_s: want.first_response / 1000,
        queue_wait_s: want.queue_wait / 1000,
        handle_time_s: want.handle_time / 1000,
        resolution_time_s: want.resolution_time / 1000,
        human_response_median_s: want.first_response / 1000,
        handoff_wait_s: want.first_response / 1000,
      });

      const csv = await (await call("GET", `/api/projects/${project}/export/conversations.csv?${q}&hours=${hours}`)).text();
      const [header, ...rows] = csv.trim().split("\n");
      const row = rows.find((r) => r.includes(c.id))!;
      const cell = (name: string) => row.split(",")[header.split(",").indexOf(name)];
      expect(Number(cell("first_response_s"))).toBe(want.first_response / 1000);
      expect(Number(cell("resolution_time_s"))).toBe(want.resolution_time / 1000);

      const buckets = await readJson(
        await call("GET", `/api/projects/${project}/agents/response-buckets?${q}&hours=${hours}`),
        responseBucketsSchema,
      );
      const bucket = RESPONSE_BUCKETS.findIndex((b) => b.max_s === null || want.first_response / 1000 < b.max_s);
      expect(buckets.agents[0].human.map((n, i) => (i === bucket ? n === 1 : n === 0))).not.toContain(false);

      const overview = await readJson(
        await call("GET", `/api/projects/${project}/whatsapp/overview?${q}&hours=${hours}`),
        whatsappOverviewSchema,
      );
      expect(overview.response_time.first.human.median).toBe(want.first_response / 1000);

      const botFigures = await readJson(await call("GET", `/api/projects/${project}/whatsapp/bot?${q}&hours=${hours}`), whatsappBotSchema);
      expect(botFigures.bot_resolution_time.median).toBe(botResolution[hours] / 1000);
    }
  });
});

describe("SLA figures", { timeout: 60_000 }, () => {
  it("reports met and breached per agent and overall, with the rate computed over decided targets", async () => {
    const project = await newProject();
    await policy(project, { name: "standard", first_response_s: 3600, resolution_s: 4 * 3600, business_hours: false });
    const vip = await policy(project, { name: "vip", label: "vip", first_response_s: 300, business_hours: false });
    const t = Date.now() - 10 * H;
    // [agent, reply after, resolve after] with a 1 h first-response and 4 h resolution target.
    const cases = [
      ["ann", 30 * MIN, 2 * H],
      ["ann", 90 * MIN, 3 * H],
      ["ann", 10 * MIN, 5 * H],
      ["bob", 2 * H, 6 * H],
    ] as const;
    const convs = cases.map(([agent, reply, resolve], i) =>
      handled(project, t + i * MIN, agent, { replyAfter: reply, resolveAfter: resolve }),
    );
    // A VIP conversation: its own policy (5 min), answered in 10 min: breached; no resolution target.
    const vipConv = handled(project, t, "bob", { replyAfter: 10 * MIN, resolveAfter: 30 * MIN, labels: ["vip"] });
    await Promise.all([...convs, vipConv].map((c) => c.stub.apply(c.events)));
    await waitFor(async () => {
      const rows = await Promise.all([...convs, vipConv].map((c) => storedRow(project, c.id)));
      return rows.every((r) => r?.state === "resolved");
    });

    const expected = (agent: string | null) => {
      const mine = cases.filter(([a]) => agent === null || a === agent);
      const frMet = mine.filter(([, reply]) => reply <= H).length;
      const resMet = mine.filter(([, , resolve]) => resolve <= 4 * H).length;
      const vipCounts = agent === null || agent === "bob";
      const fr = { met: frMet, breached: mine.length - frMet + Number(vipCounts) };
      const res = { met: resMet, breached: mine.length - resMet };
      const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
      return {
        cycles: mine.length + Number(vipCounts),
        first_response: { ...fr, pending: 0, met_rate: r4(fr.met / (fr.met + fr.breached)) },
        resolution: { ...res, pending: 0, met_rate: r4(res.met / (res.met + res.breached)) },
      };
    };
    const report = await readJson(await call("GET", `/api/projects/${project}/sla?${range(t - H)}`), slaReportSchema);
    expect(report.overall).toEqual(expected(null));
    expect(report.agents).toEqual([
      { agent_id: "ann", ...expected("ann") },
      { agent_id: "bob", ...expected("bob") },
    ]);
    // Hand-checked: ann met 2 of 3 first responses, bob none of 2.
    expect(report.agents[0].first_response.met_rate).toBe(0.6667);
    expect(report.agents[1].first_response.met_rate).toBe(0);

    const list = await readJson(
      await call("GET", `/api/projects/${project}/conversations?${range(t - H)}&sla_breached=true`),
      conversationListSchema,
    );
    const breached = [convs[1], convs[2], convs[3], vipConv].map((c) => c.id).sort();
    expect(list.conversations.map((r) => r.conversation_id).sort()).toEqual(breached);
    expect(list.conversations.find((r) => r.conversation_id === vipConv.id)).toMatchObject({
      sla_policy_id: vip.id,
      sla_first_response: "breached",
      sla_resolution: null,
    });
    const kept = await readJson(
      await call("GET", `/api/projects/${project}/conversations?${range(t - H)}&sla_breached=false`),
      conversationListSchema,
    );
    expect(kept.conversations.map((r) => r.conversation_id)).toEqual([convs[0].id]);
    expect(kept.conversations[0]).toMatchObject({ sla_first_response: "met", sla_resolution: "met", sla_breaches: 0 });

    // The lists behind the Agents page's SLA figures, each expected from the hand-built cases.
    const ids = (pick: (i: number) => boolean) => cases.flatMap((_, i) => (pick(i) ? [convs[i].id] : []));
    const targets: [query: string, expected: string[]][] = [
      ["sla_first_response=met", ids((i) => cases[i][1] <= H)],
      ["sla_first_response=breached", [...ids((i) => cases[i][1] > H), vipConv.id]],
      ["sla_resolution=met", ids((i) => cases[i][2] <= 4 * H)],
      ["sla_resolution=breached", ids((i) => cases[i][2] > 4 * H)],
      ["sla_first_response=breached&agent=ann", ids((i) => cases[i][0] === "ann" && cases[i][1] > H)],
      ["handled_by_agent=true", [...ids(() => true), vipConv.id]],
    ];
    for (const [query, want] of targets) {
      const got = await readJson(
        await call("GET", `/api/projects/${project}/conversations?${range(t - H)}&${query}`),
        conversationListSchema,
      );
      expect(got.conversations.map((r) => r.conversation_id).sort(), query).toEqual([...want].sort());
    }
  });

  it("lists open conversations that breach within N minutes, and those already breached", async () => {
    const project = await newProject();
    await policy(project, { name: "fast", first_response_s: 3600, business_hours: false });
    const now = Date.now();
    const open = (ago: number, replied = false) => {
      const c = conversation(project);
      const events = [c.event("message_received", now - ago, { direction: "inbound" }), c.event("handoff_requested", now - ago)];
      if (replied) events.push(c.event("message_sent", now - ago + MIN, { direction: "outbound", sender: "agent", agent_id: "ann" }));
      return { ...c, events, due: now - ago + H };
    };
    const soon = open(50 * MIN); // due in 10 min
    const late = open(2 * H); // breached an hour ago
    const later = open(10 * MIN); // due in 50 min
    const answered = open(50 * MIN, true);
    await Promise.all([soon, late, later, answered].map((c) => c.stub.apply(c.events)));
    await waitFor(async () => (await Promise.all([soon, late, later, answered].map((c) => storedRow(project, c.id)))).every(Boolean));

    const atRisk = async (within: number) =>
      readJson(await call("GET", `/api/projects/${project}/sla/at-risk?within=${within}`), slaAtRiskSchema);
    const in15 = await atRisk(15);
    expect(in15.conversations.map((r) => r.conversation_id)).toEqual([late.id, soon.id]);
    expect(in15.conversations.map((r) => r.breached)).toEqual([true, false]);
    expect(in15.conversations[1]).toMatchObject({ target: "first_response", due_at: new Date(soon.due).toISOString() });
    expect(in15.conversations[1].seconds_left).toBeGreaterThan(0);
    expect(in15.conversations[0].seconds_left).toBeLessThan(0);
    expect((await atRisk(60)).conversations.map((r) => r.conversation_id)).toEqual([late.id, soon.id, later.id]);
  });
});

describe("SLA breach from the conversation's alarm", { timeout: 60_000 }, () => {
  it("records one sla_breached system event when the deadline passes unanswered", async () => {
    const project = await newProject();
    await policy(project, { name: "minute", first_response_s: 60, business_hours: false });
    const c = conversation(project);
    // The customer wrote 57 s ago: the deadline is 3 s away, so the alarm (not the apply) records the breach.
    const t = Date.now() - 57_000;
    const events = [c.event("message_received", t, { direction: "inbound" }), c.event("handoff_requested", t)];
    const summary = await c.stub.apply(events);
    expect(summary?.cycles[0].sla).toMatchObject({ first_response: "pending", first_response_due_at: t + 60_000 });

    const breachEvents = () =>
      env.DB.prepare("SELECT * FROM events WHERE project_id = ? AND conversation_id = ? AND event_name = 'sla_breached'")
        .bind(project, c.id)
        .all<Record<string, unknown>>()
        .then((r) => r.results);
    const [event] = await waitFor(async () => ((await breachEvents()).length ? breachEvents() : null), 20_000);
    expect(JSON.parse(event.properties as string)).toMatchObject({
      actor: "system",
      target: "first_response",
      cycle: 0,
      due_at: t + 60_000,
    });
    expect(isSystemEvent({ event_name: "sla_breached", properties: event.properties })).toBe(true);
    expect(event).toMatchObject({ anonymous_id: null, session_id: null });
    await waitFor(() => storedRow(project, c.id).then((r) => r?.sla_first_response === "breached"));

    // Running the alarm again and replaying the events changes nothing: still one event.
    await runDurableObjectAlarm(c.stub);
    await c.stub.apply(events);
    const again = await c.stub.summary();
    expect(again?.cycles[0].sla?.first_response).toBe("breached");
    expect(await breachEvents()).toHaveLength(1);
    // The breach is no conversation activity: the idle timer still runs from the customer's message.
    expect(again?.last_event_at).toBe(t);
  });
});
