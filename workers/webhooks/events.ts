import type { EventRecordInput } from "../contract";
import { conversationIdFor } from "../lib/phone";

/**
 * Length of a message body in Unicode code points (an emoji counts once). The text itself is
 * dropped right after this: Junction never stores message content.
 */
export const contentLength = (text: string | null | undefined) => (text ? [...text].length : 0);

/** Epoch ms from Unix seconds (Meta's string timestamps), an ISO string, or a fallback. */
export function toMillis(value: unknown, fallback: number): number {
  if (typeof value === "number" && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === "string" && /^\d{9,11}$/.test(value)) return Number(value) * 1000;
  if (typeof value === "string") {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return ms;
  }
  return fallback;
}

/** Drops undefined entries so stored properties only name what the provider sent. */
function compact(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

export interface WhatsAppEvent {
  id: string;
  name: string;
  project: string;
  timestamp: number;
  receivedAt: number;
  phone: string | null;
  /** Given by the provider/CRM; otherwise derived from the phone. */
  conversationId?: string | null;
  properties: Record<string, unknown>;
}

/** A WhatsApp event in the stored shape of the event contract (docs/architecture.md, event contract). */
export function whatsAppEvent(e: WhatsAppEvent): EventRecordInput {
  return {
    event_id: e.id,
    project_id: e.project,
    event_name: e.name,
    channel_type: "whatsapp",
    timestamp: Math.max(0, Math.round(e.timestamp)),
    received_at: e.receivedAt,
    external_id: e.phone,
    conversation_id: e.conversationId ?? (e.phone ? conversationIdFor(e.project, e.phone) : null),
    properties: compact(e.properties),
  };
}
