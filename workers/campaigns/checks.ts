import type { CampaignSettings, Template } from "../contract";
import { renderTemplate, templateEvents, type PersonData, type RenderedComponent } from "../lib/send";
import { quietUntil } from "./rules";
import type { CampaignRow } from "./store";

const DAY = 86_400_000;

export type Recipient = { person_id: string; address: string; timezone: string | null; variant: string; attempts: number };
export type Contact = { consent: "opted_in" | "opted_out" | null; name: string | null; attributes: string | null; timezone: string | null };

/** The current contact rows (consent, traits, zone) of some recipients, by address: one query per wave of sends. */
export async function contactsOf(db: D1Database, projectId: string, addresses: string[]): Promise<Map<string, Contact>> {
  const { results } = await db
    .prepare(
      "SELECT external_id, consent, name, attributes, timezone FROM contacts WHERE project_id = ? AND external_id IN (SELECT value FROM json_each(?))",
    )
    .bind(projectId, JSON.stringify(addresses))
    .all<Contact & { external_id: string }>();
  return new Map(results.map((r) => [r.external_id, r]));
}

/** The person's traits and the latest properties of the events the template reads. */
async function personData(db: D1Database, projectId: string, r: Recipient, t: Template, contact: Contact | null): Promise<PersonData> {
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
  const traits = {
    ...(contact?.attributes ? (JSON.parse(contact.attributes) as Record<string, unknown>) : {}),
    ...(contact?.name ? { name: contact.name } : {}),
  };
  return { traits, events };
}

/** MARKETING campaign messages the person was sent in the cap's window (other campaigns included). */
async function recentMarketing(db: D1Database, projectId: string, personId: string, days: number, now: number): Promise<number> {
  const row = await db
    .prepare(
      "SELECT count(*) AS n FROM campaign_recipients WHERE project_id = ? AND person_id = ? AND sent_at >= ? AND category = 'MARKETING' AND status = 'sent'",
    )
    .bind(projectId, personId, now - days * DAY)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Why the person must not get this message now, or null. Consent is read afresh at send time. */
async function skipReason(
  db: D1Database,
  c: CampaignRow,
  t: Template,
  s: CampaignSettings,
  r: Recipient,
  contact: Contact | null,
  now: number,
): Promise<string | null> {
  if (contact?.consent === "opted_out") return "opted_out";
  // Marketing needs an explicit opt-in (WhatsApp Business policy); utility and authentication messages only no opt-out.
  if (t.category === "MARKETING" && contact?.consent !== "opted_in") return "no_consent";
  if (
    t.category === "MARKETING" &&
    s.frequency_cap &&
    (await recentMarketing(db, c.project_id, r.person_id, s.frequency_cap.days, now)) >= s.frequency_cap.max
  ) {
    return "frequency_cap";
  }
  return null;
}

/** What to do with one recipient now: send these components, defer until a time, or skip with a reason. */
export type Decision =
  | { send: RenderedComponent[]; category: string }
  | { defer: number; category: string }
  | { skip: string; category: string | null };

/** Applies the rules (docs/campaigns.md) to one recipient, in order: consent, frequency cap, variables, quiet hours. */
export async function decide(
  db: D1Database,
  c: CampaignRow,
  t: Template | undefined | null,
  s: CampaignSettings,
  r: Recipient,
  contact: Contact | null,
  now: number,
): Promise<Decision> {
  if (!t) return { skip: "template_deleted", category: null };
  const reason = await skipReason(db, c, t, s, r, contact, now);
  if (reason) return { skip: reason, category: t.category };
  const rendered = renderTemplate(t, await personData(db, c.project_id, r, t, contact));
  if (!rendered.ok) return { skip: `missing_variable:${rendered.missing}`, category: t.category };
  const quiet = quietUntil(now, contact?.timezone ?? r.timezone, s);
  if (quiet !== null)
    return s.quiet_mode === "skip" ? { skip: "quiet_hours", category: t.category } : { defer: quiet, category: t.category };
  return { send: rendered.components, category: t.category };
}
