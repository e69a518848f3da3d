import { env, runInDurableObject, SELF } from "cloudflare:test";
import type { LiveSnapshot as Snapshot } from "../../workers/contract";
import type { LiveDO } from "../../workers/live/object";
import { describe, expect, it } from "vitest";
import { BASE, batch, capture, readJson, waitFor, webEvent } from "./helpers";
import { ingest, waEvent } from "./whatsapp-metrics-data";
import { errorSchema, liveSnapshotSchema } from "../../workers/contract";

async function newProject(): Promise<string> {
  const id = "live-" + crypto.randomUUID().slice(0, 8);
  await env.DB.prepare("INSERT INTO projects (id, name) VALUES (?, ?)").bind(id, id).run();
  return id;
}

/** Opens the live socket the way a browser does (token in the query) and records every push. */
async function connect(project: string, token = env.ADMIN_TOKEN) {
  const res = await SELF.fetch(`${BASE}/api/projects/${project}/live?access_token=${token}`, { headers: { upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const messages: Snapshot[] = [];
  ws.addEventListener("message", (m) => messages.push(JSON.parse(m.data as string)));
  ws.accept();
  return { ws, messages };
}

describe("live view", { timeout: 20_000 }, () => {
  it("sends the numbers on connect and pushes an update after events are captured", async () => {
    const project = await newProject();
    const { ws, messages } = await connect(project);
    await waitFor(async () => messages.length >= 1);
    expect(messages[0]).toMatchObject({ active_visitors: 0, open_conversations: 0, queued: 0 });
    expect(Date.parse(messages[0].at)).toBeGreaterThan(Date.now() - 60_000);

    const [a, b] = ["anon-" + crypto.randomUUID(), "anon-" + crypto.randomUUID()];
    // Three events from two visitors: a visitor counts once.
    await capture(batch([webEvent({ anonymous_id: a }), webEvent({ anonymous_id: a }), webEvent({ anonymous_id: b })], project));
    const update = await waitFor(async () => messages.find((m) => m.active_visitors === 2));
    expect(update).toMatchObject({ active_visitors: 2, open_conversations: 0, queued: 0 });
    ws.close(1000, "done");
  });

  it("pushes open and queued conversations once the conversation pipeline has them", async () => {
    const project = await newProject();
    const { ws, messages } = await connect(project);
    const now = Date.now();
    const phone = (i: number) => `+25476600000${i}`;
    await ingest([
      // With the bot, active a minute ago: open.
      waEvent(project, "message_received", now - 60_000, { external_id: phone(1), properties: { direction: "inbound" } }),
      // Asked for a human two minutes ago: open and queued.
      waEvent(project, "message_received", now - 130_000, { external_id: phone(2), properties: { direction: "inbound" } }),
      waEvent(project, "handoff_requested", now - 120_000, { external_id: phone(2) }),
      // Resolved: not open.
      waEvent(project, "message_received", now - 90_000, { external_id: phone(3), properties: { direction: "inbound" } }),
      waEvent(project, "conversation_resolved", now - 30_000, { external_id: phone(3) }),
      // Last heard of ten minutes ago: not open any more.
      waEvent(project, "message_received", now - 600_000, { external_id: phone(4), properties: { direction: "inbound" } }),
    ]);
    const update = await waitFor(async () => messages.find((m) => m.open_conversations === 2 && m.queued === 1), 15_000);
    expect(update.active_visitors).toBe(0);
    ws.close(1000, "done");
  });

  it("does not count visitors whose last event is older than five minutes", async () => {
    const project = await newProject();
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    // sent_at is now: the client says this event happened ten minutes before sending.
    await capture(batch([webEvent({ timestamp: old })], project));
    const fresh = webEvent();
    await capture(batch([fresh], project));
    await waitFor(async () => {
      const res = await SELF.fetch(`${BASE}/api/projects/${project}/live/snapshot`, {
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
      });
      return (await readJson(res, liveSnapshotSchema)).active_visitors === 1;
    });
    await waitFor(() =>
      env.DB.prepare("SELECT 1 AS ok FROM events WHERE project_id = ? AND timestamp < ?")
        .bind(project, Date.now() - 300_000)
        .first(),
    );
    const res = await SELF.fetch(`${BASE}/api/projects/${project}/live/snapshot`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(await readJson(res, liveSnapshotSchema)).toMatchObject({ active_visitors: 1 });
  });

  it("keeps only the last five minutes of visitors even when no dashboard is connected", async () => {
    const project = await newProject();
    const stub = (env.LIVE as DurableObjectNamespace<LiveDO>).get(env.LIVE.idFromName(project));
    const now = Date.now();
    await stub.ingest({
      project,
      visitors: [
        ["old", now - 600_000],
        ["fresh", now - 1_000],
      ],
      conversations: false,
    });
    await stub.ingest({ project, visitors: [["later", now]], conversations: false });
    const ids = await runInDurableObject(stub, (_o: LiveDO, state) =>
      state.storage.sql
        .exec<{ anonymous_id: string }>("SELECT anonymous_id FROM visitors ORDER BY anonymous_id")
        .toArray()
        .map((r) => r.anonymous_id),
    );
    expect(ids).toEqual(["fresh", "later"]);
  });

  it("answers the socket route with 426 without an Upgrade header", async () => {
    const project = await newProject();
    const res = await SELF.fetch(`${BASE}/api/projects/${project}/live`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    expect(res.status).toBe(426);
    expect(await readJson(res, errorSchema)).toMatchObject({ error: "upgrade_required" });
  });

  it.each([
    ["no token", "", 401],
    ["a wrong token", "?access_token=nope", 401],
    ["another project's read token", "?access_token=demo-read-token", 403],
  ])("refuses the socket with %s", async (_name, query, status) => {
    const project = await newProject();
    const res = await SELF.fetch(`${BASE}/api/projects/${project}/live${query}`, { headers: { upgrade: "websocket" } });
    expect(res.status).toBe(status);
    expect(res.webSocket).toBeNull();
  });
});
