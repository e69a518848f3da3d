import type { Template } from "../contract";
import { getProject } from "../lib/projects";
import { loadTemplate, sendTemplate, type RenderedComponent, type SendResult } from "../lib/send";
import { type Contact, contactsOf, decide, type Recipient } from "./checks";
import { batchSize, concurrency, sendInterval } from "./rules";
import { findCampaign, getSettings, transition, variantsOf, type CampaignRow } from "./store";

/** What one batch step did: `paused`/`cancelled` stop the loop, `sent` counts provider calls that were accepted. */
export type BatchOutcome = { state: "done" | "more" | "paused" | "cancelled"; processed: number; sent: number };

/** A provider failure worth a retry: thrown out of the step so the Workflow retries it with backoff. */
class RetryableSendError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const DUE = `SELECT person_id, address, timezone, variant, attempts FROM campaign_recipients
  WHERE campaign_id = ? AND status IN ('pending', 'deferred') AND coalesce(not_before, 0) <= ? ORDER BY person_id LIMIT ?`;
const MARK =
  "UPDATE campaign_recipients SET status = ?, reason = ?, not_before = ?, category = ?, updated_at = ? WHERE campaign_id = ? AND person_id = ?";
// The idempotency claim: only a row still waiting can be taken, once, and only while the campaign
// runs (a pause or cancel stops every send not yet claimed).
const CLAIM = `UPDATE campaign_recipients SET status = 'sending', attempts = attempts + 1, category = ?1, updated_at = ?2
  WHERE campaign_id = ?3 AND person_id = ?4 AND status IN ('pending', 'deferred') AND (SELECT status FROM campaigns WHERE id = ?3) = 'running'`;
const SENT =
  "UPDATE campaign_recipients SET status = 'sent', reason = NULL, error_code = NULL, provider = ?, provider_message_id = ?, sent_at = ?, updated_at = ? WHERE campaign_id = ? AND person_id = ?";
const FAILED =
  "UPDATE campaign_recipients SET status = ?, reason = ?, error_code = ?, updated_at = ? WHERE campaign_id = ? AND person_id = ?";

/** Pauses a running campaign after consecutive provider failures (the circuit breaker). */
const openBreaker = (db: D1Database, id: string) => transition(db, id, ["running"], "paused", { pause_reason: "circuit_open" });

const currentStatus = async (db: D1Database, id: string) =>
  (await db.prepare("SELECT status FROM campaigns WHERE id = ?").bind(id).first<{ status: string }>())?.status;

/**
 * Records a provider failure: the recipient goes back to `pending` (retryable, attempts left) or
 * becomes a dead letter; the campaign's run of failures grows. Returns whether the breaker opened.
 */
async function recordFailure(
  db: D1Database,
  c: CampaignRow,
  r: Recipient,
  result: Extract<SendResult, { ok: false }>,
  maxAttempts: number,
  threshold: number,
) {
  const dead = !result.retryable || r.attempts + 1 >= maxAttempts;
  const reason = dead ? (result.retryable ? "retries_exhausted" : "provider_error") : "retrying";
  const [, failures] = await db.batch<{ consecutive_failures: number }>([
    db.prepare(FAILED).bind(dead ? "dead" : "pending", reason, result.code, Date.now(), c.id, r.person_id),
    db
      .prepare("UPDATE campaigns SET consecutive_failures = consecutive_failures + 1 WHERE id = ? RETURNING consecutive_failures")
      .bind(c.id),
  ]);
  const open = (failures!.results[0]?.consecutive_failures ?? 0) >= threshold;
  if (open) await openBreaker(db, c.id);
  return { dead, open };
}

/** Claims the recipient's send, calls the provider and records a success; null when the row was no longer waiting or the campaign stopped. */
async function sendOne(
  env: Cloudflare.Env,
  c: CampaignRow,
  project: Parameters<typeof sendTemplate>[1],
  t: Template,
  r: Recipient,
  components: RenderedComponent[],
): Promise<SendResult | null> {
  const db = env.DB;
  const claimed = await db.prepare(CLAIM).bind(t.category, Date.now(), c.id, r.person_id).run();
  if (!claimed.meta.changes) return null;
  const result = await sendTemplate(env, project, {
    to: r.address.startsWith("+") ? { phone: r.address } : { bsuid: r.address },
    template: { name: t.name, twilioContentSid: t.twilio_content_sid },
    language: t.language,
    variables: components,
    callbackData: `${c.id}:${r.variant}`,
    from: c.sender ?? undefined,
  });
  if (result.ok) {
    const now = Date.now();
    await db.batch([
      db.prepare(SENT).bind(result.provider, result.providerMessageId, now, now, c.id, r.person_id),
      db.prepare("UPDATE campaigns SET consecutive_failures = 0 WHERE id = ?").bind(c.id),
    ]);
  }
  return result;
}

/** Send slots 1/rate apart: each call waits for the next free slot; a slot is never given twice. */
function pacer(intervalMs: number) {
  let next = Date.now();
  return async () => {
    const slot = Math.max(next, Date.now());
    next = slot + intervalMs;
    if (slot > Date.now()) await sleep(slot - Date.now());
  };
}

