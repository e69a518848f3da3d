import type { Sql } from "./filters";

/** D1 binds at most 100 parameters per statement. */
export const D1_MAX_PARAMS = 100;
/** SQLite as D1 and Durable Objects build it allows at most 5 terms in one compound SELECT. */
export const MAX_COMPOUND_TERMS = 5;

/**
 * The statement with every `?` replaced by `json_extract(?1, '$[i]')` and all values bound as ONE
 * JSON array, for statements past D1's 100-parameter limit (a 20-step funnel with filters). The
 * values keep their SQLite types (integers, reals, text). Builders here only ever emit bare `?`
 * placeholders and no `?` inside string literals.
 */
export function packParams(q: Sql): Sql {
  if (q.params.length < D1_MAX_PARAMS) return q;
  let i = 0;
  const sql = q.sql.replace(/\?(?!\d)/g, () => `json_extract(?1, '$[${i++}]')`);
  if (i !== q.params.length) throw new Error(`packParams: ${i} placeholders for ${q.params.length} values`);
  return { sql, params: [JSON.stringify(q.params.map((v) => (typeof v === "boolean" ? Number(v) : v)))] };
}

/**
 * `UNION ALL` of any number of SELECTs, nested so no compound has more than MAX_COMPOUND_TERMS
 * terms: `a UNION ALL b UNION ALL SELECT * FROM (c UNION ALL …)`.
 */
export function unionAll(selects: string[]): string {
  if (selects.length <= MAX_COMPOUND_TERMS) return selects.join("\nUNION ALL ");
  const head = selects.slice(0, MAX_COMPOUND_TERMS - 1);
  return `${head.join("\nUNION ALL ")}\nUNION ALL SELECT * FROM (${unionAll(selects.slice(MAX_COMPOUND_TERMS - 1))})`;
}
