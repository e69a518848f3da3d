import { systemEventSql } from "../contract";

/** Dimensions kept in the rollups ('' = all events); the same whitelist the API accepts. */
export const ROLLUP_DIMENSIONS = [
  "",
  "path",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "country",
  "region",
  "city",
  "device_type",
  "browser",
  "os",
  "event_name",
  "channel_type",
] as const;

/**
 * Filters answered from rollups too (one at a time, with channel and bots): their values' counts and
 * visitors are rollup dimensions already; sessions per value have their own sketches and tables
 * (rollup_filter_sessions, rollup_filter_session_totals; migration 0017).
 */
export const FILTER_DIMENSIONS = ["country", "device_type", "utm_source", "utm_medium", "utm_campaign", "path"] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

/**
 * Who a visitor is, in SQL (as `visitorOf`): on the web the anonymous id (else the user id), on
 * WhatsApp the contact, whatever other ids the event carries (a `webview_opened` carries both);
 * nobody for a system event.
 */
export const visitorKey = (a = "") =>
  `CASE WHEN ${systemEventSql(a)} THEN NULL WHEN ${a}channel_type = 'whatsapp' THEN 'x:' || ${a}external_id ELSE coalesce(${a}anonymous_id, 'u:' || ${a}user_id) END`;
/** What a session is, in SQL (as `sessionOf`): the web session, or the WhatsApp conversation; none for a system event. */
export const sessionKey = (a = "") =>
  `CASE WHEN ${systemEventSql(a)} THEN NULL WHEN ${a}channel_type = 'whatsapp' THEN ${a}conversation_id ELSE ${a}session_id END`;

/** Dimensions that describe only web events (a WhatsApp event has no page, referrer, UTM or browser). */
export const WEB_ONLY_DIMENSIONS: ReadonlySet<string> = new Set([
  "path",
  "referrer",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "utm_term",
  "utm_content",
  "region",
  "city",
  "device_type",
  "browser",
  "os",
]);
/** A dimension's value as rollups store it ('' for missing), for CASE over a `dim` column. */
export const dimensionValue = (dim: string, a = "") =>
  `CASE ${dim} ${ROLLUP_DIMENSIONS.map((d) => `WHEN '${d}' THEN ${d ? `coalesce(${a}${d}, '')` : "''"}`).join(" ")} END`;
