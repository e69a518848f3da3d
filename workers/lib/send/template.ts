import { templateSchema, type Template, type TemplateVariable } from "../../contract";
import type { RenderedComponent } from "./types";

type Row = {
  id: string;
  name: string;
  language: string;
  category: string;
  components: string;
  twilio_content_sid: string | null;
  created_at: number;
  updated_at: number;
};

const COLS = "id, name, language, category, components, twilio_content_sid, created_at, updated_at";

const toTemplate = (r: Row): Template =>
  templateSchema.parse({
    ...r,
    components: JSON.parse(r.components),
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  });

/** The project's templates, by name. */
export async function listTemplates(db: D1Database, projectId: string): Promise<Template[]> {
  const { results } = await db
    .prepare(`SELECT ${COLS} FROM templates WHERE project_id = ? ORDER BY name, language`)
    .bind(projectId)
    .all<Row>();
  return results.map(toTemplate);
}

/** One template of the project, or null. */
export async function loadTemplate(db: D1Database, projectId: string, id: string): Promise<Template | null> {
  const row = await db.prepare(`SELECT ${COLS} FROM templates WHERE project_id = ? AND id = ?`).bind(projectId, id).first<Row>();
  return row ? toTemplate(row) : null;
}

/** What a person offers a template: contact traits (with `name`) and the latest properties of events by name. */
export type PersonData = { traits: Record<string, unknown>; events: Record<string, Record<string, unknown>> };

const text = (v: unknown): string | null => {
  if (v === null || v === undefined) return null;
  const s = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null;
  return s?.trim() ? s.slice(0, 1024) : null;
};

const label = (v: TemplateVariable) => (v.from === "trait" ? v.key : v.from === "event" ? `${v.event}.${v.property}` : "static");

/**
 * Renders every variable of `t` for one person. A variable with no value and no default makes
 * the whole message invalid: `{ok: false, missing}` names it, so the person is skipped with a
 * reason instead of receiving a message with a hole in it.
 */
export function renderTemplate(t: Template, p: PersonData): { ok: true; components: RenderedComponent[] } | { ok: false; missing: string } {
  const components: RenderedComponent[] = [];
  for (const c of t.components) {
    const values: string[] = [];
    for (const v of c.variables) {
      const value =
        v.from === "static" ? v.value : (text(v.from === "trait" ? p.traits[v.key] : p.events[v.event]?.[v.property]) ?? v.default ?? null);
      if (value === null) return { ok: false, missing: label(v) };
      values.push(value);
    }
    components.push({ type: c.type, sub_type: c.sub_type, index: c.index, values });
  }
  return { ok: true, components };
}

/** The events a template reads properties of (to load the person's latest of each). */
export const templateEvents = (t: Template) => [
  ...new Set(t.components.flatMap((c) => c.variables.flatMap((v) => (v.from === "event" ? [v.event] : [])))),
];
