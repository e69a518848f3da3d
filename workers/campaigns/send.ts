import type { CampaignSettings, Template } from "../contract";
import { getProject } from "../lib/projects";
import { loadTemplate, renderTemplate, sendTemplate, templateEvents, type PersonData } from "../lib/send";
import { batchSize, quietUntil, sendInterval } from "./rules";
import { findCampaign, getSettings, transition, variantsOf, type CampaignRow } from "./store";

const DAY = 86_400_000;

type Recipient = { person_id: string; address: string; timezone: string | null; variant: string; attempts: number };
type Contact = { consent: "opted_in" | "opted_out" | null; name: string | null; attributes: string | null; timezone: string | null };

/** What one batch step did: `paused`/`cancelled` stop the loop, `sent` counts provider calls that were accepted. */
export type BatchOutcome = { state: "done" | "more" | "paused" | "cancelled"; processed: number; sent: number };

/** A provider failure worth a retry: thrown out of the step so the Workflow retries it with backoff. */
export class RetryableSendError extends Error {}

/** The person's current contact row and the latest properties of the events the template reads. */
async function personData(db: D1Database, projectId: string, r: Recipient, t: Template): Promise<{ contact: Contact | null; data: PersonData }> {
  const contact = await db
    .prepare("SELECT consent, name, attributes, timezone FROM contacts WHERE project_id = ? AND external_id = ?")
    .bind(projectId, r.address)
    .first<Contact>();
  const events: PersonData["events"] = {};
  for (const name of templateEvents(t)) {
    const row = await db
      .prepare(
        `SELECT properties FROM events WHERE project_id = ?1 AND event_name = ?3 AND person_id IN
          (?2, coalesce((SELECT person_id FROM identities WHERE project_id = ?1 AND kind = 'external_id' AND value = ?4), ?2))
         ORDER BY timestamp DESC LIMIT 1`,
      )
      .bind(projectId, r.person_id, name, r.address)
      .first<{ properties: string | null }>();
    if (row?.properties) events[name] = JSON.parse(row.properties) as Record<string, unknown>;
  }
  const traits = { ...(contact?.attributes ? (JSON.parse(contact.attributes) as Record<string, unknown>) : {}), ...(contact?.name ? { name: contact.name } : {}) };
  return { contact, data: { traits, events } };
}

