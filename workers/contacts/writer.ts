import type { ContactMessage } from "../contract";

// Upserts only: these run in the consumer's batch transaction and a redelivered batch runs them again.
// first/last seen move outwards only, and consent follows the latest keyword by message time, so
// out-of-order delivery (Meta retries for days) cannot undo a newer opt-out.
const CONTACT_SQL = `INSERT INTO contacts (project_id, external_id, first_seen_at, last_seen_at, consent, consent_changed_at)
VALUES (?1, ?2, ?3, ?3, ?4, ?5)
ON CONFLICT (project_id, external_id) DO UPDATE SET
  first_seen_at = min(contacts.first_seen_at, excluded.first_seen_at),
  last_seen_at = max(contacts.last_seen_at, excluded.last_seen_at),
  consent = CASE WHEN excluded.consent_changed_at IS NOT NULL
    AND (contacts.consent_changed_at IS NULL OR excluded.consent_changed_at >= contacts.consent_changed_at)
    THEN excluded.consent ELSE contacts.consent END,
  consent_changed_at = CASE WHEN excluded.consent_changed_at IS NOT NULL
    AND (contacts.consent_changed_at IS NULL OR excluded.consent_changed_at >= contacts.consent_changed_at)
    THEN excluded.consent_changed_at ELSE contacts.consent_changed_at END`;

/** Upsert of a contact's first/last seen time and consent. */
export function contactStatements(db: D1Database, m: ContactMessage): D1PreparedStatement[] {
  const consentAt = m.consent ? (m.consent_at ?? m.seen_at) : null;
  return [db.prepare(CONTACT_SQL).bind(m.project_id, m.external_id, m.seen_at, m.consent ?? null, consentAt)];
}
