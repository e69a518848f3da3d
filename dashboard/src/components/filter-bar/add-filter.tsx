import { createSignal, createUniqueId, For, Show } from "solid-js";
import { FILTER_DIMENSIONS, isFilterKey, PROP_PREFIX } from "../../lib/dimensions";
import { num } from "../../lib/format";
import { addFilter } from "../../lib/view-state";
import { loadSuggestions } from "./suggestions";

const PROPERTY = "prop";

/** "Add filter": a dimension (or an event property), a value with suggestions from the API. */
export function AddFilter() {
  const [open, setOpen] = createSignal(false);
  const [dimension, setDimension] = createSignal("country");
  const [propKey, setPropKey] = createSignal("");
  const [value, setValue] = createSignal("");
  const [problem, setProblem] = createSignal<string>();
  const key = () => (dimension() === PROPERTY ? PROP_PREFIX + propKey().trim() : dimension());
  const [suggestions] = loadSuggestions(() => (open() && isFilterKey(key()) ? key() : undefined));
  const listId = createUniqueId();
  let select: HTMLSelectElement | undefined;

  const close = () => (setOpen(false), setValue(""), setProblem(undefined));
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!isFilterKey(key())) return setProblem("A property key is 1–64 letters, digits or _ $ : -");
    if (!value().trim()) return setProblem("Enter a value");
    addFilter(key(), value());
    close();
  };
  const start = () => (setOpen(true), queueMicrotask(() => select?.focus()));

  return (
    <Show
      when={open()}
      fallback={
        <button type="button" class="secondary add-filter-toggle" aria-expanded="false" onClick={start}>
          + Add filter
        </button>
      }
    >
      <form class="add-filter" aria-label="Add filter" onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && close()}>
        <label>
          Filter by
          <select name="filter-dimension" ref={select} onChange={(e) => (setDimension(e.currentTarget.value), setProblem(undefined))}>
            <For each={Object.entries(FILTER_DIMENSIONS)}>
              {([k, label]) => (
                <option value={k} selected={dimension() === k}>
                  {label}
                </option>
              )}
            </For>
            <option value={PROPERTY} selected={dimension() === PROPERTY}>
              Event property…
            </option>
          </select>
        </label>
        <Show when={dimension() === PROPERTY}>
          <label>
            Property
            <input
              name="filter-prop"
              size={10}
              placeholder="journey"
              value={propKey()}
              onInput={(e) => setPropKey(e.currentTarget.value)}
            />
          </label>
        </Show>
        <label>
          Value
          <input
            name="filter-value"
            size={14}
            list={listId}
            autocomplete="off"
            value={value()}
            onInput={(e) => setValue(e.currentTarget.value)}
            aria-busy={suggestions.loading}
          />
        </label>
        <datalist id={listId}>
          <For each={suggestions.latest ?? []}>
            {(s) => <option value={s.value} label={s.count === null ? undefined : `${num(s.count)}`} />}
          </For>
        </datalist>
        <button type="submit">Add</button>
        <button type="button" class="secondary" onClick={close}>
          Cancel
        </button>
        <Show when={problem()}>
          <span class="field-error" role="alert">
            {problem()}
          </span>
        </Show>
      </form>
    </Show>
  );
}
