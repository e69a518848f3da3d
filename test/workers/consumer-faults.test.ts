import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { MAX_RETRIES } from "../../workers/lib/queue";
import { ADMIN, BASE, readJson, waitFor } from "./helpers";
import { replayAllSchema } from "../../workers/contract";

type Body = { kind: "event"; event: Record<string, unknown> };

function eventMessages(project: string, n: number): Body[] {
  const t = Date.now();
  return Array.from({ length: n }, (_, i) => ({
    kind: "event",
    event: {
      event_id: crypto.randomUUID(),
      project_id: project,
      event_name: "page_view",
      channel_type: "web",
      timestamp: t + i,
      received_at: t,
      anonymous_id: `a-${i % 7}`,
      session_id: `s-${i % 7}`,
      path: "/returns/mri",
      properties: {},
    },
  }));
}

type Pending = { id: string; body: unknown; attempts: number };

/**
 * Plays the Queue's part exactly as its contract says: deliver in batches, redeliver what the
 * consumer retried with one more attempt, and move a message retried on its last allowed delivery
 * to the dead-letter queue. Returns what reached the DLQ.
 */
async function runQueue(queue: string, messages: Pending[], faults: string | null, maxRetries: number, rounds = 50) {
  const testEnv = faults ? { ...env, FAULTS: faults } : env;
  let pending = messages;
  const dlq: Pending[] = [];
  for (let round = 0; pending.length && round < rounds; round++) {
    const next: Pending[] = [];
    for (let i = 0; i < pending.length; i += 50) {
      const slice = pending.slice(i, i + 50);
      const batch = createMessageBatch(
        queue,
        slice.map((m) => ({ id: m.id, timestamp: new Date(), attempts: m.attempts, body: m.body })),
      );
      const ctx = createExecutionContext();
      await worker.queue(batch, testEnv as typeof env, ctx);
      const result = await getQueueResult(batch, ctx);
      const retried = new Set(
        result.retryBatch.retry ? slice.map((m) => m.id) : result.retryMessages.map((r: { msgId: string }) => r.msgId),
      );
      for (const m of slice) {
        if (!retried.has(m.id)) continue;
        if (m.attempts > maxRetries) dlq.push({ ...m, attempts: 1 });
        else next.push({ ...m, attempts: m.attempts + 1 });
      }
    }
    pending = next;
  }
  return { dlq, pending };
}

const pendingOf = (bodies: unknown[]) => bodies.map((body) => ({ id: crypto.randomUUID(), body, attempts: 1 }));

async function stored(project: string) {
  const row = await env.DB.prepare("SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events WHERE project_id = ?")
    .bind(project)
    .first<{ n: number; d: number }>();
  const rollup = await env.DB.prepare(
    "SELECT coalesce(sum(events), 0) AS n FROM rollup_counts WHERE project_id = ? AND dimension = '' AND grain = 2",
  )
    .bind(project)
    .first<{ n: number }>();
  return { rows: row!.n, distinct: row!.d, rollup: rollup!.n };
}

