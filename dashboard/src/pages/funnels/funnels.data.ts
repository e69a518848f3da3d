import { createResource } from "solid-js";
import { getJson, postJson } from "../../lib/api";
import { rangeParams } from "../../lib/filters";
import { project } from "../../lib/session";
import type { Breakdown, FunnelResult, FunnelStepDef, SavedFunnel } from "../../lib/types";

/** The saved funnels (the list answer may be wrapped in `{funnels}`). */
export function loadFunnels() {
  return createResource(project, async () => {
    const body = await getJson<SavedFunnel[] | { funnels: SavedFunnel[] }>("/funnels");
    return Array.isArray(body) ? body : body.funnels;
  });
}

/** One saved funnel's result over the selected range. */
export function loadFunnel(id: () => string | undefined) {
  return createResource(
    () => (id() ? { project: project(), id: id()!, ...rangeParams() } : false),
    ({ project: _p, id, tz: _tz, ...range }) => getJson<FunnelResult>(`/funnels/${encodeURIComponent(id)}`, range),
  );
}

/** Event names seen in the range, to suggest funnel steps. */
export function loadEventNames() {
  return createResource(
    () => ({ project: project(), ...rangeParams() }),
    async ({ project: _p, ...range }) => (await getJson<Breakdown>("/stats/breakdown", { ...range, dimension: "event_name", limit: 100 })).rows.map((r) => r.value ?? ""),
  );
}

export interface AdHocQuery {
  steps: FunnelStepDef[];
  window: number;
}

/** Runs an ad-hoc funnel. */
export function queryFunnel(q: AdHocQuery) {
  const { from, to } = rangeParams();
  return postJson<FunnelResult>("/funnels/query", { ...q, from, to });
}

/** Saves a funnel definition; answers the stored funnel. */
export function saveFunnel(name: string, q: AdHocQuery) {
  return postJson<SavedFunnel | { funnel: SavedFunnel }>("/funnels", { name, ...q });
}
