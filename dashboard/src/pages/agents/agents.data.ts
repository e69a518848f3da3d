import { createResource, onCleanup } from "solid-js";
import { getJson } from "../../lib/api";
import { project } from "../../lib/session";
import type { Agents, Queue } from "../../lib/types";
import { viewResource } from "../../lib/view-resource";
import { generation, rangeQuery } from "../../lib/view-state";
import { hoursMode } from "./support.data";

/** Per-agent metrics over the selected range (the endpoint reads the range only, not event filters). */
export function loadAgents() {
  return viewResource(
    () => {
      const range = rangeQuery();
      return range && { project: project(), tick: generation(), hours: hoursMode(), ...range };
    },
    ({ project: _p, tick: _t, ...range }) => getJson<Agents>("/agents", range),
  );
}

/** The live queue, re-read every `everyMs` while the page is open. */
export function loadQueue(everyMs = 10_000) {
  const resource = createResource(project, () => getJson<Queue>("/agents/queue"));
  const timer = setInterval(() => resource[1].refetch(), everyMs);
  onCleanup(() => clearInterval(timer));
  return resource;
}
