import type { EventRecord } from "../contract";
import { DEFAULT_FOLD_OPTIONS, transition, type FoldOptions } from "./state-machine";
import { initialConversation, type Conversation, type ConversationEvent } from "./types";

// WhatsApp timestamps have one-second resolution, so ties are common: order them the way a
// conversation unfolds (the customer writes, the bot hands off, an agent answers, then resolution).
const PRIORITY: Record<string, number> = {
  first_contact: 0,
  conversation_started: 0,
  consent_changed: 1,
  message_received: 2,
  webview_opened: 3,
  handoff_requested: 4,
  agent_assigned: 5,
  bot_response: 6,
  message_sent: 6,
  message_status: 7,
  conversation_resolved: 8,
};

/** Events deduplicated by id and ordered by time (then by conversational order, then id). */
export function orderEvents(events: ConversationEvent[]): ConversationEvent[] {
  const unique = new Map(events.map((e) => [e.event_id, e]));
  return [...unique.values()].sort(
    (a, b) =>
      a.timestamp - b.timestamp ||
      (PRIORITY[a.name] ?? 3) - (PRIORITY[b.name] ?? 3) ||
      (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0),
  );
}

/** The conversation as its events say, whatever order and however often they arrived. */
export function fold(events: ConversationEvent[], options: FoldOptions = DEFAULT_FOLD_OPTIONS): Conversation {
  return orderEvents(events).reduce((c, e) => transition(c, e, options), initialConversation());
}

const str = (v: unknown) => (typeof v === "string" && v ? v : null);
const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Labels as a helpdesk or CRM reports them: `labels` (array) or `label` (one). */
function labelsOf(p: Record<string, unknown>): string[] | null {
  const raw = Array.isArray(p.labels) ? p.labels : typeof p.label === "string" ? [p.label] : [];
  const labels = raw.filter((l): l is string => typeof l === "string" && l.length > 0 && l.length <= 100);
  return labels.length ? labels : null;
}

/** The state machine's view of a stored WhatsApp event. */
export function toConversationEvent(r: EventRecord): ConversationEvent {
  const p = r.properties ?? {};
  const direction = str(p.direction);
  const sender = str(p.sender);
  return {
    event_id: r.event_id,
    name: r.event_name,
    timestamp: r.timestamp,
    direction: direction === "inbound" || direction === "outbound" ? direction : null,
    sender: sender === "bot" || sender === "agent" ? sender : null,
    agent_id: str(p.agent_id),
    status: str(p.status),
    message_id: str(p.provider_message_id),
    reason: str(p.reason),
    content_length: num(p.content_length),
    has_media: typeof p.has_media === "boolean" ? p.has_media : null,
    resolved_by: str(p.resolved_by),
    csat_score: num(p.csat_score),
    labels: labelsOf(p),
    priority: str(p.priority)?.slice(0, 50) ?? null,
  };
}
