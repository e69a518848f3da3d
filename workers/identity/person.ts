import type { Person } from "../contract";
import { ownPerson, type Id } from "../lib/person";

/** Every id linked to `id` (transitively), and the person they share. */
export async function resolvePerson(db: D1Database, projectId: string, id: Id): Promise<Person> {
  const { results } = await db
    .prepare(
      `SELECT kind, value, person_id FROM identities WHERE project_id = ?1 AND person_id =
         (SELECT person_id FROM identities WHERE project_id = ?1 AND kind = ?2 AND value = ?3)
       ORDER BY linked_at, kind, value`,
    )
    .bind(projectId, id.kind, id.value)
    .all<{ kind: Id["kind"]; value: string; person_id: string }>();
  const rows = results.length ? results : [{ ...id, person_id: ownPerson(id) }];
  const of = (kind: Id["kind"]) => rows.filter((r) => r.kind === kind).map((r) => r.value);
  return { person_id: rows[0].person_id, anonymous_ids: of("anonymous_id"), external_ids: of("external_id"), user_ids: of("user_id") };
}
