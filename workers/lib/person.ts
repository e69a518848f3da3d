export const ID_KINDS = ["anonymous_id", "external_id", "user_id"] as const;
export type IdKind = (typeof ID_KINDS)[number];
export interface Id {
  kind: IdKind;
  value: string;
}

const PREFIX: Record<IdKind, string> = { anonymous_id: "a:", external_id: "x:", user_id: "u:" };

/** The person an id stands for while it has no link: `a:<anon>`, `x:<phone>`, `u:<user>`. */
export function ownPerson(id: Id): string {
  return PREFIX[id.kind] + id.value;
}

const linked = (a: string, kind: IdKind) =>
  `(SELECT person_id FROM identities WHERE project_id = ${a}.project_id AND kind = '${kind}' AND value = ${a}.${kind})`;

/**
 * An event's person in SQL (`a` names its row): the person of its anonymous, external or user id,
 * in that order, once linked; else its own id (as `ownPerson`). `events.person_id` holds this
 * value, written at insert (workers/consumer/store.ts) and recomputed by every link below, so
 * funnels read people from an index instead of looking up identities per event.
 */
export const personSql = (a: string) =>
  `coalesce(${ID_KINDS.map((k) => linked(a, k)).join(", ")}, ${ID_KINDS.map((k) => `'${PREFIX[k]}' || ${a}.${k}`).join(", ")})`;

const PAIR = "project_id = ?1 AND ((kind = ?2 AND value = ?3) OR (kind = ?4 AND value = ?5))";
const INSERT = "INSERT OR IGNORE INTO identities (project_id, kind, value, person_id, linked_at) VALUES (?1, ?2, ?3, ?4, ?5)";
// Merges the two people into the smaller person_id, rewriting every row of both, so links are
// transitive. Run in one D1 batch (a transaction), the read and the write cannot interleave with
// another link, and choosing MIN makes the result independent of the order links arrive in.
const MERGE = `UPDATE identities SET person_id = (SELECT MIN(person_id) FROM identities WHERE ${PAIR}), linked_at = ?6
WHERE project_id = ?1 AND person_id IN (SELECT person_id FROM identities WHERE ${PAIR})
  AND person_id != (SELECT MIN(person_id) FROM identities WHERE ${PAIR})`;

// After a merge, every event carrying one of the merged person's ids takes its person afresh (by
// kind, so each statement seeks one events index). In the same transaction as the merge, and an
// insert computes person_id in its own: whichever of the two D1 runs first, the rows agree.
const REPERSON = ID_KINDS.map(
  (kind) => `UPDATE events SET person_id = ${personSql("events")}
WHERE project_id = ?1 AND ${kind} IN (SELECT value FROM identities WHERE project_id = ?1 AND kind = '${kind}'
  AND person_id = (SELECT person_id FROM identities WHERE project_id = ?1 AND kind = ?2 AND value = ?3))`,
);

/** Statements linking two ids as one person (idempotent); run them with `db.batch`. */
export function linkStatements(db: D1Database, projectId: string, a: Id, b: Id, at: number): D1PreparedStatement[] {
  return [
    db.prepare(INSERT).bind(projectId, a.kind, a.value, ownPerson(a), at),
    db.prepare(INSERT).bind(projectId, b.kind, b.value, ownPerson(b), at),
    db.prepare(MERGE).bind(projectId, a.kind, a.value, b.kind, b.value, at),
    ...REPERSON.map((sql) => db.prepare(sql).bind(projectId, a.kind, a.value)),
  ];
}

const LINKED_PHONES = `SELECT b.value AS bsuid, min(p.value) AS phone FROM identities b
JOIN identities p ON p.project_id = b.project_id AND p.person_id = b.person_id AND p.kind = 'external_id' AND p.value LIKE '+%'
WHERE b.project_id = ?1 AND b.kind = 'external_id' AND b.value IN (SELECT value FROM json_each(?2))
GROUP BY b.value`;

/**
 * The phone each BSUID is linked to, for the BSUIDs that have one. A contact seen by phone and
 * BSUID together who later writes by BSUID alone (a username user) keeps its conversation, which
 * is keyed on the phone. With several linked phones (a number change), the smallest is taken.
 */
export async function linkedPhones(db: D1Database, projectId: string, bsuids: string[]): Promise<Map<string, string>> {
  if (!bsuids.length) return new Map();
  const { results } = await db
    .prepare(LINKED_PHONES)
    .bind(projectId, JSON.stringify([...new Set(bsuids)]))
    .all<{ bsuid: string; phone: string }>();
  return new Map(results.map((r) => [r.bsuid, r.phone]));
}
