import type { QueueMessageInput } from "../contract";

// Queues limits: 100 messages and 256 KB per sendBatch, 128 KB per message.
const MAX_MESSAGES = 100;
const MAX_BATCH_BYTES = 250_000;
const PER_MESSAGE_OVERHEAD = 100;

/** Puts messages on the events Queue in as few sendBatch calls as the Queue's limits allow. */
export async function enqueue(queue: Queue, messages: QueueMessageInput[], sizes?: number[]): Promise<void> {
  let batch: MessageSendRequest<QueueMessageInput>[] = [];
  let bytes = 0;
  const sends: Promise<unknown>[] = [];
  for (const [i, body] of messages.entries()) {
    const size = (sizes?.[i] ?? JSON.stringify(body).length) + PER_MESSAGE_OVERHEAD;
    if (batch.length === MAX_MESSAGES || (batch.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      sends.push(send(queue, batch));
      batch = [];
      bytes = 0;
    }
    batch.push({ body, contentType: "json" });
    bytes += size;
  }
  if (batch.length) sends.push(send(queue, batch));
  await Promise.all(sends);
}

/**
 * How often the events consumer retries a message (wrangler.toml `max_retries`): a message still
 * failing on its last delivery is recorded in `dead_letters` with its error.
 */
export const MAX_RETRIES = 5;

/** Exponential backoff with jitter for transient failures: 10 s, 20 s, 40 s… capped at 10 min. */
export function backoffSeconds(attempts: number): number {
  return Math.min(600, 5 * 2 ** attempts) + Math.floor(Math.random() * 5);
}

/** The Queue refused a send after retries; HTTP entry points answer 503 + Retry-After (lib/http.ts). */
export class QueueUnavailableError extends Error {
  readonly name = "QueueUnavailableError";
}

const RETRY_DELAYS_MS = [25, 100, 400];

/**
 * One sendBatch, retried briefly: a Queue send can fail transiently under load. If it still fails
 * the caller answers 503 + Retry-After, so clients (the SDK, Meta, Twilio) deliver again later;
 * event ids make that redelivery safe.
 */
async function send(queue: Queue, batch: MessageSendRequest<QueueMessageInput>[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return void (await queue.sendBatch(batch));
    } catch (err) {
      if (attempt === RETRY_DELAYS_MS.length) {
        console.error("queue send failed", String(err));
        throw new QueueUnavailableError(String(err));
      }
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[attempt]));
    }
  }
}
