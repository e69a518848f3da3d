import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import {
  agentConversation,
  api,
  botConversation,
  ingest,
  ingestConversations,
  newProject,
  stats,
  waEvent,
  type Scenario,
} from "./whatsapp-metrics-data";
import { agentsSchema, responseBucketsSchema } from "../../workers/contract";
import { waitFor } from "./helpers";

type Dist = { count: number; mean: number | null; median: number | null; p90: number | null };

/** The metrics the API should report for a set of agent-handled conversations, computed from the scenarios. */
function truth(list: Scenario[]) {
  return {
    conversations: list.length,
    resolutions: list.length,
    resolution_rate: 1,
    queue_wait: stats(list.map((s) => s.queueWait!)),
    first_response: stats(list.map((s) => s.human[0])),
    handoff_wait: stats(list.map((s) => s.handoffWait!)),
    handle_time: stats(list.map((s) => s.handle!)),
    resolution_time: stats(list.map((s) => s.resolution)),
  };
}

function expectMatches(actual: Record<string, unknown>, expected: ReturnType<typeof truth>) {
  expect(actual.conversations).toBe(expected.conversations);
  expect(actual.resolutions).toBe(expected.resolutions);
  expect(actual.resolution_rate).toBe(expected.resolution_rate);
  for (const m of ["queue_wait", "first_response", "handoff_wait", "handle_time", "resolution_time"] as const) {
    const a = actual[m] as Dist;
    expect(a.count, m).toBe(expected[m].count);
    for (const k of ["mean", "median", "p90"] as const) expect(a[k], `${m}.${k}`).toBeCloseTo(expected[m][k]!, 2);
  }
}

