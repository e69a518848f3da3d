import type { AgentStatus, AgentStatusMessage, AvailabilityFigures } from "../contract";
import { rate } from "../lib/distribution";

// A second report of the same change (a retried webhook) keeps one row; a corrected status replaces it.
const UPSERT_SQL = `INSERT INTO agent_status_changes (project_id, agent_id, at, status) VALUES (?, ?, ?, ?)
ON CONFLICT(project_id, agent_id, at) DO UPDATE SET status = excluded.status`;

/** The upsert of an `agent_status` Queue message. */
export function agentStatusStatements(db: D1Database, m: AgentStatusMessage): D1PreparedStatement[] {
  return [db.prepare(UPSERT_SQL).bind(m.project_id, m.agent_id, m.at, m.status)];
}

export type StatusChange = { agent_id: string; at: number; status: AgentStatus };
/** A cycle an agent held: from its assignment to its resolution (null: still open). */
export type HeldCycle = { agent_id: string; assigned_at: number; resolved_at: number | null };
type Span = [number, number];

/** Each status's spans within [from, end): a status holds from its change until the agent's next change. */
function statusSpans(changes: StatusChange[], from: number, end: number): Record<AgentStatus, Span[]> {
  const spans: Record<AgentStatus, Span[]> = { online: [], away: [], offline: [] };
  changes.forEach((c, i) => {
    const start = Math.max(c.at, from);
    const stop = Math.min(changes[i + 1]?.at ?? end, end);
    if (stop > start) spans[c.status].push([start, stop]);
  });
  return spans;
}

/** Overlapping spans merged, in time order. */
function union(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [a, b] of [...spans].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

const length = (spans: Span[]) => spans.reduce((n, [a, b]) => n + b - a, 0);

/** Total length of the overlap of two sets of disjoint spans. */
function overlap(xs: Span[], ys: Span[]): number {
  let n = 0;
  for (const [a, b] of xs) for (const [c, d] of ys) n += Math.max(0, Math.min(b, d) - Math.max(a, c));
  return n;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The figures of time spent (ms) and resolutions. */
export function figures(onlineMs: number, awayMs: number, offlineMs: number, busyMs: number, resolutions: number): AvailabilityFigures {
  return {
    online_s: onlineMs / 1000,
    away_s: awayMs / 1000,
    offline_s: offlineMs / 1000,
    busy_s: busyMs / 1000,
    occupancy: rate(busyMs, onlineMs),
    resolutions,
    handled_per_online_hour: onlineMs > 0 ? round4(resolutions / (onlineMs / 3_600_000)) : null,
  };
}

/**
 * One agent over [from, end) (docs/support-metrics.md): time in each status, busy time (online while
 * holding at least one open cycle; parallel conversations count once) and resolutions.
 * `changes` are the agent's changes in time order, starting with the last one before `from`.
 */
export function agentAvailability(changes: StatusChange[], held: HeldCycle[], resolutions: number, from: number, end: number) {
  const spans = statusSpans(changes, from, end);
  const handling = union(
    held.map((h): Span => [Math.max(h.assigned_at, from), Math.min(h.resolved_at ?? end, end)]).filter(([a, b]) => b > a),
  );
  const ms = {
    online: length(spans.online),
    away: length(spans.away),
    offline: length(spans.offline),
    busy: overlap(union(spans.online), handling),
  };
  return { ms, status: changes[changes.length - 1].status, resolutions };
}
