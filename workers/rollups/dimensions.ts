/** Dimensions kept in the rollups ('' = all events); the same whitelist the API accepts. */
export const ROLLUP_DIMENSIONS = [
  "", "path", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content",
  "country", "region", "city", "device_type", "browser", "os", "event_name", "channel_type",
] as const;

/** Who a visitor is, in SQL: the web anonymous id, else the WhatsApp contact (as `visitorOf`). */
export const visitorKey = (a = "") => `coalesce(${a}anonymous_id, 'x:' || ${a}external_id, 'u:' || ${a}user_id)`;
/** What a session is, in SQL: the web session, else the WhatsApp conversation (as `sessionOf`). */
export const sessionKey = (a = "") => `coalesce(${a}session_id, ${a}conversation_id)`;
/** A dimension's value as rollups store it ('' for missing), for CASE over a `dim` column. */
export const dimensionValue = (dim: string, a = "") =>
  `CASE ${dim} ${ROLLUP_DIMENSIONS.map((d) => `WHEN '${d}' THEN ${d ? `coalesce(${a}${d}, '')` : "''"}`).join(" ")} END`;
