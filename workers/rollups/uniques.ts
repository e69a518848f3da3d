import type { EventRecord } from "../contract";
import type { UniquesDO, UniquesPoint, UniquesQuery } from "../objects/uniques";
import { ROLLUP_DIMENSIONS } from "./dimensions";
import { GRAINS } from "./grains";
import { hashKeys } from "./sketch";

/** Who a visitor is: the web anonymous id, else the WhatsApp contact (the raw-scan SQL says the same). */
export const visitorOf = (e: EventRecord) => e.anonymous_id ?? (e.external_id != null ? "x:" + e.external_id : e.user_id != null ? "u:" + e.user_id : null);
/** What a session is: the web session, else the WhatsApp conversation. */
export const sessionOf = (e: EventRecord) => e.session_id ?? e.conversation_id ?? null;

export function uniquesStub(env: Cloudflare.Env, projectId: string): DurableObjectStub<UniquesDO> {
  const ns = env.UNIQUES as DurableObjectNamespace<UniquesDO>;
  return ns.get(ns.idFromName(projectId));
}

/** A batch's visitors per dimension value and sessions, per project and 15-minute bucket. */
export function uniquesPoints(events: EventRecord[]): Map<string, UniquesPoint[]> {
  const hashes = hashKeys(events.flatMap((e) => [visitorOf(e), sessionOf(e)]).filter((k): k is string => k != null));
  const groups = new Map<string, { project: string; point: UniquesPoint; set: Set<number> }>();
  const put = (e: EventRecord, kind: "v" | "s", dim: string, value: string, key: string | null) => {
    if (key == null) return;
    const at = e.timestamp - (e.timestamp % GRAINS[0]);
    const id = [e.project_id, kind, dim, value, e.channel_type, e.is_bot, at].join("\u0000");
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { project: e.project_id, point: { kind, dim, value, channel: e.channel_type, bot: !!e.is_bot, at, hashes: [] }, set: new Set() }));
    g.set.add(hashes.get(key)!);
  };
  for (const e of events) {
    const visitor = visitorOf(e);
    for (const dim of ROLLUP_DIMENSIONS) put(e, "v", dim, dim ? String(e[dim] ?? "") : "", visitor);
    put(e, "s", "", "", sessionOf(e));
  }
  const out = new Map<string, UniquesPoint[]>();
  for (const g of groups.values()) {
    g.point.hashes = [...g.set];
    (out.get(g.project) ?? out.set(g.project, []).get(g.project)!).push(g.point);
  }
  return out;
}

/** Adds a stored batch to each project's sketches (idempotent, so every event goes, new or not). */
export async function addUniques(env: Cloudflare.Env, events: EventRecord[]): Promise<void> {
  const byProject = uniquesPoints(events);
  await Promise.all([...byProject].map(([project, points]) => uniquesStub(env, project).add(points)));
}

/** Distinct counts from the project's sketches: `result[q][r][v]`. */
export function countUniques(env: Cloudflare.Env, projectId: string, queries: UniquesQuery[]): Promise<number[][][]> {
  return uniquesStub(env, projectId).count(queries);
}
