import { consumerDb } from "../lib/faults";
import { backoffSeconds } from "../lib/queue";

/** The message body as JSON text, or a marker when it cannot be serialized (e.g. nested too deep). */
function bodyText(msg: Message): string {
  try {
    return JSON.stringify(msg.body) ?? "null";
  } catch (err) {
    return JSON.stringify({ unserializable: true, reason: String(err).slice(0, 200) });
  }
}

// D1 rows hold at most 2 MB; a Queue message is at most 128 KB, so this only guards odd producers.
const MAX_BODY_CHARS = 512 * 1024;

/** The body text, or a marker with its head when it is too large to keep whole (then not replayable). */
function boundedBody(msg: Message): string {
  const text = bodyText(msg);
  return text.length <= MAX_BODY_CHARS ? text : JSON.stringify({ truncated: true, head: text.slice(0, 4096) });
}

/** A statement recording a message that cannot be stored, so it can be inspected and replayed. */
export function deadLetter(db: D1Database, queue: string, msg: Message, error: string): D1PreparedStatement {
  return db
    .prepare("INSERT INTO dead_letters (queue, message_id, body, error, attempts, failed_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(queue, msg.id, boundedBody(msg), error.slice(0, 2000), msg.attempts, Date.now());
}

// wrangler.toml gives the dead-letter consumer 100 retries; well before they run out, a message is
// put back on the dead-letter queue as a fresh message, so a long D1 outage delays it, never drops it.
const RECYCLE_AT = 90;

/**
 * Consumer of the dead-letter queue: everything that exhausted its retries lands in D1. When D1
 * fails, each message is retried with backoff (and recycled before its retries run out).
 */
export async function consumeDeadLetters(batch: MessageBatch, env: Cloudflare.Env): Promise<void> {
  const db = consumerDb(env);
  try {
    await db.batch(batch.messages.map((m) => deadLetter(db, batch.queue, m, "exhausted retries on the events queue")));
    return batch.ackAll();
  } catch (err) {
    console.warn("dead letters not stored, retrying", String(err));
  }
  // One message the store refuses (e.g. a body past D1's row size) must not hold up the others:
  // each is tried on its own, and only what still fails is retried.
  for (const m of batch.messages) {
    try {
      await db.batch([deadLetter(db, batch.queue, m, "exhausted retries on the events queue")]);
      m.ack();
      continue;
    } catch {
      // retried (or recycled) below
    }
    if (m.attempts >= RECYCLE_AT) {
      try {
        await env.DEAD_LETTERS.send(m.body, { contentType: "json" });
        m.ack();
        continue;
      } catch (err) {
        console.error("dead letter not recycled", String(err));
      }
    }
    m.retry({ delaySeconds: backoffSeconds(m.attempts) });
  }
}
