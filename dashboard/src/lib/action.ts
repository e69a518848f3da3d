import { createSignal } from "solid-js";

/**
 * What a panel's buttons and forms run against the API: `run(start, done)` clears the last failure,
 * starts the call and hands its answer to `done`; `error()` is the failure the panel shows.
 */
export function createAction() {
  const [error, setError] = createSignal<unknown>();
  const run = <T>(start: () => Promise<T>, done?: (value: T) => unknown) => {
    setError(undefined);
    start().then(done, setError);
  };
  return { error, run };
}
