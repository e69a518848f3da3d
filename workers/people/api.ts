import { Hono } from "hono";
import { z } from "zod";
import { personErasedSchema, type PersonErased } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { badField, parseOr400 } from "../lib/http";
import { doc } from "../lib/openapi";
import { ID_KINDS, type Id } from "../lib/person";
import { toE164 } from "../lib/phone";
import { erasePerson, type ErasableObjects } from "./erase";

const querySchema = z.object({
  anonymous_id: z.string().min(1).max(128).optional(),
  external_id: z.string().min(1).max(40).optional(),
  user_id: z.string().min(1).max(128).optional(),
});

const eraseDoc = doc({
  summary: "Erase a person across web and WhatsApp",
  description:
    "Give exactly one of anonymous_id, external_id (a phone) or user_id; every id linked to it is erased with it: events, " +
    "identity links, conversations and their Durable Object state, handshake tokens, contacts and consent, session rows, " +
    "deliveries' references to the events and dead letters. Distinct-count sketches cannot forget (docs/privacy.md). " +
    "A later event of the same ids starts a new person; a late delivery of an erased event is not stored again. Safe to repeat.",
  tags: ["privacy"],
  auth: "project",
  query: querySchema,
  responses: { 200: { description: "the ids erased and how many records of each kind", schema: personErasedSchema } },
  errors: ["invalid_query"],
});

/** `DELETE /api/projects/:project/people?anonymous_id=|external_id=|user_id=` (admin or the `privacy` scope). */
export function peopleApi(objects: ErasableObjects) {
  const api = new Hono<ApiEnv>();
  api.delete("/", eraseDoc, async (c) => {
    const q = parseOr400(querySchema, c.req.query(), "query");
    const given = ID_KINDS.filter((k) => q[k] !== undefined);
    if (given.length !== 1) throw badField("invalid_query", "", "give exactly one of anonymous_id, external_id, user_id");
    const kind = given[0];
    let value = q[kind]!;
    if (kind === "external_id") {
      // Phones are stored in E.164; a `+` in a query string decodes to a space, so it is normalized.
      const e164 = toE164(value);
      if (!e164) throw badField("invalid_query", "external_id", "external_id must be a phone number (E.164, e.g. +254712345678)");
      value = e164;
    }
    const id: Id = { kind, value };
    const answer = await erasePerson(c.env, objects, c.get("project").id, id);
    return c.json(answer satisfies PersonErased);
  });
  return api;
}
