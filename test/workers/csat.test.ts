import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import {
  conversationListSchema,
  CONVERSATION_CSV_COLUMNS,
  crmResponseSchema,
  csatRepliesSchema,
  csatReportSchema,
  errorSchema,
  personErasedSchema,
  projectTokenCreatedSchema,
  type CsatGroup,
} from "../../workers/contract";
import { fold } from "../../workers/conversations/fold";
import type { ConversationEvent } from "../../workers/conversations/types";
import { readJson, waitFor } from "./helpers";
import { metaEnvelope, postCrm, postMeta, randomWaId } from "./webhooks-helpers";
import { call, crm, sendCrm, supportProject, waitForCycles, waitForRows } from "./support-helpers";

const MIN = 60_000;
const T = Date.now() - 6 * 3_600_000;
const at = (minutes: number) => T + minutes * MIN;
const range = `from=${new Date(T - 3_600_000).toISOString()}&to=${new Date(Date.now() + MIN).toISOString()}`;

/** One rated cycle as the report should see it: its agent, its outcome, the score that counts. */
type Rated = { agent: string | null; outcome: string; score: number };

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The CSAT of a list of rated cycles, computed by hand. */
function expected(list: Rated[]): CsatGroup {
  const scores = [1, 2, 3, 4, 5].map((s) => list.filter((r) => r.score === s).length);
  const satisfied = list.filter((r) => r.score >= 4).length;
  const n = list.length;
  return {
    responses: n,
    average: n ? round4(list.reduce((a, r) => a + r.score, 0) / n) : null,
    satisfied,
    satisfied_rate: n ? round4(satisfied / n) : null,
    scores,
  };
}

