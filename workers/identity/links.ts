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

const PAIR = "project_id = ?1 AND ((kind = ?2 AND value = ?3) OR (kind = ?4 AND value = ?5))";
const INSERT = "INSERT OR IGNORE INTO identities (project_id, kind, value, person_id, linked_at) VALUES (?1, ?2, ?3, ?4, ?5)";
// Merges the two people into the smaller person_id, rewriting every row of both, so links are
// transitive. Run in one D1 batch (a transaction), the read and the write cannot interleave with
// another link, and choosing MIN makes the result independent of the order links arrive in.
const MERGE = `UPDATE identities SET person_id = (SELECT MIN(person_id) FROM identities WHERE ${PAIR}), linked_at = ?6
WHERE project_id = ?1 AND person_id IN (SELECT person_id FROM identities WHERE ${PAIR})
  AND person_id != (SELECT MIN(person_id) FROM identities WHERE ${PAIR})`;

/** Statements linking two ids as one person (idempotent); run them with `db.batch`. */
export function linkStatements(db: D1Database, projectId: string, a: Id, b: Id, at: number): D1PreparedStatement[] {
  return [
    db.prepare(INSERT).bind(projectId, a.kind, a.value, ownPerson(a), at),
    db.prepare(INSERT).bind(projectId, b.kind, b.value, ownPerson(b), at),
    db.prepare(MERGE).bind(projectId, a.kind, a.value, b.kind, b.value, at),
  ];
}
