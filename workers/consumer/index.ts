import { z } from "zod";
import { queueMessageSchema, type EventRecord, type QueueMessage } from "../contract";
import { aggregate } from "./analytics";
import { consumeDeadLetters, deadLetter } from "./dead-letters";
import { enrich } from "./enrich";
import { afterStore } from "./hooks";
import { recordStatements } from "./records";
import { storeEvents } from "./store";
import { addUniques } from "../rollups/uniques";

/** Exponential backoff with jitter for transient failures: 10 s, 20 s, 40 s… capped at 10 min. */
export function backoffSeconds(attempts: number): number {
  return Math.min(600, 5 * 2 ** attempts) + Math.floor(Math.random() * 5);
}

type Parsed = { msg: Message; data: QueueMessage };

/** Queue entry point: routes the dead-letter queue to D1, everything else through the pipeline. */
export async function consume(batch: MessageBatch, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void> {
  if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);

  const valid: Parsed[] = [];
  const invalid: D1PreparedStatement[] = [];
  for (const msg of batch.messages) {
    const parsed = queueMessageSchema.safeParse(msg.body);
    // A message that fails the contract will fail forever: record it (permanent failure), don't retry.
    if (parsed.success) valid.push({ msg, data: parsed.data });
    else invalid.push(deadLetter(env.DB, batch.queue, msg, "invalid message: " + z.prettifyError(parsed.error)));
  }

  try {
    await storeBatch(env, ctx, valid, invalid);
    batch.ackAll();
  } catch (err) {
    if (batch.messages.length === 1) return void batch.messages[0].retry({ delaySeconds: backoffSeconds(batch.messages[0].attempts) });
    // Isolate the poisoned message: store the rest one by one, retry only what still fails.
    console.warn("batch failed, isolating", String(err));
    for (const p of valid) {
      try {
        await storeBatch(env, ctx, [p], []);
        p.msg.ack();
      } catch (e) {
        console.warn("message failed", p.msg.id, String(e));
        p.msg.retry({ delaySeconds: backoffSeconds(p.msg.attempts) });
      }
    }
    if (invalid.length) await env.DB.batch(invalid);
    for (const m of batch.messages) if (!valid.some((p) => p.msg === m)) m.ack();
  }
}

async function storeBatch(env: Cloudflare.Env, ctx: ExecutionContext, items: Parsed[], extra: D1PreparedStatement[]) {
  const events: EventRecord[] = [];
  const others: QueueMessage[] = [];
  for (const { data } of items) data.kind === "event" ? events.push(enrich(data)) : others.push(data);
  extra = [...recordStatements(env.DB, others), ...extra];
  if (!events.length) {
    if (extra.length) await env.DB.batch(extra);
    return;
  }
  // The sketches' add and the D1 insert run side by side. Adds are idempotent and every event of a
  // batch goes to them, stored before or not, so if either fails the retried batch completes both.
  const [, inserted] = await Promise.all([addUniques(env, events), storeEvents(env.DB, events, extra)]);
  const fresh = events.filter((e) => inserted.has(e.event_id));
  for (const point of aggregate(fresh)) env.ANALYTICS.writeDataPoint(point);
  await afterStore(env, ctx, events, inserted);
}
