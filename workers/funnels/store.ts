import { ApiError } from "../lib/http";
import { funnelDefinitionSchema, type FunnelDefinition } from "./definition";

export type SavedFunnel = FunnelDefinition & { id: string; name: string; created_at: string };

type Row = { id: string; name: string; definition: string; created_at: number };

function toFunnel(r: Row): SavedFunnel {
  // Definitions were validated on the way in; parse again so a hand-edited row fails loudly, not oddly.
  const def = funnelDefinitionSchema.parse(JSON.parse(r.definition));
  return { id: r.id, name: r.name, ...def, created_at: new Date(r.created_at).toISOString() };
}

/** Saved funnels of a project, newest first. */
export async function listFunnels(db: D1Database, projectId: string): Promise<SavedFunnel[]> {
  const { results } = await db
    .prepare("SELECT id, name, definition, created_at FROM funnels WHERE project_id = ? ORDER BY created_at DESC, id")
    .bind(projectId)
    .all<Row>();
  return results.map(toFunnel);
}

/** One saved funnel of a project; 404 when it does not exist there. */
export async function getFunnel(db: D1Database, projectId: string, id: string): Promise<SavedFunnel> {
  const row = await db
    .prepare("SELECT id, name, definition, created_at FROM funnels WHERE project_id = ? AND id = ?")
    .bind(projectId, id)
    .first<Row>();
  if (!row) throw new ApiError(404, "funnel_not_found", `funnel "${id}" does not exist in this project`);
  return toFunnel(row);
}

/** Saves a funnel definition under a fresh id. */
export async function saveFunnel(db: D1Database, projectId: string, name: string, def: FunnelDefinition): Promise<SavedFunnel> {
  const id = crypto.randomUUID();
  const now = Date.now();
  await db
    .prepare("INSERT INTO funnels (id, project_id, name, definition, created_at) VALUES (?, ?, ?, ?, ?)")
    .bind(id, projectId, name, JSON.stringify(def), now)
    .run();
  return { id, name, ...def, created_at: new Date(now).toISOString() };
}

/** Deletes a saved funnel; 404 when it does not exist in the project. */
export async function deleteFunnel(db: D1Database, projectId: string, id: string): Promise<void> {
  const r = await db.prepare("DELETE FROM funnels WHERE project_id = ? AND id = ?").bind(projectId, id).run();
  if (!r.meta.changes) throw new ApiError(404, "funnel_not_found", `funnel "${id}" does not exist in this project`);
}
