import { getProject } from "../lib/projects";
import { loadTemplate, renderTemplate, sendTemplate, templateEvents } from "../lib/send";
import type { Outcome, RunParams } from "./runs";

/** Claims of a send are log rows past the visible steps (`log.ts` lists steps below this). */
export const CLAIM_SEQ = 1000;

/** The person's latest properties of each event a template reads, the trigger event's own first. */
async function eventData(db: D1Database, p: RunParams, names: string[]) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    if (name === p.trigger.event && p.trigger.properties) {
      out[name] = p.trigger.properties;
      continue;
    }
    const row = await db
      .prepare("SELECT properties FROM events WHERE project_id = ? AND person_id = ? AND event_name = ? ORDER BY timestamp DESC LIMIT 1")
      .bind(p.project_id, p.person_id, name)
      .first<{ properties: string | null }>();
    if (row?.properties) out[name] = JSON.parse(row.properties) as Record<string, unknown>;
  }
  return out;
}

/**
 * Sends one template to the person's WhatsApp address through the project's provider. The send
 * is claimed in D1 first: a retry after an unknown outcome (the step died after the provider's
 * answer) never sends twice; a retryable provider failure drops the claim and throws, so the
 * step's retry sends again. An opted-out contact, a missing variable or a refused send is skipped.
 */
export async function sendTemplateAction(
  env: Cloudflare.Env,
  p: RunParams,
  index: number,
  templateId: string,
  whatsapp: string,
): Promise<Outcome> {
  const db = env.DB;
  const t = await loadTemplate(db, p.project_id, templateId);
  if (!t) return { status: "skipped", detail: `template "${templateId}" does not exist` };
  const c = await db
    .prepare("SELECT name, attributes, consent FROM contacts WHERE project_id = ? AND external_id = ?")
    .bind(p.project_id, whatsapp)
    .first<{ name: string | null; attributes: string; consent: string | null }>();
  if (c?.consent === "opted_out") return { status: "skipped", detail: "the contact opted out" };
  const traits = { ...(c ? (JSON.parse(c.attributes) as Record<string, unknown>) : {}), ...(c?.name ? { name: c.name } : {}) };
  const rendered = renderTemplate(t, { traits, events: await eventData(db, p, templateEvents(t)) });
  if (!rendered.ok) return { status: "skipped", detail: `no value for ${rendered.missing}` };
  const seq = CLAIM_SEQ + index;
  const claim = await db
    .prepare(
      "INSERT OR IGNORE INTO automation_run_steps (run_id, seq, name, status, detail, at) SELECT ?1, ?2, 'send claim', 'ok', NULL, ?3 WHERE EXISTS (SELECT 1 FROM automation_runs WHERE id = ?1)",
    )
    .bind(p.run_id, seq, Date.now())
    .run();
  if (!claim.meta.changes) return { status: "skipped", detail: "an earlier attempt's outcome is unknown: not sent again" };
  const project = (await getProject(db, p.project_id)) ?? { id: p.project_id, whatsappAccounts: [] };
  const r = await sendTemplate(env, project, {
    to: whatsapp.startsWith("+") ? { phone: whatsapp } : { bsuid: whatsapp },
    template: { name: t.name, twilioContentSid: t.twilio_content_sid },
    language: t.language,
    variables: rendered.components,
    callbackData: `automation:${p.automation_id}:${p.run_id}`,
  });
  if (r.ok) return { status: "ok", detail: `${r.provider} message ${r.providerMessageId}` };
  if (r.retryable) {
    await db.prepare("DELETE FROM automation_run_steps WHERE run_id = ? AND seq = ?").bind(p.run_id, seq).run();
    throw new Error(`${r.code}: ${r.message}`);
  }
  return { status: "skipped", detail: `${r.code}: ${r.message}` };
}
