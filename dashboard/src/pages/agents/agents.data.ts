import { createResource, onCleanup } from "solid-js";
import { getJson } from "../../lib/api";
import { rangeParams } from "../../lib/filters";
import { project } from "../../lib/session";
import type { Agents, Queue } from "../../lib/types";

/** Per-agent metrics over the selected range. */
export function loadAgents() {
  return createResource(
    () => ({ project: project(), ...rangeParams() }),
    ({ project: _p, tz: _tz, ...range }) => getJson<Agents>("/agents", range),
  );
}

/** The live queue, re-read every `everyMs` while the page is open. */
export function loadQueue(everyMs = 10_000) {
  const resource = createResource(project, () => getJson<Queue>("/agents/queue"));
  const timer = setInterval(() => resource[1].refetch(), everyMs);
  onCleanup(() => clearInterval(timer));
  return resource;
}