describe("CSAT from the CRM webhook", { timeout: 90_000 }, () => {
  let project = "";
  let rated3: Record<string, unknown>[] = [];
  const phone = (i: number) => `+2547110000${String(i).padStart(2, "0")}`;
  const conv = (i: number) => `wa:${project}:${phone(i)}`;
  const truth: Rated[] = [
    { agent: "ann", outcome: "agent", score: 5 }, // c1
    { agent: "ann", outcome: "agent", score: 4 }, // c2: rated 2, then 4; the latest counts
    { agent: "ann", outcome: "agent", score: 5 }, // c3, cycle 0
    { agent: "ben", outcome: "agent", score: 1 }, // c3, cycle 1 (reopened)
    { agent: null, outcome: "bot", score: 3 }, // c4
    { agent: null, outcome: "bot", score: 4 }, // c5
    { agent: "ben", outcome: "open", score: 4 }, // c6, still open
    { agent: null, outcome: "customer", score: 2 }, // c7
  ];

  beforeAll(async () => {
    project = await supportProject("csat");
    const p = (i: number) => ({ phone: phone(i) });
    const agentCycle = (i: number, agent: string, start: number) => [
      crm("message_received", at(start), { ...p(i), content_length: 200 }),
      crm("handoff_requested", at(start + 1), p(i)),
      crm("agent_assigned", at(start + 2), { ...p(i), agent_id: agent }),
      crm("agent_message", at(start + 3), { ...p(i), agent_id: agent, content_length: 40 }),
      crm("conversation_resolved", at(start + 10), { ...p(i), agent_id: agent }),
    ];
    const botCycle = (i: number) => [
      crm("message_received", at(0), { ...p(i), content_length: 20 }),
      crm("bot_response", at(1), { ...p(i), content_length: 90 }),
      crm("conversation_resolved", at(5), { ...p(i), reason: "bot_completed" }),
    ];
    rated3 = [crm("csat", at(12), { ...p(3), score: 5, comment: "Great help!" }), crm("csat", at(72), { ...p(3), score: 1 })];
    await sendCrm(project, [
      ...agentCycle(1, "ann", 0),
      crm("csat", at(12), { ...p(1), score: 5 }),
      ...agentCycle(2, "ann", 0),
      crm("csat", at(12), { ...p(2), score: 2 }),
      crm("csat", at(15), { ...p(2), score: 4 }),
      ...agentCycle(3, "ann", 0),
      rated3[0],
      ...agentCycle(3, "ben", 60),
      rated3[1],
      ...botCycle(4),
      crm("csat", at(6), { ...p(4), score: 3 }),
      ...botCycle(5),
      crm("csat", at(6), { ...p(5), score: 4 }),
      crm("message_received", at(0), p(6)),
      crm("agent_assigned", at(1), { ...p(6), agent_id: "ben" }),
      crm("agent_message", at(2), { ...p(6), agent_id: "ben" }),
      crm("csat", at(5), { ...p(6), score: 4 }),
      crm("message_received", at(0), p(7)),
      crm("conversation_resolved", at(3), { ...p(7), reason: "customer_closed" }),
      crm("csat", at(4), { ...p(7), score: 2 }),
    ]);
    await waitForRows("csat_responses", project, 9);
    await waitForCycles(project, 8);
    await waitForCycles(project, 7, "resolved_by IS NOT NULL");
    await waitForCycles(project, 2, "agent_id = 'ben'");
  });

  it("reports average, % satisfied and score counts overall, per agent, bot vs human and per outcome", async () => {
    const res = await call(`/api/projects/${project}/csat?${range}`);
    expect(res.status).toBe(200);
    const body = await readJson(res, csatReportSchema);
    expect(body.overall).toEqual(expected(truth));
    expect(body.agents).toEqual(["ann", "ben"].map((a) => ({ agent_id: a, ...expected(truth.filter((r) => r.agent === a)) })));
    expect(body.bot).toEqual(expected(truth.filter((r) => r.outcome === "bot")));
    expect(body.human).toEqual(expected(truth.filter((r) => r.outcome === "agent")));
    for (const o of ["agent", "bot", "idle", "customer", "open"] as const)
      expect(body.outcomes[o], o).toEqual(expected(truth.filter((r) => r.outcome === o)));
    // A reopened conversation keeps each cycle's score with that cycle's agent.
    expect(body.agents[0].scores).toEqual([0, 0, 0, 1, 2]);
    expect(body.agents[1].scores).toEqual([1, 0, 0, 1, 0]);
  });

  it("counts only responses submitted in the range", async () => {
    const body = await readJson(
      await call(`/api/projects/${project}/csat?from=${new Date(at(60)).toISOString()}&to=${new Date(at(100)).toISOString()}`),
      csatReportSchema,
    );
    expect(body.overall).toEqual(expected([truth[3]]));
  });

  it("keeps a comment's length, never its text", async () => {
    const row = await env.DB.prepare("SELECT * FROM csat_responses WHERE project_id = ? AND conversation_id = ? AND score = 5")
      .bind(project, conv(3))
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({ comment_length: 11, source: "crm", external_id: phone(3) });
    expect(JSON.stringify(row)).not.toContain("Great");
    const leaked = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE project_id = ? AND properties LIKE '%Great help%'")
      .bind(project)
      .first<{ n: number }>();
    expect(leaked!.n).toBe(0);
  });

  it("shows each conversation's latest score in the list and its CSV, and filters on it", async () => {
    const list = async (q: string) => {
      const res = await call(`/api/projects/${project}/conversations?${range}&${q}`);
      expect(res.status).toBe(200);
      return (await readJson(res, conversationListSchema)).conversations;
    };
    const all = await list("");
    const latest: Record<number, number> = { 1: 5, 2: 4, 3: 1, 4: 3, 5: 4, 6: 4, 7: 2 };
    expect(Object.fromEntries(all.map((c) => [c.conversation_id, c.csat]))).toEqual(
      Object.fromEntries(Object.entries(latest).map(([i, s]) => [conv(Number(i)), s])),
    );
    const ids = (rows: { conversation_id: string }[]) => rows.map((r) => r.conversation_id).sort();
    const where = (keep: (s: number) => boolean) =>
      Object.entries(latest)
        .filter(([, s]) => keep(s))
        .map(([i]) => conv(Number(i)))
        .sort();
    expect(ids(await list("csat_min=4"))).toEqual(where((s) => s >= 4));
    expect(ids(await list("csat_max=2"))).toEqual(where((s) => s <= 2));
    expect(ids(await list("csat_min=3&csat_max=3"))).toEqual(where((s) => s === 3));

    const csv = await call(`/api/projects/${project}/export/conversations.csv?${range}&csat_max=1`);
    const [header, row, extra] = (await csv.text()).trim().split("\r\n");
    expect(header.split(",")).toEqual([...CONVERSATION_CSV_COLUMNS]);
    expect(header.split(",")).toContain("csat");
    expect(extra).toBeUndefined();
    expect(row.split(",")[CONVERSATION_CSV_COLUMNS.indexOf("csat")]).toBe("1");
    expect(row.split(",")[CONVERSATION_CSV_COLUMNS.indexOf("conversation_id")]).toBe(conv(3));
  });

  it("erases the CSAT responses of an erased person", async () => {
    const res = await call(`/api/projects/${project}/people?external_id=${encodeURIComponent(phone(3))}`, { method: "DELETE" });
    expect(res.status).toBe(200);
    expect((await readJson(res, personErasedSchema)).erased.csat_responses).toBe(2);
    const left = await env.DB.prepare(
      "SELECT count(*) AS n FROM csat_responses WHERE project_id = ? AND (external_id = ? OR conversation_id = ?)",
    )
      .bind(project, phone(3), conv(3))
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
    const body = await readJson(await call(`/api/projects/${project}/csat?${range}`), csatReportSchema);
    expect(body.overall).toEqual(expected([truth[0], truth[1], ...truth.slice(4)]));

    // The CRM retrying the erased responses stores nothing; a new response beside them still is.
    const fresh = crm("csat", at(90), { phone: phone(8), score: 3 });
    await sendCrm(project, [...rated3, fresh]);
    await waitFor(
      () =>
        env.DB.prepare("SELECT 1 AS y FROM csat_responses WHERE project_id = ? AND response_id = ?")
          .bind(project, `crm:${fresh.id}`)
          .first(),
      30_000,
    );
    const again = await env.DB.prepare("SELECT count(*) AS n FROM csat_responses WHERE project_id = ? AND external_id = ?")
      .bind(project, phone(3))
      .first<{ n: number }>();
    expect(again!.n).toBe(0);
  });
});

