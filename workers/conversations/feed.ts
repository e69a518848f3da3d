import type { EventRecord } from "../contract";
import { stubByName } from "../lib/objects";
import type { ConversationDO } from "./object";

/** The ConversationDO of a conversation (one per `<project>:<conversation_id>`). */
export const conversationStub = (env: Cloudflare.Env, projectId: string, conversationId: string) =>
  stubByName<ConversationDO>(env.CONVERSATIONS, `${projectId}:${conversationId}`);

/**
 * Hands stored WhatsApp events to their conversations' Durable Objects, one RPC per conversation.
 * Safe to repeat: the objects ignore event ids they have already seen.
 */
export async function feedConversations(env: Cloudflare.Env, events: EventRecord[]): Promise<void> {
  const groups = new Map<string, EventRecord[]>();
  for (const e of events) {
    if (e.channel_type !== "whatsapp" || !e.conversation_id) continue;
    const key = `${e.project_id}:${e.conversation_id}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  await Promise.all([...groups.values()].map((g) => conversationStub(env, g[0].project_id, g[0].conversation_id!).apply(g)));
}
