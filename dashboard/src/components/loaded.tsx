import { Match, Switch, type JSX, type Resource } from "solid-js";
import { ApiError } from "../lib/api";

/** The error state every panel shows when its endpoint answers non-2xx. */
export function ErrorState(props: { error: unknown; retry?: () => void }) {
  const err = () => props.error as Error;
  const status = () => (err() instanceof ApiError ? (err() as ApiError).status : 0);
  const code = () => (err() instanceof ApiError ? (err() as ApiError).code : "error");
  return (
    <div class="state error" role="alert" data-state="error">
      <strong>{status() ? `${status()} · ${code()}` : code()}</strong>
      <span>{err()?.message ?? String(props.error)}</span>
      {props.retry && (
        <button class="link" onClick={() => props.retry!()}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty(props: { children?: JSX.Element }) {
  return (
    <div class="state empty" data-state="empty">
      {props.children ?? "No data for this range and filters."}
    </div>
  );
}

/**
 * Renders a resource's loading, error, empty and ready states. `resource.state` is read instead of
 * `resource()` for the first three because reading an errored resource throws.
 */
export function Loaded<T>(props: {
  resource: Resource<T>;
  retry?: () => void;
  empty?: (data: T) => boolean;
  emptyText?: JSX.Element;
  children: (data: T) => JSX.Element;
}) {
  return (
    <Switch>
      <Match when={props.resource.state === "errored"}>
        <ErrorState error={props.resource.error} retry={props.retry} />
      </Match>
      <Match when={props.resource.state === "unresolved" || props.resource.state === "pending"}>
        <div class="state loading" data-state="loading">
          Loading…
        </div>
      </Match>
      <Match when={props.empty?.(props.resource.latest as T)}>
        <Empty>{props.emptyText}</Empty>
      </Match>
      <Match when={props.resource.latest !== undefined}>{props.children(props.resource.latest as T)}</Match>
    </Switch>
  );
}
