import { createResource } from "solid-js";
import { getJson, postJson } from "../../lib/api";
import { project } from "../../lib/session";
import type { FunnelList, FunnelResult, FunnelStepDef, SavedFunnel, SavedFunnelResult } from "../../lib/types";
import { filterQuery, generation, rangeQuery, trafficQuery } from "../../lib/view-state";
import { fetchValues } from "../../components/filter-bar/suggestions";

/** The saved funnels, newest first. */
export function loadFunnels() {
  return createResource(project, async () => (await getJson<FunnelList>("/funnels")).funnels);
}

/** One saved funnel's result over the view's range and filters (the filters apply to the entry step). */
export function loadFunnel(id: () => string | undefined) {
  return createResource(
    () => {
      const q = trafficQuery();
      return !!id() && q && { project: project(), tick: generation(), id: id()!, ...q };
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
    async ({ range }) => (await fetchValues("event_name", range)).map((s) => s.value),
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

/** Saves a funnel definition; answers the stored funnel. */
export function saveFunnel(name: string, q: AdHocQuery) {
  return postJson<SavedFunnel>("/funnels", { name, ...q });
}