describe("CSAT from a WhatsApp button reply", { timeout: 90_000 }, () => {
  const account = "77" + String(Math.floor(Math.random() * 1e10)).padStart(10, "0");

  /** A Meta interactive reply (button or list) from `wa`, like test/fixtures/whatsapp/meta/meta_interactive_button_reply.json. */
  const reply = (wa: string, id: string, when: number, kind: "button_reply" | "list_reply" = "button_reply") => ({
    context: { from: "15550001234", id: `wamid.survey-${crypto.randomUUID()}` },
    from: wa,
    id: `wamid.reply-${crypto.randomUUID()}`,
    timestamp: String(Math.floor(when / 1000)),
    type: "interactive",
    interactive: { type: kind, [kind]: { id, title: "A title Junction never keeps" } },
  });
  const text = (wa: string, when: number) => ({
    from: wa,
    id: `wamid.text-${crypto.randomUUID()}`,
    timestamp: String(Math.floor(when / 1000)),
    type: "text",
    text: { body: "I need help with my refund, it has been weeks" },
  });
  const meta = async (wa: string, message: Record<string, unknown>) => {
    const res = await postMeta(metaEnvelope({ contacts: [{ profile: { name: "Ana" }, wa_id: wa }], messages: [message] }, account));
    expect(res.status).toBe(200);
  };
  const row = (project: string, wa: string) =>
    env.DB.prepare("SELECT * FROM conversations WHERE project_id = ? AND conversation_id = ?")
      .bind(project, `wa:${project}:+${wa}`)
      .first<Record<string, unknown>>();

  it("maps a configured reply id to a score for the contact's current cycle, without reopening it", async () => {
    const project = await supportProject("csatwa", account);
    const put = await call(`/api/projects/${project}/csat/replies`, {
      method: "PUT",
      body: JSON.stringify({ replies: { csat_good: 5, csat_ok: 3, csat_bad: 1 } }),
    });
    expect(put.status).toBe(200);
    expect(await readJson(put, csatRepliesSchema)).toEqual({ replies: { csat_bad: 1, csat_good: 5, csat_ok: 3 } });
    expect(await readJson(await call(`/api/projects/${project}/csat/replies`), csatRepliesSchema)).toEqual({
      replies: { csat_bad: 1, csat_good: 5, csat_ok: 3 },
    });

    const wa = randomWaId();
    await meta(wa, text(wa, at(0)));
    await sendCrm(project, [
      crm("agent_assigned", at(1), { phone: "+" + wa, agent_id: "ann" }),
      crm("agent_message", at(2), { phone: "+" + wa, agent_id: "ann", content_length: 30 }),
      crm("conversation_resolved", at(5), { phone: "+" + wa, agent_id: "ann" }),
    ]);
    await waitFor(async () => (await row(project, wa))?.state === "resolved", 30_000);
    // An hour after the resolution: far past the follow-up grace window, yet the survey answer does not reopen.
    await meta(wa, reply(wa, "csat_good", at(65)));
    await waitFor(async () => (await row(project, wa))?.messages_in === 2, 30_000);
    expect(await row(project, wa)).toMatchObject({ state: "resolved", reopen_count: 0, resolved_by: "agent", agent_id: "ann" });
    const stored = await env.DB.prepare("SELECT * FROM csat_responses WHERE project_id = ?").bind(project).all<Record<string, unknown>>();
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0]).toMatchObject({
      score: 5,
      source: "whatsapp_reply",
      conversation_id: `wa:${project}:+${wa}`,
      external_id: "+" + wa,
      submitted_at: Math.floor(at(65) / 1000) * 1000,
    });

    // A list reply whose id is no score stays an ordinary message: after the window it reopens.
    await meta(wa, reply(wa, "talk_to_sales", at(80), "list_reply"));
    await waitFor(async () => (await row(project, wa))?.messages_in === 3, 30_000);
    expect(await row(project, wa)).toMatchObject({ state: "bot", reopen_count: 1 });
    expect(
      (await env.DB.prepare("SELECT count(*) AS n FROM csat_responses WHERE project_id = ?").bind(project).first<{ n: number }>())!.n,
    ).toBe(1);

    const report = await readJson(await call(`/api/projects/${project}/csat?${range}`), csatReportSchema);
    expect(report.agents).toEqual([{ agent_id: "ann", ...expected([{ agent: "ann", outcome: "agent", score: 5 }]) }]);
    expect(report.human.responses).toBe(1);
  });
});

