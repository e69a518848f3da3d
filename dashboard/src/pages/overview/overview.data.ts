import { createResource } from "solid-js";
import { getJson } from "../../lib/api";
import { filters, trafficParams } from "../../lib/filters";
import { project } from "../../lib/session";
import type { Breakdown, Overview } from "../../lib/types";

/** Traffic totals and series for the current project and filters. */
export function loadOverview() {
  return createResource(
    () => ({ project: project(), ...trafficParams(), interval: filters.interval }),
    ({ project: _p, ...params }) => getJson<Overview>("/stats/overview", params),
  );
}

/** One breakdown table; `dimension` is reactive so tabs can switch it. */
export function loadBreakdown(dimension: () => string, limit = 10) {
  return createResource(
    () => ({ project: project(), ...trafficParams(), dimension: dimension(), limit }),
    ({ project: _p, ...params }) => getJson<Breakdown>("/stats/breakdown", params),
  );
}
