import { z } from "zod";
import { queueMessageSchema, type EventRecord, type QueueMessage } from "../contract";
import { consumeDeadLetters, deadLetter } from "../dead-letters";
import { aggregate, enrich, eventKey, storeEvents } from "../events";
import { consumerDb } from "../lib/faults";
import { backoffSeconds, MAX_RETRIES } from "../lib/queue";
import { addUniques, retimeStatement, rollupStatements } from "../rollups";
import { firstContactMoves, firstContactStatement } from "../whatsapp";
import { afterStore } from "./hooks";
import { recordStatements } from "./records";

type Parsed = { msg: Message; data: QueueMessage };
type Rejected = { msg: Message; reason: string };

/**
 * A message's contract check, which never throws: reading a body can itself overflow the stack
 * (a value nested thousands deep), and that must sink only its own message.
 */
function parse(msg: Message): Parsed | Rejected {
  try {
    const parsed = queueMessageSchema.safeParse(msg.body);
    return parsed.success ? { msg, data: parsed.data } : { msg, reason: "invalid message: " + z.prettifyError(parsed.error) };
  } catch (err) {
    return { msg, reason: "undecodable message: " + String(err) };
  }
}

/** Queue entry point: routes the dead-letter queue to D1, everything else through the pipeline. */
export async function consume(batch: MessageBatch, env: Cloudflare.Env, ctx: ExecutionContext): Promise<void> {
  if (batch.queue.endsWith("-dlq")) return consumeDeadLetters(batch, env);
  const db = consumerDb(env);
  const valid: Parsed[] = [];
  const rejected: Rejected[] = [];
  for (const msg of batch.messages) {
    const p = parse(msg);
    "data" in p ? valid.push(p) : rejected.push(p);
  }
  // A message that fails the contract will fail forever: record it (permanent failure), don't retry.
  const buried = rejected.map((r) => deadLetter(db, batch.queue, r.msg, r.reason));
  try {
    await storeBatch(env, db, ctx, valid, buried);
    return batch.ackAll();
  } catch (err) {
    console.warn("batch failed, isolating", String(err));
  }
  // Isolate the failure: store each message on its own; only what still fails is retried.
  for (const p of valid) {
    try {
      await storeBatch(env, db, ctx, [p], []);
      p.msg.ack();
    } catch (err) {
      await retryOrBury(db, batch.queue, p.msg, err);
    }
  }
  if (!rejected.length) return;
  try {
    await db.batch(buried);
    for (const r of rejected) r.msg.ack();
  } catch {
    for (const r of rejected) r.msg.retry({ delaySeconds: backoffSeconds(r.msg.attempts) });
  }
}

/** Retries a failed message with backoff; on its last delivery records it as a dead letter with the error. */
async function retryOrBury(db: D1Database, queue: string, msg: Message, err: unknown): Promise<void> {
  console.warn("message failed", msg.id, String(err));
  if (msg.attempts > MAX_RETRIES) {
    try {
      await db.batch([deadLetter(db, queue, msg, `failed ${msg.attempts} times: ${String(err)}`)]);
      return msg.ack();
    } catch {
      // D1 is down too: the retry below sends it to the dead-letter queue, whose consumer stores it later.
    }
  }
  msg.retry({ delaySeconds: backoffSeconds(msg.attempts) });
}

async function storeBatch(env: Cloudflare.Env, db: D1Database, ctx: ExecutionContext, items: Parsed[], extra: D1PreparedStatement[]) {
  const events: EventRecord[] = [];
  const others: QueueMessage[] = [];
  for (const { data } of items) data.kind === "event" ? events.push(enrich(data)) : others.push(data);
  // A late-delivered earlier message moves its contact's first_contact back: its rollup counts first, then the row.
  const moves = firstContactMoves(events);
  const retimed = moves.length ? [retimeStatement(db, "first_contact", moves), firstContactStatement(db, moves)] : [];
  extra = [...recordStatements(db, others), ...retimed, ...extra];
  if (!events.length) {
    if (extra.length) await db.batch(extra);
    return;
  }
  // The sketches' add and the D1 insert run side by side. Adds are idempotent and every event of a
  // batch goes to them, stored before or not, so if either fails the retried batch completes both.
  const [, stored] = await Promise.all([addUniques(env, events), storeEvents(db, events, rollupStatements, extra)]);
  const fresh = events.filter((e) => stored.inserted.has(eventKey(e)));
  for (const point of aggregate(fresh)) env.ANALYTICS.writeDataPoint(point);
  // An erased event redelivered late feeds nothing: no conversation, identity link or handshake comes back.
  await afterStore(
    env,
    ctx,
    events.filter((e) => !stored.erased.has(eventKey(e))),
    stored.inserted,
  );
}
