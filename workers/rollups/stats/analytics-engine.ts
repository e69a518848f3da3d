import { AE_COLUMNS } from "../../contract";
import { ApiError, badField } from "../../lib/http";
import type { Bucket, Dimension, Filters } from "../../lib/filters";
import { shownValue, type StatsSource } from "./types";

/**
 * Optional Analytics Engine path (`?source=ae`) for accounts that set AE_ACCOUNT_ID and
 * AE_API_TOKEN. The AE SQL API takes no bound parameters, so every value is checked against a
 * strict pattern AND escaped, and every column comes from AE_COLUMNS. AE keeps counts only
 * (data points are pre-aggregated per batch), so visitors, sessions and bounce rate are null.
 */
export type AeEnv = { AE_ACCOUNT_ID?: string; AE_API_TOKEN?: string; AE_DATASET?: string };

const AE_DIMENSIONS: Partial<Record<Dimension, string>> = {
  channel_type: AE_COLUMNS.channel,
  event_name: AE_COLUMNS.eventName,
  country: AE_COLUMNS.country,
  device_type: AE_COLUMNS.deviceType,
};
const SAFE = /^[A-Za-z0-9_.:$+ -]{1,64}$/;

/** A single-quoted AE SQL string literal; refuses anything outside a conservative alphabet. */
export function aeString(v: string): string {
  if (!SAFE.test(v)) throw badField("invalid_query", "", `value not allowed in an Analytics Engine query: ${JSON.stringify(v)}`);
  return `'${v.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

const n = (bots: boolean) =>
  bots ? `_sample_interval * ${AE_COLUMNS.count}` : `_sample_interval * (${AE_COLUMNS.count} - ${AE_COLUMNS.bots})`;

/** The WHERE clause for a project and filters; 400 for filters Analytics Engine does not keep. */
export function aeWhere(projectId: string, f: Filters): string {
  if (Object.keys(f.props).length)
    throw new ApiError(400, "unsupported_filter", "property filters are not available from Analytics Engine");
  const parts = [
    `${AE_COLUMNS.index} = ${aeString(projectId)}`,
    `timestamp >= toDateTime(${Math.floor(f.from / 1000)})`,
    `timestamp < toDateTime(${Math.floor(f.to / 1000)})`,
  ];
  for (const [dim, v] of Object.entries(f.eq) as [Dimension, string][]) {
    const col = AE_DIMENSIONS[dim];
    if (!col) throw new ApiError(400, "unsupported_filter", `filter ${dim} is not available from Analytics Engine`);
    parts.push(`${col} = ${aeString(v)}`);
  }
  return parts.join(" AND ");
}

/** SQL for totals, 15-minute UTC series (regrouped into local buckets by the caller) and a breakdown. */
export function aeSql(
  dataset: string,
  projectId: string,
  f: Filters,
  kind: "totals" | "series" | { dimension: Dimension; limit: number },
): string {
  const table = aeString(dataset).slice(1, -1);
  const counts = `SUM(${n(f.includeBots)}) AS events, SUM(IF(${AE_COLUMNS.eventName} = 'page_view', ${n(f.includeBots)}, 0)) AS pageviews`;
  const where = aeWhere(projectId, f);
  if (kind === "totals") return `SELECT ${counts} FROM ${table} WHERE ${where}`;
  if (kind === "series")
    return `SELECT toStartOfInterval(timestamp, INTERVAL '15' MINUTE) AS quarter, ${counts} FROM ${table} WHERE ${where} GROUP BY quarter ORDER BY quarter`;
  const col = AE_DIMENSIONS[kind.dimension];
  if (!col) throw new ApiError(400, "unsupported_dimension", `dimension ${kind.dimension} is not available from Analytics Engine`);
  return `SELECT ${col} AS value, ${counts} FROM ${table} WHERE ${where} GROUP BY value ORDER BY events DESC, value ASC LIMIT ${Math.trunc(kind.limit)}`;
}

type Row = Record<string, string | number>;

/** A StatsSource over the AE SQL API; 400 when the account has not configured it. */
export function aeSource(env: AeEnv, projectId: string): StatsSource {
  if (!env.AE_ACCOUNT_ID || !env.AE_API_TOKEN)
    throw new ApiError(400, "analytics_engine_not_configured", "set AE_ACCOUNT_ID and AE_API_TOKEN to query Analytics Engine");
  const dataset = env.AE_DATASET ?? "junction_events";
  const run = async (sql: string): Promise<Row[]> => {
    const res = await fetch(`https://api.cloudflare.com/client/v4/accounts/${env.AE_ACCOUNT_ID}/analytics_engine/sql`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.AE_API_TOKEN}` },
      body: sql,
    });
    if (!res.ok) throw new ApiError(502, "analytics_engine_error", `Analytics Engine answered ${res.status}`);
    return ((await res.json()) as { data: Row[] }).data;
  };
  const num = (v: unknown) => Math.round(Number(v ?? 0));
  return {
    async totals(f) {
      const [r] = await run(aeSql(dataset, projectId, f, "totals"));
      return {
        visitors: null,
        sessions: null,
        pageviews: num(r?.pageviews),
        events: num(r?.events),
        bounce_rate: null,
        avg_session_seconds: null,
      };
    },
    async series(f, buckets: Bucket[]) {
      const rows = await run(aeSql(dataset, projectId, f, "series"));
      const out = buckets.map((b) => ({ bucket: b.label, visitors: null, sessions: null, pageviews: 0, events: 0 }));
      for (const r of rows) {
        const t = Date.parse(String(r.quarter).replace(" ", "T") + "Z");
        const i = buckets.findIndex((b) => t >= b.start && t < b.end);
        if (i >= 0) (out[i].events += num(r.events)), (out[i].pageviews += num(r.pageviews));
      }
      return out;
    },
    async breakdown(f, dimension, limit) {
      const rows = await run(aeSql(dataset, projectId, f, { dimension, limit }));
      return rows.map((r) => ({ value: shownValue(r.value), visitors: null, pageviews: num(r.pageviews), events: num(r.events) }));
    },
  };
}
