import { isSystemEvent, type EventRecord } from "../contract";
import { stubByName } from "../lib/objects";
import type { UniquesDO, UniquesPoint, UniquesQuery } from "./object";
import { FILTER_DIMENSIONS, ROLLUP_DIMENSIONS } from "./dimensions";
import { GRAINS } from "./grains";
import { hashKeys } from "./sketch";

/** Who a visitor is: on the web the anonymous id (else the user id), on WhatsApp the contact; nobody for a system event (as `visitorKey`). */
export function visitorOf(e: EventRecord): string | null {
  if (isSystemEvent(e)) return null;
  if (e.channel_type === "whatsapp") return e.external_id != null ? "x:" + e.external_id : null;
  return e.anonymous_id ?? (e.user_id != null ? "u:" + e.user_id : null);
}
/** What a session is: the web session, or the WhatsApp conversation; none for a system event (as `sessionKey`). */
export function sessionOf(e: EventRecord): string | null {
  if (isSystemEvent(e)) return null;
  return (e.channel_type === "whatsapp" ? e.conversation_id : e.session_id) ?? null;
}

export const uniquesStub = (env: Cloudflare.Env, projectId: string) => stubByName<UniquesDO>(env.UNIQUES, projectId);

/** A batch's visitors per dimension value and sessions, per project and 15-minute bucket. */
export function uniquesPoints(events: EventRecord[]): Map<string, UniquesPoint[]> {
  const hashes = hashKeys(events.flatMap((e) => [visitorOf(e), sessionOf(e)]).filter((k): k is string => k != null));
  const groups = new Map<string, { project: string; point: UniquesPoint; set: Set<number> }>();
  const put = (e: EventRecord, kind: "v" | "s", dim: string, value: string, key: string | null) => {
    if (key == null) return;
    const at = e.timestamp - (e.timestamp % GRAINS[0]);
    const id = [e.project_id, kind, dim, value, e.channel_type, e.is_bot, at].join("\u0000");
    let g = groups.get(id);
    if (!g)
      groups.set(
        id,
        (g = {
          project: e.project_id,
          point: { kind, dim, value, channel: e.channel_type, bot: !!e.is_bot, at, hashes: [] },
          set: new Set(),
        }),
      );
    g.set.add(hashes.get(key)!);
  };
  for (const e of events) {
    const visitor = visitorOf(e);
    for (const dim of ROLLUP_DIMENSIONS) put(e, "v", dim, dim ? String(e[dim] ?? "") : "", visitor);
    put(e, "s", "", "", sessionOf(e));
    // Sessions per filter value, for filtered overviews from rollups.
    for (const dim of FILTER_DIMENSIONS) if (e[dim] != null && e[dim] !== "") put(e, "s", dim, String(e[dim]), sessionOf(e));
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
