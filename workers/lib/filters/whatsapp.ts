import { eventWhere, parseFilters, type Filters, type Sql } from "./index";

/** The dashboard filters with the channel pinned to WhatsApp (every metric here is WhatsApp-only). */
export function whatsappFilters(query: Record<string, string>): Filters {
  const f = parseFilters(query);
  return { ...f, eq: { ...f.eq, channel_type: "whatsapp" } };
}

/**
 * WHERE over `events` for the filters plus `event_name IN (…)`. The literal `channel_type = 'whatsapp'` (beside
 * the bound filter) lets SQLite use the partial covering index `events_whatsapp_name_time` (migration 0028).
 */
export function whatsappWhere(project: string, f: Filters, names: string[]): Sql {
  const w = eventWhere(project, f);
  const named = `event_name IN (${names.map(() => "?").join(", ")})`;
  return { sql: `${w.sql} AND channel_type = 'whatsapp' AND ${named}`, params: [...w.params, ...names] };
}

/** Conversations opened in [from, to): the cohort every conversation metric describes. */
export const CONVERSATIONS_IN_RANGE = "project_id = ?1 AND opened_at >= ?2 AND opened_at < ?3";
