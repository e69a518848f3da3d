import { z } from "zod";
import type { QueueMessageInput } from "../contract";
import { toMillis, whatsAppEvent } from "./events";
import { toE164 } from "../lib/phone";

const id = z.union([z.number(), z.string().max(64)]);

/** Chatwoot's conversation_status_changed / conversation_updated payload (the conversation itself). */
export const chatwootConversationSchema = z.looseObject({
  event: z.enum(["conversation_status_changed", "conversation_updated"]),
  id,
  status: z.string().max(32).nullish(),
  account_id: id.nullish(),
  account: z.looseObject({ id }).nullish(),
  messages: z.array(z.looseObject({ account_id: id.nullish() })).nullish(),
  updated_at: z.union([z.string(), z.number()]).nullish(),
  timestamp: z.union([z.string(), z.number()]).nullish(),
  changed_attributes: z.array(z.record(z.string(), z.looseObject({ previous_value: z.unknown(), current_value: z.unknown() }))).nullish(),
  contact_inbox: z.looseObject({ source_id: z.string().nullish() }).nullish(),
  meta: z
    .looseObject({
      sender: z.looseObject({ phone_number: z.string().nullish() }).nullish(),
      assignee: z.looseObject({ id: id.nullish(), name: z.string().nullish() }).nullish(),
    })
    .nullish(),
});
export type ChatwootConversation = z.infer<typeof chatwootConversationSchema>;

/** The Chatwoot account of a conversation payload (its location varies across versions). */
export const conversationAccount = (c: ChatwootConversation) => c.account?.id ?? c.account_id ?? c.messages?.[0]?.account_id ?? null;

/**
 * Lifecycle events from Chatwoot: pending → open is the bot handing off (Chatwoot's agent-bot
 * flow), a new assignee is agent_assigned, resolved is conversation_resolved. Ids include the
 * change time, so a retried webhook dedupes but a later reopen/resolve counts again.
 */
export function normalizeChatwootConversation(project: string, c: ChatwootConversation, receivedAt: number): QueueMessageInput[] {
  const phone = toE164(c.meta?.sender?.phone_number) ?? toE164(c.contact_inbox?.source_id);
  const account = conversationAccount(c);
  if (!phone || account == null) return [];
  const changes = Object.assign({}, ...(c.changed_attributes ?? [])) as Record<
    string,
    { previous_value?: unknown; current_value?: unknown }
  >;
  const at = toMillis(c.updated_at ?? c.timestamp, receivedAt);
  const agentId = c.meta?.assignee?.id != null ? String(c.meta.assignee.id) : undefined;
  const make = (name: string, extra: Record<string, unknown> = {}): QueueMessageInput => ({
    kind: "event",
    event: whatsAppEvent({
      id: `chatwoot:${name}:${account}:${c.id}:${at}`,
      name,
      project,
      timestamp: at,
      receivedAt,
      phone,
      properties: { provider: "chatwoot", crm_account_id: account, crm_conversation_id: c.id, wa_id: phone.slice(1), ...extra },
    }),
  });
  const out: QueueMessageInput[] = [];
  if (c.event === "conversation_status_changed") {
    if (c.status === "resolved") out.push(make("conversation_resolved", { agent_id: agentId }));
    if (c.status === "open" && changes.status?.previous_value === "pending") out.push(make("handoff_requested"));
  }
  if (c.event === "conversation_updated" && changes.assignee_id && agentId) {
    out.push(make("agent_assigned", { agent_id: agentId, agent_name: c.meta?.assignee?.name?.slice(0, 256) ?? undefined }));
  }
  return out;
}
