import { FAILED_STATUSES, type CampaignResults } from "../contract";
import { rate } from "../lib/distribution";
import { twoProportion } from "./stats";
import { variantsOf, type CampaignRow } from "./store";

const DAY = 86_400_000;
/** Replies and opt-outs are counted in the goal's window, or this many days without a goal. */
const DEFAULT_WINDOW_DAYS = 7;
const FAILED_SQL = FAILED_STATUSES.map((s) => `'${s}'`).join(", ");

// One row per recipient: its furthest delivery status (statuses repeat and arrive out of order;
// read ⊇ delivered as in workers/whatsapp/delivery.ts), and whether it replied, opted out or
// converted within the window after its send. The recipient's person is the snapshotted one or
// the one its WhatsApp id is linked to now (identity links made after the send count).
// Binds ?1 campaign, ?2 project, ?3 window (ms), ?4 goal event (NULL: none), ?5 earliest send.
const WITH_X = `WITH r AS (SELECT * FROM campaign_recipients WHERE campaign_id = ?1),
s AS (
  SELECT json_extract(e.properties, '$.provider_message_id') AS mid,
    max(CASE json_extract(e.properties, '$.status') WHEN 'read' THEN 3 WHEN 'played' THEN 3 WHEN 'delivered' THEN 2 ELSE 1 END) AS reach,
    max(json_extract(e.properties, '$.status') IN (${FAILED_SQL})) AS failed,
    max(CAST(json_extract(e.properties, '$.error_code') AS TEXT)) AS code
  FROM events e
  WHERE e.project_id = ?2 AND e.event_name = 'message_status' AND e.timestamp >= ?5 - 60000
    AND json_extract(e.properties, '$.provider_message_id') IN (SELECT provider_message_id FROM r WHERE provider_message_id IS NOT NULL)
  GROUP BY mid),
x AS (SELECT r.variant, r.status, r.reason, r.error_code, s.reach, s.failed, s.code AS status_code,
  r.status = 'sent' AND EXISTS (SELECT 1 FROM events e WHERE e.project_id = ?2 AND e.external_id = r.address AND e.event_name = 'message_received'
    AND e.timestamp > r.sent_at AND e.timestamp <= r.sent_at + ?3) AS replied,
  r.status = 'sent' AND EXISTS (SELECT 1 FROM events e WHERE e.project_id = ?2 AND e.external_id = r.address AND e.event_name = 'consent_changed'
    AND json_extract(e.properties, '$.consent') = 'opted_out' AND e.timestamp > r.sent_at AND e.timestamp <= r.sent_at + ?3) AS opted_out,
  r.status = 'sent' AND ?4 IS NOT NULL AND EXISTS (SELECT 1 FROM events e WHERE e.project_id = ?2 AND e.event_name = ?4
    AND e.person_id IN (r.person_id, coalesce((SELECT i.person_id FROM identities i WHERE i.project_id = ?2 AND i.kind = 'external_id' AND i.value = r.address), r.person_id))
    AND e.timestamp > r.sent_at AND e.timestamp <= r.sent_at + ?3) AS converted
FROM r LEFT JOIN s ON s.mid = r.provider_message_id)`;

const AGGREGATE = `SELECT variant,
  count(*) AS audience,
  coalesce(sum(status IN ('pending', 'deferred', 'sending')), 0) AS pending,
  coalesce(sum(status = 'sent'), 0) AS sent,
  coalesce(sum(status = 'sent' AND reach >= 2), 0) AS delivered,
  coalesce(sum(status = 'sent' AND reach = 3), 0) AS read,
  coalesce(sum(replied), 0) AS replies,
  coalesce(sum(opted_out), 0) AS opt_outs,
  coalesce(sum(converted), 0) AS conversions
FROM x GROUP BY variant`;

// Failed: a dead letter (refused at send, its provider code) or a sent message reported failed and never delivered.
const FAILED = `SELECT variant, coalesce(CASE WHEN status = 'dead' THEN coalesce(error_code, reason) ELSE status_code END, 'unknown') AS code, count(*) AS n
FROM x WHERE status = 'dead' OR (status = 'sent' AND failed AND coalesce(reach, 0) < 2) GROUP BY variant, code`;

