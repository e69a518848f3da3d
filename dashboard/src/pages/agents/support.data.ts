import { createResource, onCleanup } from "solid-js";
import { getJson } from "../../lib/api";
import type { AgentAvailability, CsatReport, ResponseBuckets, SlaAtRisk, SlaReport } from "../../lib/engage-types";
import { project } from "../../lib/session";
import { pct } from "../../lib/format";
import { viewResource } from "../../lib/view-resource";
import { generation, param, rangeQuery } from "../../lib/view-state";

/** A rate as a percentage, "—" when there is nothing to divide. */
export const rate = (r: number | null) => (r === null ? "—" : pct(r));

/** `hours=business` in the URL: durations counted in the project's business hours (the API's own key). */
export const hoursMode = () => (param("hours") === "business" ? "business" : "wall");

/** A range endpoint re-read when the range, the project, the hours mode or Refresh changes. */
function loadRange<T>(path: string, withHours = false) {
  return viewResource(
    () => {
      const range = rangeQuery();
      return range && { project: project(), tick: generation(), hours: withHours ? hoursMode() : undefined, ...range };
    },
    ({ project: _p, tick: _t, ...query }) => getJson<T>(path, query),
  );
}

export const loadSla = () => loadRange<SlaReport>("/sla");
export const loadCsat = () => loadRange<CsatReport>("/csat");
export const loadAvailability = () => loadRange<AgentAvailability>("/agents/availability");
export const loadBuckets = () => loadRange<ResponseBuckets>("/agents/response-buckets", true);

/** Conversations about to breach (or past) an SLA target, re-read every `everyMs` while open. */
export function loadAtRisk(everyMs = 15_000) {
  const resource = createResource(project, () => getJson<SlaAtRisk>("/sla/at-risk", { within: 60 }));
  const timer = setInterval(() => resource[1].refetch(), everyMs);
  onCleanup(() => clearInterval(timer));
  return resource;
}
