import { createResource } from "solid-js";
import { getJson, postJson } from "../../lib/api";
import type {
  Automation,
  AutomationDefinition,
  AutomationDryRun,
  AutomationList,
  AutomationRunDetail,
  AutomationRuns,
} from "../../lib/engage-types";
import { project } from "../../lib/session";
import { generation, param } from "../../lib/view-state";

const path = (id: string) => `/automations/${encodeURIComponent(id)}`;

export const loadAutomations = () =>
  createResource(
    () => ({ project: project(), tick: generation() }),
    () => getJson<AutomationList>("/automations"),
  );

/** The selected automation's latest runs (`automation=`). */
export const loadRuns = () =>
  createResource(
    () => !!param("automation") && { project: project(), tick: generation(), id: param("automation") },
    (s) => getJson<AutomationRuns>(`${path(s.id)}/runs`, { limit: 50 }),
  );

/** One run and its steps (`run=`). */
export const loadRun = () =>
  createResource(
    () => !!param("automation") && !!param("run") && { project: project(), id: param("automation"), run: param("run") },
    (s) => getJson<AutomationRunDetail>(`${path(s.id)}/runs/${encodeURIComponent(s.run)}`),
  );

export const createAutomation = (name: string, definition: AutomationDefinition) =>
  postJson<Automation & { secret: string }>("/automations", { name, ...definition });
export const setPaused = (id: string, paused: boolean) => postJson<Automation>(`${path(id)}/${paused ? "pause" : "resume"}`, {});
export const dryRun = (id: string) => postJson<AutomationDryRun>(`${path(id)}/dry-run`, {});