describe("GET /agents", { timeout: 60_000 }, () => {
  it("reports per-agent and overall queue wait, first response, wait since handoff, handle and resolution time", async () => {
    const project = await newProject("ag");
    const t0 = Date.now() - 4 * 3_600_000;
    const agents = [
      agentConversation(project, "+254722000001", t0, { bot: 2, queue: 30, reply: 15, second: 40, agent: "ann" }),
      agentConversation(project, "+254722000002", t0 + 600_000, { bot: 4, queue: 90, reply: 5, second: 20, agent: "ann" }),
      agentConversation(project, "+254722000003", t0 + 1_200_000, { bot: 3, queue: 45, reply: 33, second: 8, agent: "ann" }),
      agentConversation(project, "+254722000004", t0 + 1_800_000, { bot: 3, queue: 10, reply: 100, second: 7, agent: "ben" }),
      agentConversation(project, "+254722000005", t0 + 2_400_000, { bot: 1, queue: 300, reply: 12, second: 61, agent: "ben" }),
    ];
    // The bot's own conversation is nobody's work.
    const bot = botConversation(project, "+254722000006", t0 + 3_000_000, { first: 5, second: 9 });
    await ingestConversations(project, [...agents, bot]);

    const range = `from=${new Date(t0 - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const body = await api(`/api/projects/${project}/agents?${range}`, agentsSchema);
    expect(body.agents.map((a: { agent_id: string }) => a.agent_id)).toEqual(["ann", "ben"]);
    expectMatches(body.overall, truth(agents));
    expectMatches(body.agents[0], truth(agents.filter((s) => s.agent === "ann")));
    expectMatches(body.agents[1], truth(agents.filter((s) => s.agent === "ben")));
    // From the customer's first message the bot's 65 s are in the first response; the wait since handoff leaves them out.
    expect(body.agents[1].first_response.median).toBeCloseTo((175 + 377) / 2, 2);
    expect(body.agents[1].handoff_wait.median).toBeCloseTo((110 + 312) / 2, 2);
  });

  it("keeps a reopened conversation with each cycle's agent and counts only agents' own resolutions", async () => {
    const project = await newProject("ag");
    const t0 = Date.now() - 3 * 86_400_000;
    const S = 1000;
    const ev = (phone: string, name: string, at: number, properties: Record<string, unknown> = {}) =>
      waEvent(project, name, t0 + at * S, { external_id: phone, properties });
    // ann: answers at 40 s, resolves at 100 s; a "thanks!" 2 min later does not reopen (grace 10 min);
    // the customer writes again 1 h later (reopen, the bot alone), and the system closes that cycle a day after.
    // ben: answers in 300 s and never resolves; the system closes it. Neither idle close is anyone's resolution.
    await ingest([
      ev("+254733000001", "message_received", 0, { direction: "inbound" }),
      ev("+254733000001", "bot_response", 2, { direction: "outbound", sender: "bot" }),
      ev("+254733000001", "handoff_requested", 3),
      ev("+254733000001", "agent_assigned", 10, { agent_id: "ann" }),
      ev("+254733000001", "message_sent", 40, { direction: "outbound", sender: "agent", agent_id: "ann" }),
      ev("+254733000001", "conversation_resolved", 100, { agent_id: "ann" }),
      ev("+254733000001", "message_received", 220, { direction: "inbound", content_length: 7 }),
      ev("+254733000001", "message_received", 3700, { direction: "inbound", content_length: 30 }),
      ev("+254733000001", "conversation_resolved", 3700 + 86_400, { reason: "idle" }),
      ev("+254733000002", "message_received", 0, { direction: "inbound" }),
      ev("+254733000002", "agent_assigned", 5, { agent_id: "ben" }),
      ev("+254733000002", "message_sent", 300, { direction: "outbound", sender: "agent", agent_id: "ben" }),
      ev("+254733000002", "conversation_resolved", 300 + 86_400, { reason: "idle" }),
    ]);
    await waitFor(async () => {
      const r = await env.DB.prepare("SELECT count(*) AS n FROM conversation_cycles WHERE project_id = ? AND resolved_by IS NOT NULL")
        .bind(project)
        .first<{ n: number }>();
      return r!.n === 3;
    }, 25_000);
    const range = `from=${new Date(t0 - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const body = await api(`/api/projects/${project}/agents?${range}`, agentsSchema);
    expect(body.agents.map((a) => [a.agent_id, a.conversations, a.resolutions, a.resolution_rate])).toEqual([
      ["ann", 1, 1, 1],
      ["ben", 1, 0, 0],
    ]);
    expect(body.agents[0]).toMatchObject({
      first_response: { count: 1, median: 40 },
      handoff_wait: { median: 37 },
      resolution_time: { count: 1, median: 100 },
    });
    expect(body.agents[1]).toMatchObject({ first_response: { median: 300 }, resolution_time: { count: 0 }, handle_time: { count: 0 } });
    expect(body.overall).toMatchObject({ conversations: 2, resolutions: 1, resolution_rate: 0.5 });

    // Buckets: ann 40 s (< 1 m), ben 300 s (5–15 m: 5 m is the bucket's lower bound); the bot's 2 s.
    const b = await api(`/api/projects/${project}/agents/response-buckets?${range}`, responseBucketsSchema);
    expect(b.buckets.map((x) => x.label)).toEqual(["< 1 m", "1–5 m", "5–15 m", "15–60 m", "1–4 h", "4–24 h", "> 24 h"]);
    expect(b.channels).toEqual([{ channel: "whatsapp", human: [1, 0, 1, 0, 0, 0, 0], bot: [1, 0, 0, 0, 0, 0, 0] }]);
    expect(b.agents).toEqual([
      { agent_id: "ann", human: [1, 0, 0, 0, 0, 0, 0] },
      { agent_id: "ben", human: [0, 0, 1, 0, 0, 0, 0] },
    ]);
  });

  it("answers empty metrics for a project without conversations", async () => {
    const project = await newProject("ag");
    const body = await api(`/api/projects/${project}/agents`, agentsSchema);
    expect(body.agents).toEqual([]);
    expect(body.overall).toMatchObject({
      conversations: 0,
      resolutions: 0,
      resolution_rate: null,
      queue_wait: { count: 0, median: null, p90: null },
    });
  });
});
