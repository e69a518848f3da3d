import { getJson } from "../../lib/api";
import { project } from "../../lib/session";
import type { Breakdown, Overview } from "../../lib/types";
import { viewResource } from "../../lib/view-resource";
import { generation, interval, trafficQuery } from "../../lib/view-state";

/** Traffic totals and series for the current project and view; nothing while the range is invalid. */
export function loadOverview() {
  return viewResource(
    () => {
      const q = trafficQuery();
      return q && { project: project(), tick: generation(), ...q, interval: interval() };
    },
    ({ project: _p, tick: _t, ...params }) => getJson<Overview>("/stats/overview", params),
  );
}

/**
 * One breakdown table. The API pages by `limit` alone (1–1000, no offset), so "Show more" asks
 * again for more rows and the panel keeps the rows it has on screen meanwhile.
 */
export function loadBreakdown(dimension: () => string, limit: () => number) {
  return viewResource(
    () => {
      const q = trafficQuery();
      return q && { project: project(), tick: generation(), ...q, dimension: dimension(), limit: limit() };
    },
    ({ project: _p, tick: _t, ...params }) => getJson<Breakdown>("/stats/breakdown", params),
  );
}