/** Contact rows read in chunks just before their recipients are handled, the next chunk read ahead. */
function contactReader(db: D1Database, projectId: string, recipients: Recipient[], chunk: number) {
  const chunks = new Map<number, Promise<Map<string, Contact>>>();
  const load = (k: number) => {
    let p = chunks.get(k);
    if (!p && k * chunk < recipients.length) {
      p = contactsOf(
        db,
        projectId,
        recipients.slice(k * chunk, (k + 1) * chunk).map((r) => r.address),
      );
      chunks.set(k, p);
    }
    return p;
  };
  return async (i: number) => {
    const k = Math.floor(i / chunk);
    void load(k + 1);
    return (await load(k))!.get(recipients[i]!.address) ?? null;
  };
}

const STATUS_CHECK_MS = 1000;

/**
 * Processes the next due recipients of a campaign: checks each one's rules, claims the send in D1
 * (`pending` → `sending`, a compare-and-set on the (campaign, person) row), calls the provider and
 * records the outcome. A restarted step skips whoever is no longer pending, so nobody is sent twice;
 * a row left `sending` (the step died between the call and the record) is never sent again.
 *
 * A pool of `concurrency(rate)` workers takes recipients in order, each send in its own paced slot,
 * so the next recipients' checks run while earlier calls are in flight and the rate holds between
 * them. A failure stops the pool from claiming more; every call already in flight is recorded
 * before the breaker or a retry ends the step.
 */
export async function sendBatch(env: Cloudflare.Env, projectId: string, campaignId: string): Promise<BatchOutcome> {
  const db = env.DB;
  const [c, s, project] = await Promise.all([
    findCampaign(db, projectId, campaignId),
    getSettings(db, projectId),
    getProject(db, projectId),
  ]);
  if (!c || c.status === "cancelled") return { state: "cancelled", processed: 0, sent: 0 };
  if (c.status === "paused") return { state: "paused", processed: 0, sent: 0 };
  if (c.consecutive_failures >= s.breaker_threshold) {
    await openBreaker(db, c.id);
    return { state: "paused", processed: 0, sent: 0 };
  }
  const limit = batchSize(s.throughput_per_second);
  const { results } = await db.prepare(DUE).bind(c.id, Date.now(), limit).all<Recipient>();
  const templates = new Map<string, Template | null>();
  for (const v of variantsOf(c)) templates.set(v.name, await loadTemplate(db, projectId, v.template_id));
  const width = concurrency(s.throughput_per_second);
  const slot = pacer(sendInterval(s.throughput_per_second));
  // Consent and traits are read afresh in chunks, moments before their recipients' sends.
  const contactOf = contactReader(db, projectId, results, Math.max(10, width));
  const sender = project ?? { id: projectId, whatsappAccounts: [] };

  let next = 0;
  let sent = 0;
  let stopped: "paused" | "cancelled" | null = null;
  let retry: string | null = null;
  let open = false;
  let checked = Date.now();
  // A pause or cancel takes effect before the next sends (the claim also refuses once the campaign stops running).
  const checkStatus = async () => {
    const status = await currentStatus(db, c.id);
    if (status === "cancelled" || status === "paused") stopped ??= status;
  };
  const halted = () => stopped !== null || retry !== null || open;

  const worker = async () => {
    while (!halted() && next < results.length) {
      // Taken before any wait, so no two workers hold one recipient and none runs past the end.
      const i = next++;
      if (Date.now() - checked >= STATUS_CHECK_MS) {
        checked = Date.now();
        await checkStatus();
        if (halted()) return;
      }
      const r = results[i]!;
      const t = templates.get(r.variant);
      const d = await decide(db, c, t, s, r, await contactOf(i), Date.now());
      if ("skip" in d) await db.prepare(MARK).bind("skipped", d.skip, null, d.category, Date.now(), c.id, r.person_id).run();
      if ("defer" in d) await db.prepare(MARK).bind("deferred", "quiet_hours", d.defer, d.category, Date.now(), c.id, r.person_id).run();
      if (!("send" in d)) continue;
      // Skipped recipients take no slot.
      await slot();
      if (halted()) return;
      const result = await sendOne(env, c, sender, t!, r, d.send);
      if (!result) {
        await checkStatus();
        continue;
      }
      if (result.ok) {
        sent++;
        continue;
      }
      const f = await recordFailure(db, c, r, result, s.max_attempts, s.breaker_threshold);
      open ||= f.open;
      if (!f.dead) retry ??= `${result.code}: ${result.message}`;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));

  if (stopped) return { state: stopped, processed: results.length, sent };
  if (open) return { state: "paused", processed: results.length, sent };
  if (retry) throw new RetryableSendError(retry);
  return { state: results.length < limit ? "done" : "more", processed: results.length, sent };
}

/** The earliest time a deferred recipient is due, or null when nobody waits. */
export async function nextDue(db: D1Database, campaignId: string): Promise<number | null> {
  const row = await db
    .prepare(
      "SELECT min(coalesce(not_before, 0)) AS t, count(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND status IN ('pending', 'deferred')",
    )
    .bind(campaignId)
    .first<{ t: number | null; n: number }>();
  return row && row.n > 0 ? (row.t ?? 0) : null;
}
