import { Show } from "solid-js";
import { ErrorState } from "./loaded";

/** The end of a cursor-paged list (`loadPages`): why the next page failed, and the button that asks for it. */
export function ShowMore(props: { list: { next: () => string | null; busy: () => boolean; more: () => void; moreError: () => unknown } }) {
  return (
    <>
      <Show when={props.list.moreError()}>
        <ErrorState error={props.list.moreError()} retry={props.list.more} />
      </Show>
      <Show when={props.list.next()}>
        <button type="button" class="link show-more" disabled={props.list.busy()} onClick={() => props.list.more()}>
          {props.list.busy() ? "Loading…" : "Show more"}
        </button>
      </Show>
    </>
  );
}
