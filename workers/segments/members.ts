import type { SegmentDefinition } from "../contract";
import { countSql, memberSql, pageSql } from "./compile";

/** One member as the segment API, the CSV export and campaign snapshots read it. */
export type Member = {
  person_id: string;
  whatsapp: string | null;
  name: string | null;
  timezone: string | null;
  consent: "opted_in" | "opted_out" | null;
  attributes: Record<string, unknown>;
  last_seen_at: number | null;
};

type Row = Omit<Member, "attributes"> & { attributes: string | null };

export async function countMembers(db: D1Database, projectId: string, def: SegmentDefinition, now = Date.now()): Promise<number> {
  const q = countSql(projectId, def, now);
  return (
    (
      await db
        .prepare(q.sql)
        .bind(...q.params)
        .first<{ n: number }>()
    )?.n ?? 0
  );
}

/** Members after `after` in person_id order, `limit` of them. */
export async function memberPage(
  db: D1Database,
  projectId: string,
  def: SegmentDefinition,
  after: string,
  limit: number,
  now = Date.now(),
): Promise<Member[]> {
  const q = pageSql(projectId, def, after, limit, now);
  const { results } = await db
    .prepare(q.sql)
    .bind(...q.params)
    .all<Row>();
  return results.map((r) => ({ ...r, attributes: r.attributes ? (JSON.parse(r.attributes) as Record<string, unknown>) : {} }));
}

/** True when `personId` is a member of the definition now. */
export async function isMember(
  db: D1Database,
  projectId: string,
  def: SegmentDefinition,
  personId: string,
  now = Date.now(),
): Promise<boolean> {
  const q = memberSql(projectId, def, personId, now);
  return (
    (await db
      .prepare(q.sql)
      .bind(...q.params)
      .first()) !== null
  );
}
