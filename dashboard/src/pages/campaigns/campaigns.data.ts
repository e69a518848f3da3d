import { createResource, onCleanup } from "solid-js";
import { getJson, postJson } from "../../lib/api";
import type { Campaign, CampaignInput, CampaignList, CampaignResults, SegmentList, TemplateList } from "../../lib/engage-types";
import { project } from "../../lib/session";
import { generation, param } from "../../lib/view-state";

const source = () => ({ project: project(), tick: generation() });

/** The project's campaigns, re-read every `everyMs` while one is sending or waiting to. */
export function loadCampaigns(everyMs = 5000) {
  const resource = createResource(source, () => getJson<CampaignList>("/campaigns"));
  const live = () => resource[0].latest?.campaigns.some((c) => c.status === "running" || c.status === "scheduled");
  const timer = setInterval(() => resource[0].state === "ready" && live() && resource[1].refetch(), everyMs);
  onCleanup(() => clearInterval(timer));
  return resource;
}
export const loadTemplates = () => createResource(source, () => getJson<TemplateList>("/templates"));
export const loadSegmentChoices = () => createResource(source, () => getJson<SegmentList>("/segments"));

export const createCampaign = (input: CampaignInput) => postJson<Campaign>("/campaigns", input);
/** `launch`, `pause`, `resume` or `cancel`. */
export const controlCampaign = (id: string, action: "launch" | "pause" | "resume" | "cancel") =>
  postJson<Campaign>(`/campaigns/${encodeURIComponent(id)}/${action}`, {});

/**
 * The selected campaign's results (`campaign=` in the URL), re-read every `everyMs`: delivery and
 * read statuses, replies and conversions keep arriving after the last send.
 */
export function loadResults(everyMs = 5000) {
  const resource = createResource(
    () => !!param("campaign") && { project: project(), tick: generation(), id: param("campaign") },
    (s) => getJson<CampaignResults>(`/campaigns/${encodeURIComponent(s.id)}/results`),
  );
  const timer = setInterval(() => resource[0].state === "ready" && resource[1].refetch(), everyMs);
  onCleanup(() => clearInterval(timer));
  return resource;
}
