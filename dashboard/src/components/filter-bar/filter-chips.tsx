import { For } from "solid-js";
import { filterLabel } from "../../lib/dimensions";
import { filters, removeFilter, setView, view } from "../../lib/view-state";
import { AddFilter } from "./add-filter";

/** The view's event filters as removable chips, the "Add filter" control and the bots toggle. */
export function FilterChips() {
  return (
    <fieldset class="filter-chips">
      <legend class="sr-only">Filters</legend>
      <For each={filters()}>
        {(f) => (
          <span class="chip filter-chip" data-filter={f.key}>
            <span class="muted">{filterLabel(f.key)}</span>
            <span class="chip-value">{f.value}</span>
            <button
              type="button"
              class="chip-remove"
              aria-label={`Remove filter ${filterLabel(f.key)} ${f.value}`}
              onClick={() => removeFilter(f.key)}
            >
              ×
            </button>
          </span>
        )}
      </For>
      <AddFilter />
      <label class="toggle">
        <input
          type="checkbox"
          name="include_bots"
          checked={view.includeBots()}
          onChange={(e) => setView({ include_bots: e.currentTarget.checked ? "true" : null })}
        />
        Include bots
      </label>
    </fieldset>
  );
}
