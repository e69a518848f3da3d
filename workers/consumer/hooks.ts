import type { EventRecord } from "../contract";
import { notifyLive } from "../live/notify";

/**
 * Side effects after events are stored (handshake redemption, conversation state, live view).
 * They see every valid event of the batch, with `inserted` naming the new ones, and must be
 * idempotent: a redelivered batch runs them again.
 */
export async function afterStore(
  _env: Cloudflare.Env,
  _ctx: ExecutionContext,
  _events: EventRecord[],
  _inserted: Set<string>,
): Promise<void> {
  await notifyLive(_env, _events);
}
