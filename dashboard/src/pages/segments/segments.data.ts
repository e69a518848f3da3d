import { createResource } from "solid-js";
import { getJson, postJson, projectUrl, request } from "../../lib/api";
import type { Segment, SegmentDefinition, SegmentList, SegmentPreview } from "../../lib/engage-types";
import { project } from "../../lib/session";
import { generation } from "../../lib/view-state";

/** The project's saved segments. */
export const loadSegments = () =>
  createResource(
    () => ({ project: project(), tick: generation() }),
    () => getJson<SegmentList>("/segments"),
  );

/** Members (count and a sample) of a definition not saved yet. */
export const previewDefinition = (definition: SegmentDefinition) => postJson<SegmentPreview>("/segments/preview", definition);

/** Creates the segment, or replaces the definition of `id`. */
export async function saveSegment(name: string, definition: SegmentDefinition, id?: string): Promise<Segment> {
  if (!id) return postJson<Segment>("/segments", { name, definition });
  const res = await request(projectUrl(`/segments/${encodeURIComponent(id)}`), {
    method: "PUT",
    body: JSON.stringify({ name, definition }),
  });
  return res.json() as Promise<Segment>;
}

export const deleteSegment = (id: string) => request(projectUrl(`/segments/${encodeURIComponent(id)}`), { method: "DELETE" });
