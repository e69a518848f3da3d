import { handToAutomations } from "../automations";
import type { EventRecord } from "../contract";
import { csatFromReplies, feedConversations } from "../conversations";
import { linkIdentifiedVisitors, redeemHandshakes } from "../identity";
import { eventKey } from "../events";
import { notifyLive } from "../live";

/**
 * Side effects after events are stored (handshake redemption, conversation state, live view).
 * They see every valid event of the batch, with `inserted` naming the new ones, and must be
 * idempotent: a redelivered batch runs them again.
 */
export async function afterStore(env: Cloudflare.Env, ctx: ExecutionContext, events: EventRecord[], inserted: Set<string>): Promise<void> {
  // The live view is best effort: it never holds up (or fails) the acknowledgement of a stored batch.
  ctx.waitUntil(notifyLive(env, events));
  // Run every other effect even when one fails, then fail the batch so the Queue retries it.
  const results = await Promise.allSettled([
    // CSAT replies are tagged first, so their conversations read them as survey answers.
    csatFromReplies(env.DB, events).then((tagged) => feedConversations(env, tagged)),
    redeemHandshakes(env, events),
    linkIdentifiedVisitors(env.DB, events),
  ]);
  // Automations see each new event once (after identity links, so the person is known); the hand-off never throws.
  await handToAutomations(
    env,
    events.filter((e) => inserted.has(eventKey(e))),
  );
  const failed = results.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}