describe("CSAT validation", { timeout: 60_000 }, () => {
  it("rejects CSAT and availability events without their fields, one by one", async () => {
    const project = await supportProject("csatv");
    const phone = "+254711999001";
    const bad = [
      crm("csat", Date.now(), { phone }),
      crm("csat", Date.now(), { phone, score: 6 }),
      crm("csat", Date.now(), { phone, score: 2.5 }),
      crm("csat", Date.now(), { score: 4 }),
      crm("agent_status", Date.now(), { agent_id: "ann" }),
      crm("agent_status", Date.now(), { status: "online" }),
      crm("agent_status", Date.now(), { agent_id: "ann", status: "busy" }),
    ];
    const res = await postCrm({ project, events: bad });
    expect(res.status).toBe(400);
    const body = await readJson(res, errorSchema);
    expect(body.error).toBe("no_valid_events");
    expect((body.details as { rejected: { index: number }[] }).rejected.map((r) => r.index)).toEqual(bad.map((_, i) => i));

    const mixed = await postCrm({ project, events: [crm("csat", Date.now(), { phone, score: 4 }), bad[1]] });
    expect(mixed.status).toBe(202);
    expect(await readJson(mixed, crmResponseSchema)).toMatchObject({ accepted: 1, rejected: [{ index: 1 }] });
  });

  it("stores a CSAT or status change dated far in the future at the time it was received", async () => {
    const project = await supportProject("csatt");
    const before = Date.now();
    await sendCrm(project, [
      crm("csat", Date.parse("9999-12-31T23:59:59Z"), { phone: "+254711999002", score: 5 }),
      crm("agent_status", Date.parse("9999-12-31T23:59:59Z"), { agent_id: "ann", status: "online" }),
    ]);
    await waitForRows("csat_responses", project, 1);
    await waitForRows("agent_status_changes", project, 1);
    const csat = await env.DB.prepare("SELECT submitted_at AS t FROM csat_responses WHERE project_id = ?")
      .bind(project)
      .first<{ t: number }>();
    const status = await env.DB.prepare("SELECT at AS t FROM agent_status_changes WHERE project_id = ?")
      .bind(project)
      .first<{ t: number }>();
    for (const t of [csat!.t, status!.t]) {
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(Date.now());
    }
  });

  it("answers 400 for a malformed reply map or query, 403 for a read token", async () => {
    const project = await supportProject("csatq");
    const replies = (body: unknown, auth?: Record<string, string>) =>
      call(`/api/projects/${project}/csat/replies`, { method: "PUT", body: typeof body === "string" ? body : JSON.stringify(body) }, auth);
    for (const body of [
      { replies: { csat_5: 6 } },
      { replies: { csat_0: 0 } },
      { replies: { "": 3 } },
      { replies: [] },
      {},
      { replies: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`r${i}`, 3])) },
    ]) {
      const res = await replies(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await readJson(res, errorSchema)).error).toBe("invalid_project");
    }
    const notJson = await replies("{");
    expect(notJson.status).toBe(400);
    expect((await readJson(notJson, errorSchema)).error).toBe("invalid_json");

    const token = async (scope: string) => {
      const res = await call(`/api/projects/${project}/tokens`, { method: "POST", body: JSON.stringify({ scope }) });
      expect(res.status).toBe(201);
      return { authorization: `Bearer ${(await readJson(res, projectTokenCreatedSchema)).token}` };
    };
    const read = await replies({ replies: { csat_5: 5 } }, await token("read"));
    expect(read.status).toBe(403);
    expect((await readJson(read, errorSchema)).error).toBe("forbidden");
    const write = await replies({ replies: { csat_5: 5 } }, await token("write"));
    expect(write.status).toBe(200);
    expect(await readJson(write, csatRepliesSchema)).toEqual({ replies: { csat_5: 5 } });

    for (const [path, code] of [
      ["csat?from=yesterday", "invalid_query"],
      [`csat?from=${new Date().toISOString()}&to=${new Date(Date.now() - MIN).toISOString()}`, "invalid_range"],
      ["conversations?csat_min=6", "invalid_query"],
      ["conversations?csat_max=0", "invalid_query"],
      ["conversations?csat_min=4&csat_max=2", "invalid_query"],
      ["export/conversations.csv?csat_min=4&csat_max=2", "invalid_query"],
    ]) {
      const res = await call(`/api/projects/${project}/${path}`);
      expect(res.status, path).toBe(400);
      expect((await readJson(res, errorSchema)).error).toBe(code);
    }
    const bounds = await readJson(await call(`/api/projects/${project}/conversations?csat_min=4&csat_max=2`), errorSchema);
    expect(bounds.details).toEqual([{ path: "csat_min", message: "csat_min must not be above csat_max" }]);
  });
});

