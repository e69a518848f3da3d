import { describe, expect, it } from "vitest";
import { agentConversation, api, ingest, newProject, waEvent } from "./whatsapp-metrics-data";
import { waitFor } from "./helpers";
import { env } from "cloudflare:test";
import { agentQueueSchema } from "../../workers/contract";

describe("GET /agents/queue", { timeout: 60_000 }, () => {
  it("lists the conversations waiting for an agent now, longest wait first", async () => {
    const project = await newProject("aq");
    const now = Date.now();
    const waiting = (phone: string, askedAt: number) => [
      waEvent(project, "message_received", askedAt - 5_000, { external_id: phone, properties: { direction: "inbound" } }),
      waEvent(project, "handoff_requested", askedAt, { external_id: phone }),
    ];
    const events = [
      ...waiting("+254733000001", now - 120_000),
      ...waiting("+254733000002", now - 600_000),
      // Assigned already: not waiting.
      ...waiting("+254733000003", now - 300_000),
      waEvent(project, "agent_assigned", now - 200_000, { external_id: "+254733000003", properties: { agent_id: "ann" } }),
      // Resolved by an agent earlier today.
      ...agentConversation(project, "+254733000004", now - 3_600_000, { bot: 1, queue: 5, reply: 5, second: 5, agent: "ben" }).events,
    ];
    await ingest(events);
    await waitFor(async () => {
      const r = await env.DB.prepare("SELECT count(*) AS n FROM conversations WHERE project_id = ? AND updated_at > 0")
        .bind(project)
        .first<{ n: number }>();
      const states = await env.DB.prepare(
        "SELECT group_concat(state) AS s FROM (SELECT state FROM conversations WHERE project_id = ? ORDER BY conversation_id)",
      )
        .bind(project)
        .first<{ s: string }>();
      return r!.n === 4 && states!.s === "queued,queued,agent,resolved";
    }, 25_000);

    const body = await api(`/api/projects/${project}/agents/queue`, agentQueueSchema);
    expect(body.count).toBe(2);
    expect(body.waiting.map((w) => w.external_id)).toEqual(["+254733000002", "+254733000001"]);
    expect(body.waiting[0]).toMatchObject({
      conversation_id: `wa:${project}:+254733000002`,
      queued_at: new Date(now - 600_000).toISOString(),
    });
    expect(body.waiting[0].waiting_seconds).toBeGreaterThanOrEqual(600);
    expect(body.waiting[0].waiting_seconds).toBeLessThan(600 + 60);
    expect(body.oldest_seconds).toBe(body.waiting[0].waiting_seconds);
  });

  it("answers an empty queue", async () => {
    const project = await newProject("aq");
    expect(await api(`/api/projects/${project}/agents/queue`, agentQueueSchema)).toEqual({ waiting: [], count: 0, oldest_seconds: null });
  });
});
