import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type EventRecordInput, handshakeIssuedSchema, whatsappBotSchema } from "../../workers/contract";
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

    // A and C are sent a webview link; A's contact opens it and submits the return, C's never opens it.
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
    const filed = webEvent({ event: "return_submitted", anonymous_id: anon, timestamp: new Date(Date.now() + 1000).toISOString() });
    expect((await capture(batch([filed], project))).status).toBe(202);
    await waitFor(() => countEvents("project_id = ? AND event_name = 'return_submitted' AND person_id IS NOT NULL", project), 20_000);

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
      webview: { goal: "return_submitted", days: 7, sent: 2, opened: 1, completed: 1, completion_rate: 0.5 },
    });
    // Another goal nobody reached.
    const other = await api(`/api/projects/${project}/whatsapp/bot?${range}&goal=payment_made`, whatsappBotSchema);
    expect(other.webview).toMatchObject({ goal: "payment_made", sent: 2, completed: 0, completion_rate: 0 });
  });
});

describe("GET /whatsapp/bot webview completions", { timeout: 60_000 }, () => {
  it("counts goal events of the visitor the handshake linked, within days of opening the link, on the events' own clock", async () => {
    const project = await newProject("bot-goal");
    const H = 3_600_000;
    const D = 24 * H;
    // The journey happened three days ago (a backfill, or a demo): its events carry that time, while
    // the bot's link is issued by the server now. The window must be measured on the events' clock.
    const t0 = Date.now() - 3 * D;
    const [P, Q] = ["+254777100001", "+254777100002"];
    const conv = (phone: string) => `wa:${project}:${phone}`;
    const inbound = (phone: string) =>
      waEvent(project, "message_received", t0 - 60_000, { external_id: phone, properties: { direction: "inbound" } });
    await ingest([inbound(P), inbound(Q)]);
    await waitFor(() => countEvents("project_id = ? AND event_name = 'message_received'", project).then((n) => n === 2), 20_000);

    // Both conversations are sent a link; only P's contact opens it, as web visitor A.
    const issue = async (phone: string) => {
      const res = await SELF.fetch(`${BASE}/api/handshakes`, {
        method: "POST",
        headers: { ...ADMIN, "content-type": "application/json" },
        body: JSON.stringify({ project, external_id: phone, conversation_id: conv(phone) }),
      });
      return readJson(res, handshakeIssuedSchema);
    };
    const hsP = await issue(P);
    await issue(Q);
    const [A, B] = ["anon-" + crypto.randomUUID(), "anon-" + crypto.randomUUID()];
    const web = (anon: string, name: string, at: number, over: Partial<EventRecordInput> = {}): EventRecordInput => ({
      event_id: crypto.randomUUID(),
      project_id: project,
      event_name: name,
      channel_type: "web",
      timestamp: at,
      received_at: Date.now(),
      anonymous_id: anon,
      session_id: `sess-${anon}`,
      ...over,
    });
    await ingest([
      web(A, "quote_requested", t0 - H), // before A opened the link
      web(A, "handshake_complete", t0, { handshake_token: hsP.token }),
      web(A, "return_submitted", t0 + H),
      web(A, "payment_completed", t0 + 2 * D),
      web(B, "newsletter_signup", t0 + H), // B was never linked to anyone
    ]);
    await waitFor(() => countEvents("project_id = ? AND conversation_id = ? AND event_name = 'webview_opened'", project, conv(P)), 20_000);

    const range = `from=${new Date(t0 - D).toISOString()}&to=${new Date(Date.now() + H).toISOString()}`;
    // sent = 2 (P and Q), opened = 1 (P); completed counts P when A's goal falls in [t0, t0 + days).
    const cases = [
      { goal: "return_submitted", days: 1, completed: 1 }, // t0 + 1 h
      { goal: "payment_completed", days: 1, completed: 0 }, // t0 + 2 d is past one day
      { goal: "payment_completed", days: 3, completed: 1 },
      { goal: "quote_requested", days: 7, completed: 0 }, // sent before the link was opened
      { goal: "newsletter_signup", days: 7, completed: 0 }, // by an unlinked visitor
    ];
    for (const { goal, days, completed } of cases) {
      const body = await api(`/api/projects/${project}/whatsapp/bot?${range}&goal=${goal}&days=${days}`, whatsappBotSchema);
      expect(body.webview, `${goal} within ${days} d`).toEqual({
        goal,
        days,
        sent: 2,
        opened: 1,
        completed,
        completion_rate: completed / 2,
      });
    }
  });
});
