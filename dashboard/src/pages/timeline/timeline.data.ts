import { createEffect, createResource, createSignal, onCleanup, type Accessor } from "solid-js";
import { getJson } from "../../lib/api";
import { project } from "../../lib/session";
import { loadPages } from "../../lib/pages";
import type { StatsPeople, StatsValues, Timeline } from "../../lib/types";
import { generation, page, param, rangeQuery, trafficQuery } from "../../lib/view-state";

/** The page ids that show a person (`timeline` is the older address of `people`). */
export const PERSON_PAGES = ["people", "timeline"];

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
      const id = PERSON_PAGES.includes(page()) && searchedId();
      return id && { project: project(), kind: id.kind, value: id.value };
    },
    ({ kind, value }) => getJson<Timeline>("/timeline", { [kind]: value }),
  );
}

/** The visitors of the view (its range and filters), 50 a page: the list, and the search's suggestions. */
export function loadPeople() {
  return loadPages(
    () => {
      const q = trafficQuery();
      return !searchedId() && q && { project: project(), tick: generation(), ...q };
    },
    async ({ project: _p, tick: _t, ...q }, cursor) => {
      const r = await getJson<StatsPeople>("/stats/people", { ...q, metric: "visitors", limit: 50, cursor });
      return { items: r.people, total: r.total, next: r.next_cursor };
    },
  );
}

/** `text`, once it has held still for `ms`: what a search box asks about, rather than each keystroke. */
export function settledText(text: Accessor<string>, ms = 200): Accessor<string> {
  const [settled, setSettled] = createSignal(text());
  let timer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    const t = text();
    clearTimeout(timer);
    timer = setTimeout(() => setSettled(t), ms);
  });
  onCleanup(() => clearTimeout(timer));
  return settled;
}

/**
 * Ids seen in the range starting with what was typed, of one kind (phone or BSUID, user id,
 * anonymous id), most active first. A resource keeps only the answer to its latest source, so a
 * reply to older text that arrives late is dropped.
 */
export function loadIdSuggestions(kind: () => IdKind, typed: () => string) {
  return createResource(
    () => {
      const q = rangeQuery();
      return q && typed().trim().length >= 1 && { project: project(), kind: kind(), typed: typed().trim(), ...q };
    },
    async ({ project: _p, kind, typed, ...range }) =>
      (await getJson<StatsValues>("/stats/values", { ...range, dimension: kind, q: typed, limit: 20 })).values.map((v) => v.value),
  );
}
