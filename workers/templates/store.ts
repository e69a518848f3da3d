import type { Template, TemplateInput } from "../contract";
import { ApiError } from "../lib/http";
import { loadTemplate } from "../lib/send";

const notFound = (id: string) => new ApiError(404, "template_not_found", `template "${id}" does not exist in this project`);

/** A template of the project; 404 when it does not exist there. */
export async function getTemplate(db: D1Database, projectId: string, id: string): Promise<Template> {
  const t = await loadTemplate(db, projectId, id);
  if (!t) throw notFound(id);
  return t;
}

const duplicate = (t: TemplateInput) => new ApiError(409, "template_exists", `a template ${t.name} (${t.language}) already exists`);

const isUnique = (err: unknown) => String((err as Error)?.message ?? err).includes("UNIQUE");

export async function createTemplate(db: D1Database, projectId: string, t: TemplateInput): Promise<Template> {
  const id = crypto.randomUUID();
  const now = Date.now();
  try {
    await db
      .prepare(
        "INSERT INTO templates (id, project_id, name, language, category, components, twilio_content_sid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .bind(id, projectId, t.name, t.language, t.category, JSON.stringify(t.components), t.twilio_content_sid ?? null, now, now)
      .run();
  } catch (err) {
    if (isUnique(err)) throw duplicate(t);
    throw err;
  }
  return getTemplate(db, projectId, id);
}

export async function updateTemplate(db: D1Database, projectId: string, id: string, t: TemplateInput): Promise<Template> {
  let changes = 0;
  try {
    const r = await db
      .prepare(
        "UPDATE templates SET name = ?, language = ?, category = ?, components = ?, twilio_content_sid = ?, updated_at = ? WHERE project_id = ? AND id = ?",
      )
      .bind(t.name, t.language, t.category, JSON.stringify(t.components), t.twilio_content_sid ?? null, Date.now(), projectId, id)
      .run();
    changes = r.meta.changes;
  } catch (err) {
    if (isUnique(err)) throw duplicate(t);
    throw err;
  }
  if (!changes) throw notFound(id);
  return getTemplate(db, projectId, id);
}

export async function deleteTemplate(db: D1Database, projectId: string, id: string): Promise<void> {
  const r = await db.prepare("DELETE FROM templates WHERE project_id = ? AND id = ?").bind(projectId, id).run();
  if (!r.meta.changes) throw notFound(id);
}
