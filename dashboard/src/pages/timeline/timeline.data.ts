import { createResource } from "solid-js";
import { getJson } from "../../lib/api";
import { route } from "../../lib/router";
import { project } from "../../lib/session";
import type { Timeline } from "../../lib/types";

export const ID_KINDS = ["anonymous_id", "external_id", "user_id"] as const;
export type IdKind = (typeof ID_KINDS)[number];

/** The searched id comes from the URL (`#/timeline?external_id=+254…`), so results are linkable. */
export function searchedId(): { kind: IdKind; value: string } | undefined {
  const params = route().params;
  for (const kind of ID_KINDS) {
    const value = params.get(kind);
    if (value) return { kind, value };
  }
}

/** One person's linked ids and events from both channels. */
export function loadTimeline() {
  return createResource(
    () => (route().page === "timeline" && searchedId() ? { project: project(), ...searchedId()! } : false),
    ({ kind, value }) => getJson<Timeline>("/timeline", { [kind]: value }),
  );
}
