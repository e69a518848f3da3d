import { automationDefinitionSchema, type Automation, type AutomationDefinition } from "../contract";
import { ApiError } from "../lib/http";

export type AutomationRow = {
  id: string;
  project_id: string;
  name: string;
  status: "active" | "paused";
  definition: string;
  secret: string;
  max_runs_per_hour: number;
  last_tick_at: number | null;
  created_at: number;
  updated_at: number;
};

/** An automation as stored, with its parsed definition and secret. */
export type Loaded = Automation & { project_id: string; secret: string; last_tick_at: number | null };

export function toLoaded(r: AutomationRow): Loaded {
  const def = automationDefinitionSchema.parse(JSON.parse(r.definition));
  return {
    id: r.id,
    project_id: r.project_id,
    name: r.name,
    status: r.status,
    ...def,
    max_runs_per_hour: r.max_runs_per_hour,
    secret: r.secret,
    last_tick_at: r.last_tick_at,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

/** The public shape (no secret). */
export function publicAutomation(a: Loaded): Automation {
  const { project_id: _p, secret: _s, last_tick_at: _t, ...rest } = a;
  return rest;
}

const notFound = (id: string) => new ApiError(404, "automation_not_found", `automation "${id}" does not exist in this project`);

export async function findAutomation(db: D1Database, projectId: string, id: string): Promise<Loaded | null> {
  const row = await db.prepare("SELECT * FROM automations WHERE project_id = ? AND id = ?").bind(projectId, id).first<AutomationRow>();
  return row ? toLoaded(row) : null;
}

export async function getAutomation(db: D1Database, projectId: string, id: string): Promise<Loaded> {
  const a = await findAutomation(db, projectId, id);
  if (!a) throw notFound(id);
  return a;
}

export async function listAutomations(db: D1Database, projectId: string): Promise<Loaded[]> {
  const { results } = await db
    .prepare("SELECT * FROM automations WHERE project_id = ? ORDER BY created_at DESC, id")
    .bind(projectId)
    .all<AutomationRow>();
  return results.map(toLoaded);
}

/** The columns the consumer and the scheduled run select on. */
function lookups(def: AutomationDefinition) {
  return {
    kind: def.trigger.type,
    event: def.trigger.type === "event" ? def.trigger.event : null,
    wait: def.wait?.type === "until_event" ? def.wait.event : null,
  };
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return "whsec_" + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function createAutomation(db: D1Database, projectId: string, name: string, def: AutomationDefinition): Promise<Loaded> {
  const id = crypto.randomUUID();
  const now = Date.now();
  const l = lookups(def);
  const { max_runs_per_hour, ...rest } = def;
  await db
    .prepare(
      `INSERT INTO automations (id, project_id, name, status, definition, trigger_kind, trigger_event, wait_event, secret, max_runs_per_hour, created_at, updated_at)
       VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .bind(id, projectId, name, JSON.stringify(rest), l.kind, l.event, l.wait, randomSecret(), max_runs_per_hour, now, now)
    .run();
  return getAutomation(db, projectId, id);
}

export async function updateAutomation(
  db: D1Database,
  projectId: string,
  id: string,
  name: string,
  def: AutomationDefinition,
): Promise<Loaded> {
  const l = lookups(def);
  const { max_runs_per_hour, ...rest } = def;
  const r = await db
    .prepare(
      "UPDATE automations SET name = ?, definition = ?, trigger_kind = ?, trigger_event = ?, wait_event = ?, max_runs_per_hour = ?, updated_at = ? WHERE project_id = ? AND id = ?",
    )
    .bind(name, JSON.stringify(rest), l.kind, l.event, l.wait, max_runs_per_hour, Date.now(), projectId, id)
    .run();
  if (!r.meta.changes) throw notFound(id);
  return getAutomation(db, projectId, id);
}

export async function setStatus(db: D1Database, projectId: string, id: string, status: "active" | "paused"): Promise<Loaded> {
  const r = await db
    .prepare("UPDATE automations SET status = ?, updated_at = ? WHERE project_id = ? AND id = ?")
    .bind(status, Date.now(), projectId, id)
    .run();
  if (!r.meta.changes) throw notFound(id);
  return getAutomation(db, projectId, id);
}

/** Deletes the automation and its log. */
export async function deleteAutomation(db: D1Database, projectId: string, id: string): Promise<void> {
  const [, r] = await db.batch([
    db
      .prepare("DELETE FROM automation_segment_members WHERE automation_id IN (SELECT id FROM automations WHERE project_id = ? AND id = ?)")
      .bind(projectId, id),
    db.prepare("DELETE FROM automations WHERE project_id = ? AND id = ?").bind(projectId, id),
    db
      .prepare(
        "DELETE FROM automation_run_steps WHERE run_id IN (SELECT id FROM automation_runs WHERE project_id = ? AND automation_id = ?)",
      )
      .bind(projectId, id),
    db.prepare("DELETE FROM automation_runs WHERE project_id = ? AND automation_id = ?").bind(projectId, id),
  ]);
  if (!r!.meta.changes) throw notFound(id);
}
