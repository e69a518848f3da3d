import { describe, expect, it } from "vitest";
import { agentConversation, api, botConversation, ingestConversations, newProject, stats } from "./whatsapp-metrics-data";
import { whatsappOverviewSchema } from "../../workers/contract";

const close = (
  actual: { count: number; mean: number | null; median: number | null; p90: number | null },
  expected: ReturnType<typeof stats>,
) => {
  expect(actual.count).toBe(expected.count);
  for (const k of ["mean", "median", "p90"] as const) expect(actual[k]).toBeCloseTo(expected[k]!, 2);
};

describe("WhatsApp response times", { timeout: 60_000 }, () => {
  it("reports first and every response, bot and human apart, from conversations run through the Queue", async () => {
    const project = await newProject();
    const t0 = Date.now() - 3 * 3_600_000;
    const scenarios = [
      agentConversation(project, "+254711000001", t0, { bot: 2, queue: 30, reply: 15, second: 40, agent: "ann" }),
      agentConversation(project, "+254711000002", t0 + 600_000, { bot: 4, queue: 90, reply: 5, second: 20, agent: "ann" }),
      agentConversation(project, "+254711000003", t0 + 1_200_000, { bot: 3, queue: 10, reply: 100, second: 7, agent: "ben" }),
      agentConversation(project, "+254711000004", t0 + 1_800_000, { bot: 1, queue: 300, reply: 12, second: 61, agent: "ben" }),
      botConversation(project, "+254711000005", t0 + 2_400_000, { first: 5, second: 9 }),
      botConversation(project, "+254711000006", t0 + 3_000_000, { first: 6, second: 1 }),
    ];
    await ingestConversations(project, scenarios);

    const range = `from=${new Date(t0 - 3_600_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const { response_time: rt } = await api(`/api/projects/${project}/whatsapp/overview?${range}`, whatsappOverviewSchema);
    close(rt.first.human, stats(scenarios.filter((s) => s.human.length).map((s) => s.human[0])));
    close(rt.first.bot, stats(scenarios.map((s) => s.bot[0])));
    close(rt.all.human, stats(scenarios.flatMap((s) => s.human)));
    close(rt.all.bot, stats(scenarios.flatMap((s) => s.bot)));
    // The bot's answer did not stop the human clock: every first response includes the 65 s before the handoff.
    expect(rt.first.human.median).toBeGreaterThan(65 + 45);
  });

  it("counts only conversations opened in the range", async () => {
    const project = await newProject();
    const t0 = Date.now() - 3 * 3_600_000;
    await ingestConversations(project, [
      agentConversation(project, "+254711000011", t0, { bot: 2, queue: 30, reply: 15, second: 40, agent: "ann" }),
    ]);
    const after = `from=${new Date(t0 + 1000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const { response_time: rt } = await api(`/api/projects/${project}/whatsapp/overview?${after}`, whatsappOverviewSchema);
    expect(rt.first.human.count).toBe(0);
    expect(rt.all.bot.count).toBe(0);
  });
});
