import type { IdentityLinkMessage } from "../contract";
import { linkStatements } from "../lib/person";

/**
 * Links two WhatsApp ids of one contact (phone ↔ BSUID, previous ↔ new) as one person. Runs in the
 * consumer's batch transaction; linking is idempotent, so a redelivered batch changes nothing.
 */
export function identityLinkStatements(db: D1Database, m: IdentityLinkMessage): D1PreparedStatement[] {
  return linkStatements(db, m.project_id, { kind: "external_id", value: m.a }, { kind: "external_id", value: m.b }, m.at);
}
