import { campaignSettingsSchema, timeZoneSchema, type Campaign, type CampaignInput, type CampaignSettings } from "../contract";
import { ApiError } from "../lib/http";

export type Variant = { name: string; template_id: string; weight: number };
export type CampaignStatus = Campaign["status"];

/** A campaign as stored, times in ms. */
export type CampaignRow = {
  id: string;
  project_id: string;
  name: string;
  segment_id: string;
  variants: string;
  status: CampaignStatus;
  pause_reason: string | null;
  send_at: number | null;
  goal_event: string | null;
  goal_days: number;
  cost_per_message: number | null;
  sender: string | null;
  consecutive_failures: number;
  audience: number | null;
  created_at: number;
  launched_at: number | null;
  completed_at: number | null;
};

const iso = (t: number | null) => (t == null ? null : new Date(t).toISOString());

export const variantsOf = (r: CampaignRow) => JSON.parse(r.variants) as Variant[];

export function toCampaign(r: CampaignRow): Campaign {
  return {
    id: r.id,
    name: r.name,
    segment_id: r.segment_id,
    variants: variantsOf(r),
    status: r.status,
    pause_reason: r.pause_reason,
    send_at: iso(r.send_at),
    goal: r.goal_event ? { event: r.goal_event, days: r.goal_days } : null,
    cost_per_message: r.cost_per_message,
    sender: r.sender,
    audience: r.audience,
    created_at: iso(r.created_at)!,
    launched_at: iso(r.launched_at),
    completed_at: iso(r.completed_at),
  };
}

/** The campaign row, or null. */
export function findCampaign(db: D1Database, projectId: string, id: string): Promise<CampaignRow | null> {
  return db.prepare("SELECT * FROM campaigns WHERE project_id = ? AND id = ?").bind(projectId, id).first<CampaignRow>();
}

/** The campaign row; 404 when it does not exist in the project. */
export async function getCampaign(db: D1Database, projectId: string, id: string): Promise<CampaignRow> {
  const row = await findCampaign(db, projectId, id);
  if (!row) throw new ApiError(404, "campaign_not_found", `campaign "${id}" does not exist in this project`);
  return row;
}

export async function listCampaigns(db: D1Database, projectId: string): Promise<Campaign[]> {
  const { results } = await db
    .prepare("SELECT * FROM campaigns WHERE project_id = ? ORDER BY created_at DESC, id")
    .bind(projectId)
    .all<CampaignRow>();
  return results.map(toCampaign);
}

/** Stores a draft; returns its id. */
export async function createCampaign(db: D1Database, projectId: string, input: CampaignInput, variants: Variant[]): Promise<string> {
  const id = crypto.randomUUID();
  await db
    .prepare(
      `INSERT INTO campaigns (id, project_id, name, segment_id, variants, status, send_at, goal_event, goal_days, cost_per_message, sender, created_at)
       VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?)`,
    )
    .bind(
      id,
      projectId,
      input.name,
      input.segment_id,
      JSON.stringify(variants),
      input.send_at ? Date.parse(input.send_at) : null,
      input.goal?.event ?? null,
      input.goal?.days ?? 7,
      input.cost_per_message ?? null,
      input.sender ?? null,
      Date.now(),
    )
    .run();
  return id;
}

/**
 * Moves the campaign from one of `from` to `to` (compare-and-set, so two launches or a pause
 * racing a completion cannot both win); false when its status was none of `from`.
 */
export async function transition(
  db: D1Database,
  id: string,
  from: CampaignStatus[],
  to: CampaignStatus,
  set: Record<string, unknown> = {},
): Promise<boolean> {
  const cols = Object.keys(set);
  const sql = `UPDATE campaigns SET status = ?${cols.map((c) => `, ${c} = ?`).join("")} WHERE id = ? AND status IN (${from.map(() => "?").join(", ")})`;
  const r = await db
    .prepare(sql)
    .bind(to, ...Object.values(set), id, ...from)
    .run();
  return r.meta.changes > 0;
}

/**
 * A cancelled campaign sends nobody else: its recipients still waiting (`pending`, or `deferred` by
 * quiet hours) end `skipped` with reason `campaign_cancelled`, so its results add up with nothing
 * pending. Guarded on the campaign's status, like the send claim, so it only ever closes a cancelled one.
 */
export function skipWaitingOfCancelled(db: D1Database, campaignId: string): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE campaign_recipients SET status = 'skipped', reason = 'campaign_cancelled', not_before = NULL, updated_at = ?1
       WHERE campaign_id = ?2 AND status IN ('pending', 'deferred') AND (SELECT status FROM campaigns WHERE id = ?2) = 'cancelled'`,
    )
    .bind(Date.now(), campaignId);
}

/**
 * Settings saved before zones and quiet hours were checked, read as they behaved then: an unknown
 * zone as UTC (where the sending rules fell back to) and equal quiet-hour bounds as no quiet hours.
 */
function asSavedBefore(s: Record<string, unknown>): Record<string, unknown> {
  const zone = s.default_timezone === undefined || timeZoneSchema.safeParse(s.default_timezone).success ? s.default_timezone : "UTC";
  const q = s.quiet_hours as { start?: unknown; end?: unknown } | null | undefined;
  return { ...s, default_timezone: zone, quiet_hours: q && q.start === q.end ? null : q };
}

/** The project's sending rules (defaults for what it never set). */
export async function getSettings(db: D1Database, projectId: string): Promise<CampaignSettings> {
  const row = await db.prepare("SELECT settings FROM campaign_settings WHERE project_id = ?").bind(projectId).first<{ settings: string }>();
  return campaignSettingsSchema.parse(row ? asSavedBefore(JSON.parse(row.settings) as Record<string, unknown>) : {});
}

export async function putSettings(db: D1Database, projectId: string, s: CampaignSettings): Promise<CampaignSettings> {
  await db
    .prepare(
      "INSERT INTO campaign_settings (project_id, settings, updated_at) VALUES (?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
    )
    .bind(projectId, JSON.stringify(s), Date.now())
    .run();
  return s;
}
