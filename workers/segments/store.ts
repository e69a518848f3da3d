import { segmentDefinitionSchema, type Segment, type SegmentDefinition } from "../contract";
import { ApiError } from "../lib/http";

type Row = { id: string; name: string; definition: string; created_at: number; updated_at: number };

function toSegment(r: Row): Segment {
  return {
    id: r.id,
    name: r.name,
    definition: segmentDefinitionSchema.parse(JSON.parse(r.definition)),
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

const COLS = "id, name, definition, created_at, updated_at";

export async function listSegments(db: D1Database, projectId: string): Promise<Segment[]> {
  const { results } = await db
    .prepare(`SELECT ${COLS} FROM segments WHERE project_id = ? ORDER BY created_at DESC, id`)
    .bind(projectId)
    .all<Row>();
  return results.map(toSegment);
}

/** One segment of the project; 404 when it does not exist there. */
export async function getSegment(db: D1Database, projectId: string, id: string): Promise<Segment> {
  const row = await db.prepare(`SELECT ${COLS} FROM segments WHERE project_id = ? AND id = ?`).bind(projectId, id).first<Row>();
  if (!row) throw new ApiError(404, "segment_not_found", `segment "${id}" does not exist in this project`);
  return toSegment(row);
}

export async function createSegment(db: D1Database, projectId: string, name: string, def: SegmentDefinition): Promise<Segment> {
  const id = crypto.randomUUID();
  const now = Date.now();
  await db
    .prepare("INSERT INTO segments (id, project_id, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(id, projectId, name, JSON.stringify(def), now, now)
    .run();
  return { id, name, definition: def, created_at: new Date(now).toISOString(), updated_at: new Date(now).toISOString() };
}

export async function updateSegment(db: D1Database, projectId: string, id: string, name: string, def: SegmentDefinition): Promise<Segment> {
  const r = await db
    .prepare("UPDATE segments SET name = ?, definition = ?, updated_at = ? WHERE project_id = ? AND id = ?")
    .bind(name, JSON.stringify(def), Date.now(), projectId, id)
    .run();
  if (!r.meta.changes) throw new ApiError(404, "segment_not_found", `segment "${id}" does not exist in this project`);
  return getSegment(db, projectId, id);
}

export async function deleteSegment(db: D1Database, projectId: string, id: string): Promise<void> {
  const r = await db.prepare("DELETE FROM segments WHERE project_id = ? AND id = ?").bind(projectId, id).run();
  if (!r.meta.changes) throw new ApiError(404, "segment_not_found", `segment "${id}" does not exist in this project`);
}
