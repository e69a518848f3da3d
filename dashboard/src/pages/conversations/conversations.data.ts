import { createResource } from "solid-js";
import { getJson } from "../../lib/api";
import { loadPages } from "../../lib/pages";
import { project } from "../../lib/session";
import type { ConversationList, ConversationRow, Timeline } from "../../lib/types";
import { generation, param, rangeQuery } from "../../lib/view-state";

/** The list's filters, URL keys as the API's query keys. */
export const CONVERSATION_FILTERS = ["state", "agent", "resolved_by", "label"] as const;
/**
 * Filters the Agents page's figures open the list with (the API's own keys and values); the form
 * has no control for them, so the page names each one with a way to remove it.
 */
export const FIGURE_FILTERS = {
  handled_by_agent: { true: "handled by an agent" },
  sla_first_response: { met: "first response within target", breached: "first response breached" },
  sla_resolution: { met: "resolved within target", breached: "resolution breached" },
  sla_breached: { true: "an SLA target breached", false: "no SLA target breached" },
} as const satisfies Record<string, Record<string, string>>;
export const STATES = ["bot", "queued", "agent", "resolved"] as const;
export const RESOLVERS = ["agent", "bot", "idle", "customer"] as const;

const PAGE = 50;

/** Conversations opened in the view's range, newest first, filtered as the URL says; cursor pages. */
export function loadConversations() {
  return loadPages(
    () => {
      const range = rangeQuery();
      const filters = Object.fromEntries([...CONVERSATION_FILTERS, ...Object.keys(FIGURE_FILTERS)].map((k) => [k, param(k)]));
      return range && { project: project(), tick: generation(), ...range, ...filters };
    },
    async ({ project: _p, tick: _t, ...q }, cursor) => {
      const r = await getJson<ConversationList>("/conversations", { ...q, limit: PAGE, cursor });
      return { items: r.conversations, total: null, next: r.next };
    },
  );
}

// The selected conversation may have opened before the view's range (a link from an event list):
// it is looked up over the longest range the API allows.
const LOOKUP_DAYS = 399;

/** The conversation in the URL (`conversation=`): its metrics row and its events, from the contact's timeline. */
export function loadConversation() {
  return createResource(
    () => !!param("conversation") && { project: project(), tick: generation(), id: param("conversation") },
    async ({ id }): Promise<{ row: ConversationRow | undefined; events: Timeline["events"] }> => {
      const to = new Date(Date.now() + 86_400_000);
      const from = new Date(to.getTime() - LOOKUP_DAYS * 86_400_000);
      const list = await getJson<ConversationList>("/conversations", {
        conversation_id: id,
        from: from.toISOString(),
        to: to.toISOString(),
        limit: 1,
      });
      const row = list.conversations[0];
      if (!row?.external_id) return { row, events: [] };
      const timeline = await getJson<Timeline>("/timeline", { external_id: row.external_id });
      return { row, events: timeline.events.filter((e) => e.conversation_id === id) };
    },
  );
}
