/** A statement recording a message that cannot be stored, so it can be inspected and replayed. */
export function deadLetter(db: D1Database, queue: string, msg: Message, error: string): D1PreparedStatement {
  return db
    .prepare("INSERT INTO dead_letters (queue, message_id, body, error, attempts, failed_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(queue, msg.id, JSON.stringify(msg.body), error.slice(0, 2000), msg.attempts, Date.now());
}

/** Consumer of the dead-letter queue: everything that exhausted its retries lands in D1. */
export async function consumeDeadLetters(batch: MessageBatch, env: Cloudflare.Env): Promise<void> {
  await env.DB.batch(batch.messages.map((m) => deadLetter(env.DB, batch.queue, m, "exhausted retries on the events queue")));
  batch.ackAll();
}
