import { createResource } from "solid-js";
import { ApiError, getJson } from "../../lib/api";
import { PROP_PREFIX } from "../../lib/dimensions";
import { project } from "../../lib/session";
import type { Breakdown, StatsValues } from "../../lib/types";
import { rangeQuery } from "../../lib/view-state";

export type Suggestion = { value: string; count: number | null };

// Unknown until the first answer: older Workers have no /stats/values, and asking again on every
// keystroke of the filter form would only repeat the 404.
let valuesEndpoint: boolean | undefined;

/** Values seen for a filter key in the range: /stats/values, else the top 50 of /stats/breakdown. */
export async function fetchValues(
  key: string,
  range: { from: string; to: string; tz: string },
  narrow: { q?: string; limit?: number } = {},
): Promise<Suggestion[]> {
  if (key === "channel")
    return [
      { value: "web", count: null },
      { value: "whatsapp", count: null },
    ];
  if (valuesEndpoint !== false) {
    try {
      const body = await getJson<StatsValues>("/stats/values", { dimension: key, ...range, ...narrow });
      valuesEndpoint = true;
      // The count shown beside a value is its events in the range.
      return body.values.map((v) => ({ value: v.value, count: v.events }));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404 && err.code === "not_found")) throw err;
      valuesEndpoint = false;
    }
  }
  // The breakdown knows dimensions only, not event properties.
  if (key.startsWith(PROP_PREFIX)) return [];
  const body = await getJson<Breakdown>("/stats/breakdown", { dimension: key, limit: 50, ...range });
  return body.rows.flatMap((r) => (r.value ? [{ value: r.value, count: r.visitors ?? r.events }] : []));
}

/** Suggestions for the key being added; a failure only means no suggestions. */
export function loadSuggestions(key: () => string | undefined) {
  return createResource(
    () => {
      const range = rangeQuery();
      return !!key() && range && { project: project(), key: key()!, range };
    },
    ({ key, range }) => fetchValues(key, range).catch(() => [] as Suggestion[]),
  );
}
