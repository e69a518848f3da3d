import { DIMENSIONS, type Filters } from "./query";

export type Sql = { sql: string; params: unknown[] };

/**
 * `properties.<key> = value`, comparing as text (numbers match their decimal form) and
 * "true"/"false" against JSON booleans. The key is validated by `propKeySchema`, so it is safe
 * inside the quoted JSON path, which is bound anyway.
 */
export function propClause(column: string, key: string, value: string | number | boolean): Sql {
  const path = `$."${key}"`;
  if (value === true || value === false || value === "true" || value === "false")
    return { sql: `json_type(${column}, ?) = ?`, params: [path, String(value)] };
  return { sql: `CAST(json_extract(${column}, ?) AS TEXT) = ?`, params: [path, String(value)] };
}

export type WhereOptions = {
  /** Table alias for `events` columns, e.g. "e". */
  alias?: string;
  /** Leave the time range out (the caller bounds time itself). */
  noRange?: boolean;
  /** Leave these filters out (e.g. a funnel step's own channel). */
  skip?: (keyof typeof DIMENSIONS)[];
};

/**
 * WHERE clause (without the keyword) over the `events` table for a project and `Filters`: only
 * bound parameters; column names come from the DIMENSIONS whitelist. Bots are excluded unless
 * `include_bots`. Time-bounded on (project_id, timestamp), which the events indexes lead with.
 */
export function eventWhere(projectId: string, f: Filters, opts: WhereOptions = {}): Sql {
  const a = opts.alias ? opts.alias + "." : "";
  const parts = [`${a}project_id = ?`];
  const params: unknown[] = [projectId];
  if (!opts.noRange) parts.push(`${a}timestamp >= ?`, `${a}timestamp < ?`), params.push(f.from, f.to);
  if (!f.includeBots) parts.push(`${a}is_bot = 0`);
  for (const [dim, v] of Object.entries(f.eq) as [keyof typeof DIMENSIONS, string][]) {
    if (opts.skip?.includes(dim)) continue;
    parts.push(`${a}${DIMENSIONS[dim]} = ?`);
    params.push(v);
  }
  for (const [k, v] of Object.entries(f.props)) {
    const p = propClause(`${a}properties`, k, v);
    parts.push(p.sql);
    params.push(...p.params);
  }
  return { sql: parts.join(" AND "), params };
}
