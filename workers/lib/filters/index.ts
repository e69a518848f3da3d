/**
 * Shared query filters for every dashboard endpoint (stats, funnels, exports, WhatsApp metrics).
 *
 *   const f = parseFilters(c.req.query());            // zod-validated; 400 ApiError on bad input
 *   const w = eventWhere(projectId, f, { alias: "e" }); // { sql, params } over `events`, bound params only
 *   db.prepare(`SELECT ... FROM events e WHERE ${w.sql}`).bind(...w.params)
 *   localBuckets(f.from, f.to, f.tz, f.interval)      // [{label, start, end}] local hour/day/week/month buckets
 *   previousPeriod(f)                                   // same-length range just before
 *
 * Query string: from, to (ISO date = local day in `tz`, date-only `to` inclusive; or ISO datetime,
 * `to` exclusive; default last 7 days), tz (IANA, default UTC), interval (hour|day|week|month),
 * channel (web|whatsapp), include_bots (true to include), any DIMENSIONS key (path, referrer,
 * utm_source, utm_medium, utm_campaign, utm_term, utm_content, country, region, city, device_type,
 * browser, os, event_name) = exact value, and prop.<key>=value on event properties.
 */
export * from "./query";
export * from "./timezone";
export * from "./where";
