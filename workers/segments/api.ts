import { Hono } from "hono";
import { z } from "zod";
import { segmentDefinitionInputSchema, segmentListSchema, segmentPreviewSchema, segmentSchema, type SegmentDefinition } from "../contract";
import type { ApiEnv } from "../lib/auth";
import { csvHeaders, csvStream } from "../lib/csv";
import { parseOr400, readJson } from "../lib/http";
import { doc } from "../lib/openapi";
import { countMembers, memberPage, type Member } from "./members";
import { createSegment, deleteSegment, getSegment, listSegments, updateSegment } from "./store";

const SAMPLE = 20;
const EXPORT_PAGE = 500;

const saveSchema = z.strictObject({ name: z.string().min(1).max(200), definition: segmentDefinitionInputSchema });

const iso = (t: number | null) => (t == null ? null : new Date(t).toISOString());
const sampleRow = (m: Member) => ({ person_id: m.person_id, whatsapp: m.whatsapp, name: m.name, last_seen_at: iso(m.last_seen_at) });

async function preview(db: D1Database, projectId: string, def: SegmentDefinition) {
  const start = Date.now();
  const now = Date.now();
  const [count, sample] = await Promise.all([countMembers(db, projectId, def, now), memberPage(db, projectId, def, "", SAMPLE, now)]);
  return { count, sample: sample.map(sampleRow), evaluated_at: new Date(now).toISOString(), took_ms: Date.now() - start };
}

/** Segments: saved definitions over people across both channels, previewed and exported on demand. */
export const segmentsApi = new Hono<ApiEnv>();

segmentsApi.get(
  "/",
  doc({
    summary: "Segments",
    tags: ["segments"],
    auth: "project",
    responses: { 200: { description: "newest first", schema: segmentListSchema } },
  }),
  async (c) => c.json({ segments: await listSegments(c.env.DB, c.get("project").id) }),
);

segmentsApi.post(
  "/",
  doc({
    summary: "Save a segment",
    tags: ["segments"],
    auth: "project",
    body: saveSchema,
    responses: { 201: { description: "the saved segment", schema: segmentSchema } },
    errors: ["invalid_json", "invalid_segment"],
  }),
  async (c) => {
    const { name, definition } = parseOr400(saveSchema, await readJson(c), "segment");
    return c.json(await createSegment(c.env.DB, c.get("project").id, name, definition), 201);
  },
);

segmentsApi.post(
  "/preview",
  doc({
    summary: "Preview an unsaved definition",
    description: "A read (any read scope): the member count and up to 20 members.",
    tags: ["segments"],
    auth: "project",
    body: segmentDefinitionInputSchema,
    responses: { 200: { description: "count and sample", schema: segmentPreviewSchema } },
    errors: ["invalid_json", "invalid_segment"],
  }),
  async (c) => {
    const def = parseOr400(segmentDefinitionInputSchema, await readJson(c), "segment");
    return c.json(await preview(c.env.DB, c.get("project").id, def));
  },
);

segmentsApi.get(
  "/:id",
  doc({
    summary: "One segment",
    tags: ["segments"],
    auth: "project",
    responses: { 200: { description: "the segment", schema: segmentSchema } },
    errors: ["segment_not_found"],
  }),
  async (c) => c.json(await getSegment(c.env.DB, c.get("project").id, c.req.param("id"))),
);

segmentsApi.put(
  "/:id",
  doc({
    summary: "Replace a segment's name and definition",
    tags: ["segments"],
    auth: "project",
    body: saveSchema,
    responses: { 200: { description: "the segment", schema: segmentSchema } },
    errors: ["invalid_json", "invalid_segment", "segment_not_found"],
  }),
  async (c) => {
    const { name, definition } = parseOr400(saveSchema, await readJson(c), "segment");
    return c.json(await updateSegment(c.env.DB, c.get("project").id, c.req.param("id"), name, definition));
  },
);

segmentsApi.delete(
  "/:id",
  doc({
    summary: "Delete a segment",
    tags: ["segments"],
    auth: "project",
    responses: { 204: { description: "deleted" } },
    errors: ["segment_not_found"],
  }),
  async (c) => {
    await deleteSegment(c.env.DB, c.get("project").id, c.req.param("id"));
    return c.body(null, 204);
  },
);

segmentsApi.get(
  "/:id/preview",
  doc({
    summary: "Member count and sample of a saved segment",
    tags: ["segments"],
    auth: "project",
    responses: { 200: { description: "count and sample", schema: segmentPreviewSchema } },
    errors: ["segment_not_found"],
  }),
  async (c) => {
    const seg = await getSegment(c.env.DB, c.get("project").id, c.req.param("id"));
    return c.json(await preview(c.env.DB, c.get("project").id, seg.definition));
  },
);

segmentsApi.get(
  "/:id/members.csv",
  doc({
    summary: "Every member of a segment, as CSV",
    description: "Streamed in pages of 500 members (person_id order): person_id, whatsapp, name, timezone, consent, last_seen_at.",
    tags: ["segments"],
    auth: "project",
    responses: { 200: { description: "CSV", type: "text/csv" } },
    errors: ["segment_not_found"],
  }),
  async (c) => {
    const projectId = c.get("project").id;
    const seg = await getSegment(c.env.DB, projectId, c.req.param("id"));
    const now = Date.now();
    let after = "";
    let done = false;
    const body = csvStream(["person_id", "whatsapp", "name", "timezone", "consent", "last_seen_at"], async () => {
      if (done) return null;
      const page = await memberPage(c.env.DB, projectId, seg.definition, after, EXPORT_PAGE, now);
      if (page.length < EXPORT_PAGE) done = true;
      if (!page.length) return null;
      after = page[page.length - 1]!.person_id;
      return page.map((m) => [m.person_id, m.whatsapp, m.name, m.timezone, m.consent, iso(m.last_seen_at)]);
    });
    return new Response(body, { headers: csvHeaders(`segment-${seg.name}.csv`) });
  },
);
