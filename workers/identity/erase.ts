import type { HandshakeDO } from "./handshake-object";
import { handshakeStub } from "./redeem";

/** Wipes a handshake token's Durable Object, by its id (hex) or the token; true when it held a token. */
export function eraseHandshake(env: Cloudflare.Env, ref: { objectId: string } | { token: string }): Promise<boolean> {
  if ("token" in ref) return handshakeStub(env, ref.token).erase();
  const ns = env.HANDSHAKES as DurableObjectNamespace<HandshakeDO>;
  return ns.get(ns.idFromString(ref.objectId)).erase();
}
