import { createResource } from "solid-js";
import { getJson } from "../../lib/api";
import { project } from "../../lib/session";
import type { Timeline } from "../../lib/types";
import { page, param } from "../../lib/view-state";

export const ID_KINDS = ["anonymous_id", "external_id", "user_id"] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** The searched id comes from the URL (`#/timeline?external_id=+254…`), so results are linkable. */
export function searchedId(): { kind: IdKind; value: string } | undefined {
  for (const kind of ID_KINDS) {
    const value = param(kind);
    if (value) return { kind, value };
  }
}

/** The conversation to narrow the timeline to (`conversation=`), e.g. from the agents' queue. */
export const conversationId = () => param("conversation") || undefined;

/** One person's linked ids and events from both channels. */
export function loadTimeline() {
  return createResource(
    () => {
      const id = page() === "timeline" && searchedId();
      return id && { project: project(), kind: id.kind, value: id.value };
    },
    ({ kind, value }) => getJson<Timeline>("/timeline", { [kind]: value }),
  );
}
