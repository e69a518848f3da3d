import { describe, expect, it } from "vitest";
import { agentConversation, api, botConversation, ingestConversations, newProject, stats, type Scenario } from "./whatsapp-metrics-data";

type Dist = { count: number; mean: number | null; median: number | null; p90: number | null };

/** The metrics the API should report for a set of agent-handled conversations, computed from the scenarios. */
function truth(list: Scenario[]) {
  return {
    conversations: list.length,
    resolutions: list.length,
    queue_wait: stats(list.map((s) => s.queueWait!)),
    first_response: stats(list.map((s) => s.human[0])),
    handle_time: stats(list.map((s) => s.handle!)),
    resolution_time: stats(list.map((s) => s.resolution)),
  };
}

function expectMatches(actual: Record<string, unknown>, expected: ReturnType<typeof truth>) {
  expect(actual.conversations).toBe(expected.conversations);
  expect(actual.resolutions).toBe(expected.resolutions);
  for (const m of ["queue_wait", "first_response", "handle_time", "resolution_time"] as const) {
    const a = actual[m] as Dist;
    expect(a.count, m).toBe(expected[m].count);
    for (const k of ["mean", "median", "p90"] as const) expect(a[k], `${m}.${k}`).toBeCloseTo(expected[m][k]!, 2);
  }
}

describe("GET /agents", { timeout: 60_000 }, () => {
  it("reports per-agent and overall queue wait, first response, handle and resolution time with bot time excluded", async () => {
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
    const body = await api(`/api/projects/${project}/agents?${range}`);
    expect(body.agents.map((a: { agent_id: string }) => a.agent_id)).toEqual(["ann", "ben"]);
    expectMatches(body.overall, truth(agents));
    expectMatches(body.agents[0], truth(agents.filter((s) => s.agent === "ann")));
    expectMatches(body.agents[1], truth(agents.filter((s) => s.agent === "ben")));
    // Measured from the customer's first message the bot's 65 s would be in there; they are not.
    expect(body.agents[1].first_response.median).toBeCloseTo((110 + 312) / 2, 2);
  });

  it("answers empty metrics for a project without conversations", async () => {
    const project = await newProject("ag");
    const body = await api(`/api/projects/${project}/agents`);
    expect(body.agents).toEqual([]);
    expect(body.overall).toMatchObject({ conversations: 0, resolutions: 0, queue_wait: { count: 0, median: null, p90: null } });
  });
});
