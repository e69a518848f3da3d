import { createSignal } from "solid-js";
import { viewResource } from "./view-resource";

/** One page of a cursor-paged list: its rows, the figure it stands behind, and the next cursor. */
export type ListPage<T> = { items: T[]; total: number | null; next: string | null };

/**
 * A cursor-paged list: the first page is a resource (loading, error, refetch as any panel), later
 * pages are appended by `more()` and dropped whenever the first page is asked again.
 */
export function loadPages<S, T>(source: () => S | false | undefined, fetchPage: (s: S, cursor?: string) => Promise<ListPage<T>>) {
  const [first, { refetch }] = viewResource(source, (s: S) => fetchPage(s));
  const [extra, setExtra] = createSignal<{ of: unknown; pages: ListPage<T>[] }>({ of: undefined, pages: [] });
  const [busy, setBusy] = createSignal(false);
  const [moreError, setMoreError] = createSignal<unknown>();
  const pages = () => (first.state === "ready" && extra().of === first() ? extra().pages : []);
  const last = () => pages().at(-1) ?? (first.state === "ready" ? first() : undefined);
  const rows = (): T[] => (first.state === "ready" && first() ? [first()!, ...pages()].flatMap((p) => p.items) : []);
  const next = () => last()?.next ?? null;
  const more = async () => {
    const s = source();
    const cursor = next();
    if (!s || !cursor || busy()) return;
    const of = first();
    setBusy(true);
    setMoreError(undefined);
    try {
      const page = await fetchPage(s, cursor);
      setExtra({ of, pages: [...pages(), page] });
    } catch (err) {
      setMoreError(err);
    } finally {
      setBusy(false);
    }
  };
  return { first, refetch, rows, next, more, busy, moreError };
}
