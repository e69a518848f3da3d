import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { handshakeIssuedSchema, whatsappBotSchema } from "../../workers/contract";
import { ADMIN, BASE, batch, capture, countEvents, readJson, waitFor, webEvent } from "./helpers";
import { api, ingest, newProject, waEvent } from "./whatsapp-metrics-data";

describe("GET /whatsapp/bot", { timeout: 60_000 }, () => {
  it("reports containment, handoff rate, bot resolution time and webview journeys completed", async () => {
    const project = await newProject("bot");
    const t0 = Date.now() - 10 * 60_000;
    const S = 1000;
    const conv = (phone: string) => `wa:${project}:${phone}`;
    const ev = (phone: string, name: string, s: number, properties: Record<string, unknown> = {}) =>
      waEvent(project, name, t0 + s * S, { external_id: phone, properties });
    const [A, B, C] = ["+254777000001", "+254777000002", "+254777000003"];
    // A: the bot answers and resolves at 30 s (contained). B: handed off and resolved by ben. C: the bot answers, still open.
    await ingest([
      ev(A, "message_received", 0, { direction: "inbound" }),
      ev(A, "bot_response", 2, { sender: "bot" }),
      ev(A, "conversation_resolved", 30),
      ev(B, "message_received", 0, { direction: "inbound" }),
      ev(B, "handoff_requested", 5),
      ev(B, "agent_assigned", 20, { agent_id: "ben" }),
      ev(B, "message_sent", 50, { sender: "agent", agent_id: "ben" }),
      ev(B, "conversation_resolved", 90, { agent_id: "ben" }),
      ev(C, "message_received", 0, { direction: "inbound" }),
      ev(C, "bot_response", 3, { sender: "bot" }),
    ]);
    await waitFor(
      async () =>
        (await env.DB.prepare("SELECT count(*) AS n FROM conversation_cycles WHERE project_id = ?").bind(project).first<{ n: number }>())!
          .n === 3,
      25_000,
    );

    // A and C are sent a webview link; A's contact opens it and files the return, C's never opens it.
    const issue = async (phone: string) => {
      const res = await SELF.fetch(`${BASE}/api/handshakes`, {
        method: "POST",
        headers: { ...ADMIN, "content-type": "application/json" },
        body: JSON.stringify({ project, external_id: phone, conversation_id: conv(phone) }),
      });
      return readJson(res, handshakeIssuedSchema);
    };
    const hsA = await issue(A);
    await issue(C);
    const anon = "anon-" + crypto.randomUUID();
    const complete = webEvent({
      event: "handshake_complete",
      anonymous_id: anon,
      context: { page: { url: "https://tax.example/mri" }, handshake_token: hsA.token },
    });
    expect((await capture(batch([complete], project))).status).toBe(202);
    await waitFor(() => countEvents("project_id = ? AND conversation_id = ? AND event_name = 'webview_opened'", project, conv(A)), 20_000);
    const filed = webEvent({ event: "return_filed", anonymous_id: anon, timestamp: new Date(Date.now() + 1000).toISOString() });
    expect((await capture(batch([filed], project))).status).toBe(202);
    await waitFor(() => countEvents("project_id = ? AND event_name = 'return_filed' AND person_id IS NOT NULL", project), 20_000);

    const range = `from=${new Date(t0 - 60_000).toISOString()}&to=${new Date(Date.now() + 120_000).toISOString()}`;
    const body = await api(`/api/projects/${project}/whatsapp/bot?${range}`, whatsappBotSchema);
    expect(body).toMatchObject({
      cycles: 3,
      handoffs: 1,
      handoff_rate: 0.3333,
      contained: 1,
      containment_rate: 0.3333,
      bot_resolutions: 1,
      bot_resolution_time: { count: 1, median: 30 },
      webview: { goal: "return_filed", days: 7, sent: 2, opened: 1, completed: 1, completion_rate: 0.5 },
    });
    // Another goal nobody reached.
    const other = await api(`/api/projects/${project}/whatsapp/bot?${range}&goal=payment_made`, whatsappBotSchema);
    expect(other.webview).toMatchObject({ goal: "payment_made", sent: 2, completed: 0, completion_rate: 0 });
  });
});
