import { conversationStub } from "./feed";

/** Wipes a conversation's Durable Object (its contact's erasure); true when it held anything. */
export function eraseConversation(env: Cloudflare.Env, projectId: string, conversationId: string): Promise<boolean> {
  return conversationStub(env, projectId, conversationId).erase();
}
