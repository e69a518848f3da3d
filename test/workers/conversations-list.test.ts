import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_CSV_COLUMNS, conversationListSchema, errorSchema } from "../../workers/contract";
import { BASE, readJson, waitFor } from "./helpers";
import { agentConversation, api, botConversation, ingest, ingestConversations, newProject, waEvent } from "./whatsapp-metrics-data";

describe("GET /conversations", { timeout: 90_000 }, () => {
  it("lists conversations newest first with their metrics, filters them and pages with a cursor", async () => {
    const project = await newProject("list");
    const t0 = Date.now() - 5 * 3_600_000;
    const ann = agentConversation(project, "+254766000001", t0, { bot: 2, queue: 30, reply: 15, second: 40, agent: "ann" });
    const ben = agentConversation(project, "+254766000002", t0 + 60_000, { bot: 3, queue: 10, reply: 5, second: 9, agent: "ben" });
    const bot = botConversation(project, "+254766000003", t0 + 120_000, { first: 4, second: 6 });
    // A labelled conversation still open.
    bot.events[0].properties = { ...bot.events[0].properties, labels: ["billing"] };
    await ingestConversations(project, [ann, ben, bot]);
    const range = `from=${new Date(t0 - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    const list = (q: string) => api(`/api/projects/${project}/conversations?${range}&${q}`, conversationListSchema);

    const all = await list("");
    expect(all.conversations.map((c) => c.conversation_id)).toEqual([bot.conversationId, ben.conversationId, ann.conversationId]);
    expect(all.next).toBeNull();
    // By hand (ann): first response 65 + 30 + 15 = 110 s from the first message, 45 s since the handoff.
    expect(all.conversations[2]).toMatchObject({
      agent_id: "ann",
      state: "resolved",
      resolved_by: "agent",
      first_response_s: 110,
      handoff_wait_s: 45,
      queue_wait_s: 30,
      human_responses: 2,
      human_response_median_s: 75,
      handoffs: 1,
      follow_ups: 0,
      reopen_count: 0,
      labels: [],
    });
    expect(all.conversations[0]).toMatchObject({ agent_id: null, resolved_by: "bot", first_response_s: null, labels: ["billing"] });

    expect((await list("agent=ben")).conversations.map((c) => c.conversation_id)).toEqual([ben.conversationId]);
    expect((await list("resolved_by=bot")).conversations.map((c) => c.conversation_id)).toEqual([bot.conversationId]);
    expect((await list(`conversation_id=${encodeURIComponent(ben.conversationId)}`)).conversations.map((c) => c.conversation_id)).toEqual([
      ben.conversationId,
    ]);
    expect((await list("label=billing")).conversations.map((c) => c.conversation_id)).toEqual([bot.conversationId]);
    expect((await list("state=resolved&resolved_by=agent")).conversations).toHaveLength(2);

    const first = await list("limit=2");
    expect(first.conversations).toHaveLength(2);
    const second = await list(`limit=2&cursor=${first.next}`);
    expect([...first.conversations, ...second.conversations]).toEqual(all.conversations);
    expect(second.next).toBeNull();

    // The CSV export carries the same columns, and the same values.
    const res = await SELF.fetch(`${BASE}/api/projects/${project}/export/conversations.csv?${range}&agent=ann`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    const [header, row] = (await res.text()).trim().split("\r\n");
    expect(header.split(",")).toEqual([...CONVERSATION_CSV_COLUMNS]);
    expect(row.split(",")).toEqual(
      CONVERSATION_CSV_COLUMNS.map((k) => {
        const v = (all.conversations[2] as Record<string, unknown>)[k];
        return Array.isArray(v) ? v.join("|") : v == null ? "" : String(v);
      }),
    );
  });

  it("lists a reopened conversation under each cycle's agent", async () => {
    const project = await newProject("list");
    const t0 = Date.now() - 3 * 3_600_000;
    const ev = (name: string, s: number, properties: Record<string, unknown> = {}) =>
      waEvent(project, name, t0 + s * 1000, { external_id: "+254766000009", properties });
    await ingest([
      ev("message_received", 0, { direction: "inbound" }),
      ev("agent_assigned", 5, { agent_id: "ann" }),
      ev("message_sent", 20, { direction: "outbound", sender: "agent", agent_id: "ann" }),
      ev("conversation_resolved", 30, { agent_id: "ann" }),
      ev("message_received", 4000, { direction: "inbound", content_length: 120 }),
      ev("agent_assigned", 4010, { agent_id: "ben" }),
    ]);
    await waitFor(
      async () =>
        (await env.DB.prepare("SELECT count(*) AS n FROM conversation_cycles WHERE project_id = ? AND agent_id = 'ben'")
          .bind(project)
          .first<{ n: number }>())!.n === 1,
      25_000,
    );
    const range = `from=${new Date(t0 - 60_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
    for (const agent of ["ann", "ben"]) {
      const body = await api(`/api/projects/${project}/conversations?${range}&agent=${agent}`, conversationListSchema);
      expect(
        body.conversations.map((c) => [c.agent_id, c.reopen_count]),
        agent,
      ).toEqual([["ben", 1]]);
    }
  });

  it.each(["state=open", "resolved_by=someone", "cursor=%%%", "limit=0"])("answers 400 for %s", async (q) => {
    const project = await newProject("list");
    const res = await SELF.fetch(`${BASE}/api/projects/${project}/conversations?${q}`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect((await readJson(res, errorSchema)).error).toBe("invalid_query");
  });
});
