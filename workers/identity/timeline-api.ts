import { Hono } from "hono";
import { z } from "zod";
import { parsePhone } from "../lib/phone";
import { isBsuid, WHATSAPP_ID_MAX } from "../contract";
import { resolvePerson } from "./person";
import { ID_KINDS, type Id } from "../lib/person";
import { badField, parseOr400 } from "../lib/http";
import { timelineSchema } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { doc } from "../lib/openapi";
import { eventRow } from "../lib/rows";

const querySchema = z.object({
  anonymous_id: z.string().min(1).max(128).optional(),
  /** A phone (E.164, or as typed) or a WhatsApp business-scoped user id. */
  external_id: z.string().min(1).max(WHATSAPP_ID_MAX).optional(),
  user_id: z.string().min(1).max(128).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
});

// Each id list travels as one JSON parameter (D1 allows 100 bound parameters per statement). One
// arm per id column keeps every arm on its (project_id, <id>, timestamp) index; UNION drops the
// rows two arms share. The last arm catches conversation events that do not repeat the phone.
const TIMELINE_SQL = `
SELECT * FROM events WHERE project_id = ?1 AND anonymous_id IN (SELECT value FROM json_each(?2)) AND timestamp >= ?5 AND timestamp < ?6
UNION SELECT * FROM events WHERE project_id = ?1 AND external_id IN (SELECT value FROM json_each(?3)) AND timestamp >= ?5 AND timestamp < ?6
UNION SELECT * FROM events WHERE project_id = ?1 AND user_id IN (SELECT value FROM json_each(?4)) AND timestamp >= ?5 AND timestamp < ?6
UNION SELECT * FROM events WHERE project_id = ?1 AND conversation_id IN
  (SELECT conversation_id FROM conversations WHERE project_id = ?1 AND external_id IN (SELECT value FROM json_each(?3)))
  AND timestamp >= ?5 AND timestamp < ?6
ORDER BY timestamp, event_id LIMIT ?7`;

/**
 * The stored form of a contact id given in a query: a BSUID verbatim; a phone in E.164 (a `+` in a
 * query string decodes to a space, and people type national numbers); anything else as given.
 */
function contactId(raw: string, defaultCountry: string | null): string {
  const trimmed = raw.trim();
  if (isBsuid(trimmed)) return trimmed;
  const phone = parsePhone(/^\d/.test(trimmed) && raw.startsWith(" ") ? "+" + trimmed : trimmed, defaultCountry);
  return phone.ok ? phone.e164 : raw;
}

/** `GET /api/projects/:project/timeline`: one person's events across web and WhatsApp, oldest first. */
export const timelineApi = new Hono<ApiEnv>();

const timelineDoc = doc({
  summary: "One person's events across web and WhatsApp, oldest first",
  description:
    "Give exactly one of anonymous_id, external_id (a phone or a WhatsApp business-scoped user id) or user_id; every id linked to it is followed.",
  tags: ["identity"],
  auth: "project",
  query: querySchema,
  responses: { 200: { description: "the person and their events", schema: timelineSchema } },
  errors: ["invalid_query"],
});

timelineApi.get("/", timelineDoc, async (c) => {
  const q = parseOr400(querySchema, c.req.query(), "query");
  const given = ID_KINDS.filter((k) => q[k] !== undefined);
  if (given.length !== 1) throw badField("invalid_query", "", "give exactly one of anonymous_id, external_id, user_id");
  const kind = given[0];
  const project = c.get("project");
  const projectId = project.id;
  const id: Id = { kind, value: kind === "external_id" ? contactId(q.external_id!, project.defaultCountry) : q[kind]! };

  const person = await resolvePerson(c.env.DB, projectId, id);
  const since = q.since ? Date.parse(q.since) : 0;
  const until = q.until ? Date.parse(q.until) : Number.MAX_SAFE_INTEGER;
  const { results } = await c.env.DB.prepare(TIMELINE_SQL)
    .bind(
      projectId,
      JSON.stringify(person.anonymous_ids),
      JSON.stringify(person.external_ids),
      JSON.stringify(person.user_ids),
      since,
      until,
      q.limit + 1,
    )
    .all<Record<string, unknown>>();
  return c.json({ person, events: results.slice(0, q.limit).map(eventRow), has_more: results.length > q.limit });
});
