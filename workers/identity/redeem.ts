import type { EventRecord, EventRecordInput } from "../contract";
import { stubByName } from "../lib/objects";
import { enqueue } from "../lib/queue";
import { sha256Hex } from "../lib/tokens";
import type { Handshake, HandshakeDO } from "./handshake-object";
import { linkStatements, type Id } from "../lib/person";

/** The HandshakeDO holding a token. */
export const handshakeStub = (env: Cloudflare.Env, token: string) => stubByName<HandshakeDO>(env.HANDSHAKES, token);

/**
 * Redeems the tokens of `handshake_complete` events. Every attempt is recorded once (keyed by its
 * event id) with its outcome; a redeemed token links the WhatsApp contact to the web visitor and
 * puts a `webview_opened` event into the conversation. All of it is safe to repeat.
 */
export async function redeemHandshakes(env: Cloudflare.Env, events: EventRecord[]): Promise<void> {
  const attempts = events.filter((e) => e.channel_type === "web" && e.event_name === "handshake_complete" && e.handshake_token);
  await Promise.all(attempts.map((e) => redeemOne(env, e)));
}

async function redeemOne(env: Cloudflare.Env, e: EventRecord) {
  const token = e.handshake_token!;
  const tokenHash = await sha256Hex(token);
  // received_at is the server's clock: a client cannot stretch a token's life, and queue delays do not shorten it.
  const { outcome, handshake } = await handshakeStub(env, token).redeem({
    project_id: e.project_id,
    event_id: e.event_id,
    at: e.received_at,
  });
  const statements = [
    env.DB.prepare(
      "INSERT OR IGNORE INTO handshake_attempts (event_id, project_id, token_hash, outcome, anonymous_id, attempted_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).bind(e.event_id, e.project_id, tokenHash, outcome, e.anonymous_id ?? null, e.received_at),
  ];
  if (outcome === "redeemed" && handshake) {
    const contact: Id = { kind: "external_id", value: handshake.external_id };
    if (e.anonymous_id)
      statements.push(...linkStatements(env.DB, e.project_id, contact, { kind: "anonymous_id", value: e.anonymous_id }, e.received_at));
    if (e.user_id) statements.push(...linkStatements(env.DB, e.project_id, contact, { kind: "user_id", value: e.user_id }, e.received_at));
  }
  await env.DB.batch(statements);
  if (outcome === "redeemed" && handshake) await enqueue(env.EVENTS, [{ kind: "event", event: webviewOpened(e, handshake, tokenHash) }]);
}

/** The conversation's side of a redeemed handshake; one per token (deterministic id). */
function webviewOpened(e: EventRecord, h: Handshake, tokenHash: string): EventRecordInput {
  return {
    event_id: `webview_${tokenHash.slice(0, 40)}`,
    project_id: e.project_id,
    event_name: "webview_opened",
    channel_type: "whatsapp",
    timestamp: e.timestamp,
    received_at: e.received_at,
    anonymous_id: e.anonymous_id,
    session_id: e.session_id,
    user_id: e.user_id,
    external_id: h.external_id,
    conversation_id: h.conversation_id,
    url: e.url,
    path: e.path,
    country: e.country,
    region: e.region,
    city: e.city,
    timezone: e.timezone,
    device_type: e.device_type,
    browser: e.browser,
    os: e.os,
    is_bot: e.is_bot,
    properties: { source: "handshake", handshake_event_id: e.event_id },
  };
}