describe("a survey answer in the conversation state machine", () => {
  const S = 1000;
  let n = 0;
  const ev = (name: string, s: number, over: Partial<ConversationEvent> = {}): ConversationEvent => ({
    event_id: `e${n++}`,
    name,
    timestamp: s * S,
    ...over,
  });
  const inbound = (s: number, over: Partial<ConversationEvent> = {}) =>
    ev("message_received", s, { direction: "inbound", content_length: 5, ...over });
  // Customer writes, an agent answers and resolves; 20 minutes later (past the 10-minute grace window) the customer taps a button.
  const handled = [
    inbound(0),
    ev("agent_assigned", 10, { agent_id: "ann" }),
    ev("message_sent", 40, { sender: "agent", agent_id: "ann" }),
    ev("conversation_resolved", 100, { agent_id: "ann" }),
  ];

  it.each([
    { name: "a survey answer", reply: { csat_score: 4 }, state: "resolved", reopens: 0 },
    { name: "the same tap with no score", reply: {}, state: "bot", reopens: 1 },
  ])("after the grace window, $name leaves state $state", ({ reply, state, reopens }) => {
    const c = fold([...handled, inbound(1300, reply)]);
    expect(c).toMatchObject({ state, reopen_count: reopens, messages_in: 2, follow_ups: 0 });
    expect(c.cycles).toHaveLength(1 + reopens);
  });

  it("starts no wait: the agent's next message is no response to it", () => {
    const open = [inbound(0), ev("agent_assigned", 10, { agent_id: "ann" }), ev("message_sent", 40, { sender: "agent", agent_id: "ann" })];
    const c = fold([...open, inbound(60, { csat_score: 5 }), ev("message_sent", 400, { sender: "agent", agent_id: "ann" })]);
    expect(c.response_times).toEqual([40 * S]);
    expect(c).toMatchObject({ state: "agent", messages_in: 2 });
  });
});