describe("consumer under injected D1 faults", () => {
  it("stores every event exactly once when one D1 write in ten fails", async () => {
    const project = "faults-" + crypto.randomUUID().slice(0, 8);
    const { dlq, pending } = await runQueue(
      "events",
      pendingOf(eventMessages(project, 200)),
      JSON.stringify({ d1_write_fail_rate: 0.1 }),
      MAX_RETRIES,
    );
    // With one failure in ten, six deliveries in a row all failing is a one-in-a-million event per message.
    expect(pending).toEqual([]);
    expect(dlq).toEqual([]);
    expect(await stored(project)).toEqual({ rows: 200, distinct: 200, rollup: 200 });
  });

  it("dead-letters everything while D1 is down, keeps the dead letters through a DLQ outage, and replays them once", async () => {
    const project = "outage-" + crypto.randomUUID().slice(0, 8);
    const bodies = eventMessages(project, 30);
    const down = JSON.stringify({ d1_write_fail_until: Date.now() + 3_600_000 });
    const events = await runQueue("events", pendingOf(bodies), down, MAX_RETRIES);
    expect(events.dlq).toHaveLength(30);
    expect((await stored(project)).rows).toBe(0);

    // The dead-letter consumer cannot write either: it retries every message, acknowledging none.
    const dlqDown = await runQueue("events-dlq", events.dlq, down, 100, 3);
    expect(dlqDown.pending).toHaveLength(30);
    // D1 is back: every dead letter is recorded once.
    const dlqUp = await runQueue("events-dlq", dlqDown.pending, null, 100);
    expect(dlqUp.pending).toEqual([]);
    const ids = bodies.map((b) => b.event.event_id as string);
    const letters = await env.DB.prepare("SELECT count(*) AS n FROM dead_letters WHERE replayed_at IS NULL AND body LIKE ?")
      .bind(`%${project}%`)
      .first<{ n: number }>();
    expect(letters!.n).toBe(30);

    const res = await SELF.fetch(`${BASE}/api/dead-letters/replay`, { method: "POST", headers: ADMIN });
    expect(res.status).toBe(202);
    await waitFor(async () => (await stored(project)).rows === 30, 30_000);
    // A second replay finds nothing left to replay, so nothing is stored twice.
    const again = await SELF.fetch(`${BASE}/api/dead-letters/replay`, { method: "POST", headers: ADMIN });
    expect(await readJson(again, replayAllSchema)).toMatchObject({ replayed: 0 });
    expect(await stored(project)).toEqual({ rows: 30, distinct: 30, rollup: 30 });
    expect(ids).toHaveLength(30);
  });

  it("never lets a value nested 3,000 deep hold up its batch: the rest is stored, it ends stored or dead-lettered", async () => {
    const project = "deep-" + crypto.randomUUID().slice(0, 8);
    const good = eventMessages(project, 3);
    let deep: unknown = "bottom";
    // Past SQLite's JSON depth (1,000); far deeper values cannot even be put on a Queue (structured clone).
    for (let i = 0; i < 3_000; i++) deep = [deep];
    const base = eventMessages(project, 1)[0].event;
    const poison = { kind: "event", event: { ...base, properties: { deep } } };
    const { pending, dlq } = await runQueue("events", pendingOf([good[0], poison, good[1], good[2]]), null, MAX_RETRIES);
    expect(pending).toEqual([]);
    expect(dlq).toEqual([]);
    const ids = good.map((g) => g.event.event_id as string);
    const storedGood = await env.DB.prepare(
      "SELECT count(*) AS n FROM events WHERE project_id = ? AND event_id IN (SELECT value FROM json_each(?))",
    )
      .bind(project, JSON.stringify(ids))
      .first<{ n: number }>();
    expect(storedGood!.n).toBe(3);
    const poisonId = base.event_id as string;
    const inEvents = (await env.DB.prepare("SELECT count(*) AS n FROM events WHERE event_id = ?").bind(poisonId).first<{ n: number }>())!.n;
    const inDead = (await env.DB.prepare("SELECT count(*) AS n FROM dead_letters WHERE instr(body, ?) > 0")
      .bind(poisonId)
      .first<{ n: number }>())!.n;
    expect(inEvents + inDead).toBe(1);
  });

  it("recycles a dead letter onto the dead-letter queue before its retries run out", async () => {
    const [body] = eventMessages("recycle-" + crypto.randomUUID().slice(0, 8), 1);
    const batch = createMessageBatch("events-dlq", [{ id: "m-recycle", timestamp: new Date(), attempts: 95, body }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, FAULTS: JSON.stringify({ d1_write_fail_rate: 1 }) } as typeof env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m-recycle"]);
    expect(result.retryMessages).toEqual([]);
  });
});
