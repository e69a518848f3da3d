import type { EventRecordInput } from "../contract";
import { sha256Hex } from "../lib/tokens";

export interface ConversationIds {
  project_id: string;
  conversation_id: string;
  external_id: string | null;
}

/**
 * The `conversation_resolved` event of an idle conversation. Its id derives from the conversation
 * and the deadline, so an alarm that runs twice (retries) still produces one event.
 */
export async function idleResolution(ids: ConversationIds, deadline: number, idleMs: number): Promise<EventRecordInput> {
  const hash = await sha256Hex(`${ids.project_id}\u0000${ids.conversation_id}\u0000${deadline}`);
  return {
    event_id: `idle_${hash.slice(0, 40)}`,
    project_id: ids.project_id,
    event_name: "conversation_resolved",
    channel_type: "whatsapp",
    timestamp: deadline,
    received_at: Date.now(),
    external_id: ids.external_id,
    conversation_id: ids.conversation_id,
    // `actor: "system"`: nobody did anything, so it is no person's activity (no visitor, no session).
    properties: { reason: "idle", resolved_by: "idle", actor: "system", idle_seconds: Math.round(idleMs / 1000) },
  };
}
