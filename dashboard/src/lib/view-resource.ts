import { createComputed, createMemo, createResource } from "solid-js";

const sameJson = <T>(a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A panel's resource keyed on the query it sends. The source is compared by value, so a URL change
 * that leaves the query as it was (another panel's tab, opening or closing a drill-down) sends
 * nothing again. While the source is false (the custom range is invalid) the previous answer is
 * dropped: a panel never shows another range's numbers as this one's.
 */
export function viewResource<S, T>(source: () => S | false | undefined, fetcher: (s: S) => Promise<T>) {
  const key = createMemo(source, undefined, { equals: sameJson });
  const resource = createResource(key, fetcher);
  createComputed(() => {
    if (!key()) resource[1].mutate(undefined);
  });
  return resource;
}