const SKIPPED =
  "SELECT variant, reason, count(*) AS n FROM campaign_recipients WHERE campaign_id = ?1 AND status = 'skipped' GROUP BY variant, reason";

type Agg = {
  variant: string;
  audience: number;
  pending: number;
  sent: number;
  delivered: number;
  read: number;
  replies: number;
  opt_outs: number;
  conversions: number;
};
type Counts = CampaignResults["totals"];

const money = (x: number) => Math.round(x * 10_000) / 10_000;

function counts(a: Omit<Agg, "variant">, skipped: Record<string, number>, failed: Record<string, number>, cost: number | null): Counts {
  const spent = cost == null ? null : money(cost * a.sent);
  return {
    ...a,
    skipped,
    failed: Object.values(failed).reduce((n, v) => n + v, 0),
    failed_by_code: failed,
    conversion_rate: rate(a.conversions, a.sent),
    cost: spent,
    cost_per_conversion: spent == null || !a.conversions ? null : money(spent / a.conversions),
  };
}

const add = (into: Record<string, number>, k: string, n: number) => ((into[k] = (into[k] ?? 0) + n), into);

/** The results of a campaign, per variant and in total (definitions: docs/campaigns.md). */
export async function campaignResults(db: D1Database, c: CampaignRow): Promise<CampaignResults> {
  const days = c.goal_event ? c.goal_days : DEFAULT_WINDOW_DAYS;
  const params = [c.id, c.project_id, days * DAY, c.goal_event, c.launched_at ?? c.created_at];
  const [agg, failed, skipped] = await db.batch([
    db.prepare(`${WITH_X} ${AGGREGATE}`).bind(...params),
    db.prepare(`${WITH_X} ${FAILED}`).bind(...params),
    db.prepare(SKIPPED).bind(c.id),
  ]);
  return assemble(
    c,
    agg!.results as Agg[],
    failed!.results as { variant: string; code: string; n: number }[],
    skipped!.results as { variant: string; reason: string; n: number }[],
  );
}

function assemble(
  c: CampaignRow,
  agg: Agg[],
  failedRows: { variant: string; code: string; n: number }[],
  skippedRows: { variant: string; reason: string; n: number }[],
): CampaignResults {
  const zero = { audience: 0, pending: 0, sent: 0, delivered: 0, read: 0, replies: 0, opt_outs: 0, conversions: 0 };
  const byVariant = new Map(agg.map((a) => [a.variant, a]));
  const variants = variantsOf(c).map((v) => {
    const { variant: _v, ...a } = byVariant.get(v.name) ?? { variant: v.name, ...zero };
    const skipped: Record<string, number> = {};
    for (const s of skippedRows.filter((s) => s.variant === v.name)) add(skipped, s.reason, s.n);
    const failed: Record<string, number> = {};
    for (const f of failedRows.filter((f) => f.variant === v.name)) add(failed, f.code, f.n);
    return { name: v.name, template_id: v.template_id, ...counts(a, skipped, failed, c.cost_per_message) };
  });
  const total = { ...zero };
  const skipped: Record<string, number> = {};
  const failed: Record<string, number> = {};
  for (const v of variants) {
    for (const k of Object.keys(zero) as (keyof typeof zero)[]) total[k] += v[k];
    for (const [k, n] of Object.entries(v.skipped)) add(skipped, k, n);
    for (const [k, n] of Object.entries(v.failed_by_code)) add(failed, k, n);
  }
  const [first, ...rest] = variants;
  return {
    campaign_id: c.id,
    status: c.status,
    goal: c.goal_event ? { event: c.goal_event, days: c.goal_days } : null,
    totals: counts(total, skipped, failed, c.cost_per_message),
    variants,
    comparisons: first ? rest.map((v) => ({ variant: v.name, against: first.name, ...twoProportion(first, v) })) : [],
    evaluated_at: new Date().toISOString(),
  };
}