/** MARKETING campaign messages the person was sent in the cap's window (other campaigns included). */
async function recentMarketing(db: D1Database, projectId: string, personId: string, days: number, now: number): Promise<number> {
  const row = await db
    .prepare("SELECT count(*) AS n FROM campaign_recipients WHERE project_id = ? AND person_id = ? AND sent_at >= ? AND category = 'MARKETING' AND status = 'sent'")
    .bind(projectId, personId, now - days * DAY)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Why the person must not get this message now, or null. Consent is read afresh at send time. */
async function skipReason(db: D1Database, c: CampaignRow, t: Template, s: CampaignSettings, r: Recipient, contact: Contact | null, now: number): Promise<string | null> {
  if (contact?.consent === "opted_out") return "opted_out";
  // Marketing needs an explicit opt-in (WhatsApp Business policy); utility and authentication messages only no opt-out.
  if (t.category === "MARKETING" && contact?.consent !== "opted_in") return "no_consent";
  if (t.category === "MARKETING" && s.frequency_cap && (await recentMarketing(db, c.project_id, r.person_id, s.frequency_cap.days, now)) >= s.frequency_cap.max) {
    return "frequency_cap";
  }
  return null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Processes the next due recipients of a campaign: checks each one's rules, claims the send in D1
 * (`pending` → `sending`, a compare-and-set on the (campaign, person) row), calls the provider and
 * records the outcome. A restarted step skips whoever is no longer pending, so nobody is sent twice;
 * a row left `sending` (the step died between the call and the record) is never sent again.
 */
export async function sendBatch(env: Cloudflare.Env, projectId: string, campaignId: string): Promise<BatchOutcome> {
  const db = env.DB;
  const [c, s, project] = await Promise.all([findCampaign(db, projectId, campaignId), getSettings(db, projectId), getProject(db, projectId)]);
  if (!c || c.status === "cancelled") return { state: "cancelled", processed: 0, sent: 0 };
  if (c.status === "paused") return { state: "paused", processed: 0, sent: 0 };
  if (c.consecutive_failures >= s.breaker_threshold) {
    await openBreaker(db, c.id);
    return { state: "paused", processed: 0, sent: 0 };
  }
  const limit = batchSize(s.throughput_per_second);
  const now = Date.now();
  const { results } = await db
    .prepare(
      `SELECT person_id, address, timezone, variant, attempts FROM campaign_recipients
       WHERE campaign_id = ? AND status IN ('pending', 'deferred') AND coalesce(not_before, 0) <= ? ORDER BY person_id LIMIT ?`,
    )
    .bind(c.id, now, limit)
    .all<Recipient>();
  const templates = new Map<string, Template | null>();
  for (const v of variantsOf(c)) templates.set(v.name, await loadTemplate(db, projectId, v.template_id));
  const mark = db.prepare("UPDATE campaign_recipients SET status = ?, reason = ?, not_before = ?, category = ?, updated_at = ? WHERE campaign_id = ? AND person_id = ?");
  const interval = sendInterval(s.throughput_per_second);
  let nextSlot = Date.now();
  let sent = 0;
  for (const r of results) {
    const current = await db.prepare("SELECT status, consecutive_failures FROM campaigns WHERE id = ?").bind(c.id).first<{ status: string; consecutive_failures: number }>();
    if (current?.status === "cancelled") return { state: "cancelled", processed: results.length, sent };
    if (current?.status === "paused") return { state: "paused", processed: results.length, sent };
    const t = templates.get(r.variant);
    const at = Date.now();
    if (!t) {
      await mark.bind("skipped", "template_deleted", null, null, at, c.id, r.person_id).run();
      continue;
    }
    const { contact, data } = await personData(db, projectId, r, t);
    const reason = await skipReason(db, c, t, s, r, contact, at);
    const rendered = reason ? null : renderTemplate(t, data);
    if (reason || (rendered && !rendered.ok)) {
      const why = reason ?? (rendered && !rendered.ok ? `missing_variable:${rendered.missing}` : "unknown");
      await mark.bind("skipped", why, null, t.category, at, c.id, r.person_id).run();
      continue;
    }
    const quiet = quietUntil(at, contact?.timezone ?? r.timezone, s);
    if (quiet !== null) {
      if (s.quiet_mode === "skip") await mark.bind("skipped", "quiet_hours", null, t.category, at, c.id, r.person_id).run();
      else await mark.bind("deferred", "quiet_hours", quiet, t.category, at, c.id, r.person_id).run();
      continue;
    }
    // Pacing: one send per interval, skipped recipients take no slot.
    if (nextSlot > Date.now()) await sleep(nextSlot - Date.now());
    nextSlot = Math.max(nextSlot, Date.now()) + interval;
    const claimed = await db
      .prepare("UPDATE campaign_recipients SET status = 'sending', attempts = attempts + 1, category = ?, updated_at = ? WHERE campaign_id = ? AND person_id = ? AND status IN ('pending', 'deferred')")
      .bind(t.category, Date.now(), c.id, r.person_id)
      .run();
    if (!claimed.meta.changes) continue;
    const result = await sendTemplate(env, project ?? { id: projectId, whatsappAccounts: [] }, {
      to: r.address.startsWith("+") ? { phone: r.address } : { bsuid: r.address },
      template: { name: t.name, twilioContentSid: t.twilio_content_sid },
      language: t.language,
      variables: rendered!.ok ? rendered!.components : [],
      callbackData: `${c.id}:${r.variant}`,
      from: c.sender ?? undefined,
    });
    const done = Date.now();
    if (result.ok) {
      sent++;
      await db.batch([
        db
          .prepare("UPDATE campaign_recipients SET status = 'sent', reason = NULL, error_code = NULL, provider = ?, provider_message_id = ?, sent_at = ?, updated_at = ? WHERE campaign_id = ? AND person_id = ?")
          .bind(result.provider, result.providerMessageId, done, done, c.id, r.person_id),
        db.prepare("UPDATE campaigns SET consecutive_failures = 0 WHERE id = ?").bind(c.id),
      ]);
      continue;
    }
    const exhausted = r.attempts + 1 >= s.max_attempts;
    const dead = !result.retryable || exhausted;
    const [, failures] = await db.batch<{ consecutive_failures: number }>([
      db
        .prepare("UPDATE campaign_recipients SET status = ?, reason = ?, error_code = ?, updated_at = ? WHERE campaign_id = ? AND person_id = ?")
        .bind(dead ? "dead" : "pending", dead ? (result.retryable ? "retries_exhausted" : "provider_error") : "retrying", result.code, done, c.id, r.person_id),
      db.prepare("UPDATE campaigns SET consecutive_failures = consecutive_failures + 1 WHERE id = ? RETURNING consecutive_failures").bind(c.id),
    ]);
    if ((failures!.results[0]?.consecutive_failures ?? 0) >= s.breaker_threshold) {
      await openBreaker(db, c.id);
      return { state: "paused", processed: results.length, sent };
    }
    if (!dead) throw new RetryableSendError(`${result.code}: ${result.message}`);
  }
  return { state: results.length < limit ? "done" : "more", processed: results.length, sent };
}

/** Pauses a running campaign after consecutive provider failures (the circuit breaker). */
function openBreaker(db: D1Database, id: string): Promise<boolean> {
  return transition(db, id, ["running"], "paused", { pause_reason: "circuit_open" });
}

/** The earliest time a deferred recipient is due, or null when nobody waits. */
export async function nextDue(db: D1Database, campaignId: string): Promise<number | null> {
  const row = await db
    .prepare("SELECT min(coalesce(not_before, 0)) AS t, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND status IN ('pending', 'deferred')")
    .bind(campaignId)
    .first<{ t: number | null; n: number }>();
  return row && row.n > 0 ? (row.t ?? 0) : null;
}
