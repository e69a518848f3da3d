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
      sends.push(queue.sendBatch(batch));
      batch = [];
      bytes = 0;
    }
    batch.push({ body, contentType: "json" });
    bytes += size;
  }
  if (batch.length) sends.push(queue.sendBatch(batch));
  await Promise.all(sends);
}
