import { IMPORT_REJECTED_LISTED, type ContactImportReport } from "../contract";
import { linkedPhones, linkStatements } from "../lib/person";
import { fold, normalizeRow, recordHash, type ContactRecord } from "./normalize";
import type { RawRow } from "./read";

/** Rows written per D1 batch (one transaction). */
export const IMPORT_BATCH = 250;
/** Rows one request imports; the rest of a larger file goes in another request. */
export const MAX_IMPORT_ROWS = 200_000;

// Consent from an import applies like a keyword's (the latest by time wins); one without a time
// only fills in a contact that has none, so a stale list never re-opts-in someone who opted out.
const APPLY = `excluded.consent IS NOT NULL AND (
  (excluded.consent_changed_at IS NOT NULL AND (contacts.consent_changed_at IS NULL OR excluded.consent_changed_at >= contacts.consent_changed_at))
  OR (excluded.consent_changed_at IS NULL AND contacts.consent IS NULL))`;

// Attributes merge (JSON merge patch: a null value removes the trait); name and time zone are replaced when given.
const UPSERT = `INSERT INTO contacts (project_id, external_id, first_seen_at, last_seen_at, consent, consent_changed_at, name, attributes, timezone, consent_source, import_hash)
VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, json(?7), ?8, ?9, ?10)
ON CONFLICT (project_id, external_id) DO UPDATE SET
  name = coalesce(excluded.name, contacts.name),
  attributes = json_patch(contacts.attributes, excluded.attributes),
  timezone = coalesce(excluded.timezone, contacts.timezone),
  consent = CASE WHEN ${APPLY} THEN excluded.consent ELSE contacts.consent END,
  consent_source = CASE WHEN ${APPLY} THEN excluded.consent_source ELSE contacts.consent_source END,
  consent_changed_at = CASE WHEN ${APPLY} THEN excluded.consent_changed_at ELSE contacts.consent_changed_at END,
  import_hash = excluded.import_hash`;

const KNOWN = `SELECT external_id, import_hash FROM contacts WHERE project_id = ?1 AND external_id IN (SELECT value FROM json_each(?2))
UNION ALL SELECT value, NULL FROM identities WHERE project_id = ?1 AND kind = 'external_id' AND value IN (SELECT value FROM json_each(?2))`;

type Counts = Omit<ContactImportReport, "took_ms" | "rows_read" | "truncated">;

/** What an import did with a contact it has already handled: written (imported or merged), or left unchanged. */
type Handled = "written" | "unchanged";

/**
 * Imports one batch of valid records: rows of the same contact are folded into one record, which
 * is classified against what D1 holds and written only when it changed. Every row counts once:
 * all the rows of an unchanged contact are `unchanged`; otherwise a new contact's first row is
 * `imported` and every other row `merged`.
 */
async function writeBatch(
  db: D1Database,
  projectId: string,
  records: ContactRecord[],
  counts: Counts,
  handled: Map<string, Handled>,
  now: number,
): Promise<void> {
  // A BSUID already linked to a phone is that phone's contact.
  const linked = await linkedPhones(
    db,
    projectId,
    records.filter((r) => !r.phone).map((r) => r.key),
  );
  const byKey = new Map<string, { record: ContactRecord; rows: number }>();
  for (const r0 of records) {
    const r = !r0.phone && linked.has(r0.key) ? { ...r0, key: linked.get(r0.key)!, phone: linked.get(r0.key)! } : r0;
    const before = byKey.get(r.key);
    byKey.set(r.key, before ? { record: fold(before.record, r), rows: before.rows + 1 } : { record: r, rows: 1 });
  }
  const folded = [...byKey.values()].map((f) => f.record);
  const rowsOf = [...byKey.values()].map((f) => f.rows);
  const ids = [...new Set(folded.flatMap((r) => [r.key, ...(r.bsuid ? [r.bsuid] : [])]))];
  const { results } = await db
    .prepare(KNOWN)
    .bind(projectId, JSON.stringify(ids))
    .all<{ external_id: string; import_hash: string | null }>();
  const known = new Map<string, string | null>();
  for (const k of results) if (!known.get(k.external_id)) known.set(k.external_id, k.import_hash);
  const statements: D1PreparedStatement[] = [];
  const hashes = await Promise.all(folded.map(recordHash));
  folded.forEach((r, i) => {
    const hash = hashes[i]!;
    const rows = rowsOf[i]!;
    const earlier = handled.get(r.key); // by an earlier batch of this import
    const existing = earlier !== undefined || known.has(r.key) || (r.bsuid !== null && known.has(r.bsuid));
    if (known.get(r.key) === hash) {
      // Identical to what the contact's last import stored: nothing written. A contact this import
      // already wrote stays merged; otherwise its rows change nothing and are unchanged.
      if (earlier === "written") counts.merged += rows;
      else counts.unchanged += rows;
      handled.set(r.key, earlier ?? "unchanged");
      return;
    }
    handled.set(r.key, "written");
    if (existing) counts.merged += rows;
    else {
      counts.imported++;
      counts.merged += rows - 1;
    }
    statements.push(
      db
        .prepare(UPSERT)
        .bind(
          projectId,
          r.key,
          now,
          r.consent,
          r.consentAt,
          r.name,
          JSON.stringify(r.attributes),
          r.timezone,
          r.consent ? r.consentSource : null,
          hash,
        ),
    );
    if (r.phone && r.bsuid)
      statements.push(
        ...linkStatements(db, projectId, { kind: "external_id", value: r.phone }, { kind: "external_id", value: r.bsuid }, now),
      );
  });
  if (statements.length) await db.batch(statements);
}

/**
 * Imports a stream of rows in batches of IMPORT_BATCH, never holding more than one batch: each
 * row is normalized (phone to E.164 with the project's default country), rejected with a reason,
 * or merged into the contact (and person) it names. Idempotent: a row identical to the contact's
 * last import is counted unchanged and not written.
 */
export async function importContacts(
  db: D1Database,
  project: { id: string; defaultCountry: string | null },
  rows: AsyncIterable<RawRow>,
): Promise<ContactImportReport> {
  const start = Date.now();
  const counts: Counts = { imported: 0, merged: 0, unchanged: 0, rejected: 0, rejected_rows: [] };
  const reject = (row: number, reason: string) => {
    counts.rejected++;
    if (counts.rejected_rows.length < IMPORT_REJECTED_LISTED) counts.rejected_rows.push({ row, reason });
  };
  let read = 0;
  let truncated: ContactImportReport["truncated"] = null;
  let pending: ContactRecord[] = [];
  // Contacts this import already handled (at most MAX_IMPORT_ROWS keys), so a repeat in a later batch is counted as they were.
  const handled = new Map<string, Handled>();
  for await (const raw of rows) {
    if (raw.row > MAX_IMPORT_ROWS) {
      reject(raw.row, `an import reads at most ${MAX_IMPORT_ROWS} rows: send the rest in another request`);
      break;
    }
    if ("truncated" in raw) {
      truncated = { row: raw.row, ...raw.truncated };
      continue;
    }
    read++;
    if ("error" in raw) {
      reject(raw.row, raw.error);
      continue;
    }
    const n = normalizeRow(raw.value, project.defaultCountry);
    if (!n.ok) {
      reject(raw.row, n.reason);
      continue;
    }
    pending.push(n.record);
    if (pending.length >= IMPORT_BATCH) {
      await writeBatch(db, project.id, pending, counts, handled, start);
      pending = [];
    }
  }
  if (pending.length) await writeBatch(db, project.id, pending, counts, handled, start);
  return { rows_read: read, ...counts, truncated, took_ms: Date.now() - start };
}
