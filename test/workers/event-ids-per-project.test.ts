import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { eventsPageSchema, overviewSchema } from "../../workers/contract";
import worker from "../../workers/index";
import { batch, capture, countEvents, waitFor, webEvent } from "./helpers";
import { getJson, newProject } from "./stats-fixture";

/**
 * Event ids are unique within a project: the same id captured into two projects is two events,
 * and a retried or duplicated delivery within a project is still stored and counted once.
 */
let a: Awaited<ReturnType<typeof newProject>>;
let b: Awaited<ReturnType<typeof newProject>>;

beforeAll(async () => {
  [a, b] = await Promise.all([newProject("ids-a"), newProject("ids-b")]);
}, 30_000);

const hourAgo = () => Date.now() - 3_600_000;

function whatsappMessage(projectId: string, eventId: string, ts: number) {
  return {
    kind: "event",
    event: {
      event_id: eventId,
      project_id: projectId,
      event_name: "message_delivered",
      channel_type: "whatsapp",
      timestamp: ts,
      received_at: Date.now(),
      external_id: "+254700111222",
      conversation_id: `wa:${projectId}:+254700111222`,
      properties: { provider: "twilio", provider_message_id: "SM0001" },
    },
  };
}

async function deliver(bodies: unknown[], attempts = 1) {
  const msgs = createMessageBatch(
    "events",
    bodies.map((body, i) => ({ id: `m-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(msgs, env, ctx);
  return getQueueResult(msgs, ctx);
}

async function overviewEvents(p: typeof a, from: number) {
  const q = `from=${new Date(from - 86_400_000).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
  const { status, body } = await getJson(`/api/projects/${p.id}/stats/overview?${q}`, p.auth, overviewSchema);
  expect(status).toBe(200);
  // The overview keeps the channels apart: web totals beside the WhatsApp block.
  return (body.totals.events as number) + (body.whatsapp.events as number);
}

describe("event ids per project", () => {
  it("stores the same captured id in two projects, each once, and counts it once in each", async () => {
    const ts = hourAgo();
    const event = webEvent({ timestamp: new Date(ts).toISOString() });
    for (const p of [a, b]) expect((await capture(batch([event], p.id))).status).toBe(202);
    await waitFor(async () => (await countEvents("event_id = ?", event.event_id)) === 2, 20_000);
    // A retried capture into A (the SDK's offline queue resending) changes nothing, in A or in B.
    expect((await capture(batch([event], a.id))).status).toBe(202);
    const sentinel = webEvent({ timestamp: new Date(ts).toISOString() });
    expect((await capture(batch([sentinel], a.id))).status).toBe(202);
    await waitFor(() => countEvents("project_id = ? AND event_id = ?", a.id, sentinel.event_id), 20_000);

    for (const p of [a, b]) {
      const { status, body } = await getJson(`/api/projects/${p.id}/events`, p.auth, eventsPageSchema);
      expect(status).toBe(200);
      expect(body.events.filter((e: { event_id: string }) => e.event_id === event.event_id)).toHaveLength(1);
      expect(body.events.every((e: { project_id: string }) => e.project_id === p.id)).toBe(true);
    }
    expect(await overviewEvents(a, ts)).toBe(2); // the event and the sentinel
    expect(await overviewEvents(b, ts)).toBe(1);
  });

  it("scopes provider-derived ids by project, and never double counts duplicates or redeliveries", async () => {
    const [c, d] = await Promise.all([newProject("ids-c"), newProject("ids-d")]);
    const ts = hourAgo();
    const id = "status:SM0001:delivered";
    // One batch: the same provider id for two projects, and a duplicate of one of them.
    const bodies = [whatsappMessage(c.id, id, ts), whatsappMessage(d.id, id, ts), whatsappMessage(c.id, id, ts)];
    const first = await deliver(bodies);
    expect(first.retryMessages).toEqual([]);
    // The whole batch again, as the Queue redelivers it after a lost acknowledgement.
    const again = await deliver(bodies, 2);
    expect(again.retryMessages).toEqual([]);

    expect(await countEvents("project_id = ? AND event_id = ?", c.id, id)).toBe(1);
    expect(await countEvents("project_id = ? AND event_id = ?", d.id, id)).toBe(1);
    expect(await overviewEvents(c, ts)).toBe(1);
    expect(await overviewEvents(d, ts)).toBe(1);
  });
});
