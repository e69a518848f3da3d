import { Match, Show, Switch, type JSX, type Resource } from "solid-js";
import { ApiError } from "../lib/api";

/** The error state a panel shows when its endpoint answers non-2xx; only that panel. */
export function ErrorState(props: { error: unknown; retry?: () => void }) {
  const err = () => props.error as Error;
  const status = () => (err() instanceof ApiError ? (err() as ApiError).status : 0);
  const code = () => (err() instanceof ApiError ? (err() as ApiError).code : "error");
  return (
    <div class="state error" role="alert" data-state="error">
      <strong>{status() ? `${status()} · ${code()}` : code()}</strong>
      <span>{err()?.message ?? String(props.error)}</span>
      <Show when={props.retry}>
        <button type="button" class="link" onClick={() => props.retry!()}>
          Retry
        </button>
      </Show>
    </div>
  );
}

/** The failure of the last action a panel ran (`createAction`), when there is one. */
export function ActionError(props: { error: unknown }) {
  return (
    <Show when={props.error}>
      <ErrorState error={props.error} />
    </Show>
  );
}

export function Empty(props: { children?: JSX.Element }) {
  return (
    <div class="state empty" data-state="empty">
      {props.children ?? "No data in this range"}
    </div>
  );
}

/**
 * A resource's loading, error, empty and ready states. While new data loads the previous answer
 * stays on screen, dimmed and marked aria-busy, so numbers do not jump to a spinner and back.
 * `resource.state` is read instead of `resource()` because reading an errored resource throws.
 */
export function Loaded<T>(props: {
  resource: Resource<T>;
  retry?: () => void;
  empty?: (data: T) => boolean;
  emptyText?: JSX.Element;
  children: (data: T) => JSX.Element;
}) {
  const refreshing = () => props.resource.state === "refreshing";
  // No answer (never fetched, or dropped because the range became invalid): the filter bar says why.
  const idle = () => <div class="state idle" data-state="idle" />;
  return (
    <Switch fallback={idle()}>
      <Match when={props.resource.state === "errored"}>
        <ErrorState error={props.resource.error} retry={props.retry} />
      </Match>
      <Match when={props.resource.state === "pending"}>
        <div class="state loading" data-state="loading" aria-busy="true">
          Loading…
        </div>
      </Match>
      {/* Never fetched: the range is invalid and the filter bar says so; one message is enough. */}
      <Match when={props.resource.state === "unresolved"}>{idle()}</Match>
      <Match when={props.resource.latest !== undefined}>
        <div class="loaded" classList={{ stale: refreshing() }} aria-busy={refreshing()} data-state={refreshing() ? "refreshing" : "ready"}>
          <Show when={refreshing()}>
            <span class="loading-cue" role="status">
              Updating…
            </span>
          </Show>
          <Show when={!props.empty?.(props.resource.latest as T)} fallback={<Empty>{props.emptyText}</Empty>}>
            {props.children(props.resource.latest as T)}
          </Show>
        </div>
      </Match>
    </Switch>
  );
}
