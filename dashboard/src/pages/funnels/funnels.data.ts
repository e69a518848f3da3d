import { createResource } from "solid-js";
import { getJson, postJson, projectUrl, request } from "../../lib/api";
import { project } from "../../lib/session";
import type { FunnelList, FunnelResult, FunnelStepDef, PropertyKeys, SavedFunnel, SavedFunnelResult } from "../../lib/types";
import { filterQuery, generation, rangeQuery, trafficQuery } from "../../lib/view-state";
import { fetchValues } from "../../components/filter-bar/suggestions";

/** The saved funnels, newest first. */
export function loadFunnels() {
  return createResource(project, async () => (await getJson<FunnelList>("/funnels")).funnels);
}

/**
 * One saved funnel's result over the view's range and filters (the filters apply to the entry
 * step); with `breakdown` (a dimension), also per value of it on the entry event.
 */
export function loadFunnel(id: () => string | undefined, breakdown: () => string) {
  return createResource(
    () => {
      const q = trafficQuery();
      return !!id() && q && { project: project(), tick: generation(), id: id()!, ...q, ...(breakdown() ? { breakdown: breakdown() } : {}) };
    },
    ({ project: _p, tick: _t, id, ...params }) => getJson<SavedFunnelResult>(`/funnels/${encodeURIComponent(id)}`, params),
  );
}

/** Event names seen in the range, to suggest funnel steps. */
export function loadEventNames() {
  return createResource(
    () => {
      const range = rangeQuery();
      return range && { project: project(), tick: generation(), range };
    },
    async ({ range }) => (await fetchValues("event_name", range, { limit: 100 })).map((s) => s.value),
  );
}

export interface AdHocQuery {
  steps: FunnelStepDef[];
  window: number;
}

/** Runs an ad-hoc funnel over the view's range and filters; rejects while the range is invalid. */
export function queryFunnel(q: AdHocQuery) {
  const range = rangeQuery();
  if (!range) return Promise.reject(new Error("Pick a valid date range first."));
  return postJson<FunnelResult>("/funnels/query", { ...q, ...range, filters: filterQuery() });
}

/** Saves a funnel definition (a new one, or over `id`); answers the stored funnel. */
export async function saveFunnel(name: string, q: AdHocQuery, id?: string) {
  if (!id) return postJson<SavedFunnel>("/funnels", { name, ...q });
  const res = await request(projectUrl(`/funnels/${encodeURIComponent(id)}`), { method: "PUT", body: JSON.stringify({ name, ...q }) });
  return (await res.json()) as SavedFunnel;
}

/** Copies a saved funnel; answers the copy. */
export const duplicateFunnel = (id: string, name: string) =>
  postJson<SavedFunnel>(`/funnels/${encodeURIComponent(id)}/duplicate`, { name });

/** Deletes a saved funnel. */
export const deleteFunnel = (id: string) => request(projectUrl(`/funnels/${encodeURIComponent(id)}`), { method: "DELETE" });

/** Property keys seen on an event (for a step's "where"); a failure only means no suggestions. */
export function loadPropertyKeys(event: () => string) {
  return createResource(
    () => {
      const range = rangeQuery();
      return !!event().trim() && range && { project: project(), event: event().trim(), range };
    },
    async ({ event, range }) =>
      (await getJson<PropertyKeys>("/stats/property-keys", { ...range, event, limit: 20 })).keys.map((k) => k.key),
  );
}

/** Edit distance, for "did you mean" on a step's event name. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The closest seen event name to a name never seen in the range (undefined when none is close). */
export function closestName(name: string, seen: string[]): string | undefined {
  const best = seen.map((n) => [n, distance(name.toLowerCase(), n.toLowerCase())] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= Math.max(2, Math.floor(name.length / 3)) ? best[0] : undefined;
}

/**
 * Whether an event name occurs in the range at all (the suggestions hold the top 100 names only):
 * undefined until known, or while the range is invalid.
 */
export function loadEventSeen(name: () => string, top: () => string[] | undefined) {
  return createResource(
    () => {
      const range = rangeQuery();
      const n = name().trim();
      return !!n && !!top() && !top()!.includes(n) && range && { project: project(), name: n, range };
    },
    async ({ name, range }) => (await fetchValues("event_name", range, { q: name, limit: 100 })).some((v) => v.value === name),
  );
}
