import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { countEvents, webEvent } from "./helpers";

function eventMessage(over: Record<string, unknown> = {}) {
  const e = webEvent();
  return {
    kind: "event",
    event: {
      event_id: e.event_id,
      project_id: "demo",
      event_name: "page_view",
      channel_type: "web",
      timestamp: Date.now(),
      received_at: Date.now(),
      anonymous_id: e.anonymous_id,
      session_id: e.session_id,
      properties: {},
      ...over,
    },
    user_agent:
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
  };
}

async function deliver(queue: string, bodies: unknown[], attempts = 1) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `m-${crypto.randomUUID()}-${i}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return getQueueResult(batch, ctx);
}

describe("queue consumer", () => {
  it("writes a 100-message batch in one transaction within D1's 100-parameter limit", async () => {
    const bodies = Array.from({ length: 100 }, () => eventMessage());
    const result = await deliver("events", bodies);
    expect(result.explicitAcks.length + (result.ackAll ? 100 : 0)).toBeGreaterThanOrEqual(100);
    expect(result.retryMessages).toEqual([]);
    const ids = bodies.map((b) => b.event.event_id);
    expect(await countEvents(`event_id IN (SELECT value FROM json_each(?))`, JSON.stringify(ids))).toBe(100);
    const row = await env.DB.prepare("SELECT device_type, os, browser FROM events WHERE event_id = ?").bind(ids[0]).first();
    expect(row).toEqual({ device_type: "mobile", os: "iOS", browser: "Mobile Safari" });
  });

  it("does not double-count a redelivered batch", async () => {
    const bodies = [eventMessage(), eventMessage()];
    await deliver("events", bodies);
    await deliver("events", bodies, 2);
    const ids = JSON.stringify(bodies.map((b) => b.event.event_id));
    expect(await countEvents(`event_id IN (SELECT value FROM json_each(?))`, ids)).toBe(2);
  });

  it("records a message that breaks the contract as a dead letter instead of retrying it", async () => {
    const good = eventMessage();
    const result = await deliver("events", [good, { kind: "event", event: { event_id: "x" } }]);
    expect(result.retryMessages).toEqual([]);
    expect(await countEvents("event_id = ?", good.event.event_id)).toBe(1);
    const dead = await env.DB.prepare('SELECT error, body FROM dead_letters WHERE body LIKE \'%"event_id":"x"%\'').first<{
      error: string;
    }>();
    expect(dead?.error).toMatch(/invalid message/);
  });

  it("retries with backoff when D1 fails, then stores the event exactly once", async () => {
    const msg = eventMessage();
    await env.DB.exec("ALTER TABLE events RENAME TO events_offline");
    let result: Awaited<ReturnType<typeof deliver>> | undefined;
    try {
      result = await deliver("events", [msg]);
    } finally {
      await env.DB.exec("ALTER TABLE events_offline RENAME TO events");
    }
    expect(result.ackAll).toBe(false);
    expect(result.retryMessages).toHaveLength(1);
    expect(await countEvents("event_id = ?", msg.event.event_id)).toBe(0);

    await deliver("events", [msg], 2);
    await deliver("events", [msg], 3);
    expect(await countEvents("event_id = ?", msg.event.event_id)).toBe(1);
  });

  it("isolates one poisoned message so the rest of its batch is stored", async () => {
    const good = eventMessage();
    // Passes the contract, but D1 rejects it: an `events` trigger stands in for a row D1 cannot take.
    const poison = eventMessage({ event_name: "poison_pill" });
    await env.DB.exec(
      "CREATE TRIGGER reject_poison BEFORE INSERT ON events WHEN NEW.event_name = 'poison_pill' BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
    );
    try {
      const result = await deliver("events", [good, poison]);
      // Only the poisoned message (index 1 of the batch) is retried.
      expect(result.retryMessages.map((r: { msgId: string }) => r.msgId)).toEqual([expect.stringMatching(/-1$/)]);
      expect(await countEvents("event_id = ?", good.event.event_id)).toBe(1);
      expect(await countEvents("event_id = ?", poison.event.event_id)).toBe(0);
    } finally {
      await env.DB.exec("DROP TRIGGER reject_poison");
    }
  });

  it("keeps what exhausted its retries in D1 and replays it on request", async () => {
    const msg = eventMessage();
    await deliver("events-dlq", [msg], 6);
    const dead = await env.DB.prepare("SELECT id, attempts FROM dead_letters WHERE body LIKE ?")
      .bind(`%${msg.event.event_id}%`)
      .first<{ id: number; attempts: number }>();
    expect(dead?.attempts).toBe(6);

    const { SELF } = await import("cloudflare:test");
    const res = await SELF.fetch(`http://x/api/dead-letters/${dead!.id}/replay`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(202);
    const { waitFor } = await import("./helpers");
    await waitFor(() => countEvents("event_id = ?", msg.event.event_id));
  });
});
