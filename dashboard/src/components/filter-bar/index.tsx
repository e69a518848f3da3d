import { Show } from "solid-js";
import { rangeError } from "../../lib/view-state";
import { BotHint } from "./bot-hint";
import { FilterChips } from "./filter-chips";
import { RangeControls } from "./range-controls";

/**
 * The view's range, zone and (with `interval`) series interval; with `traffic`, the event filters as
 * removable chips, "Add filter" and "Include bots". Everything it shows is read from and written to
 * the URL (lib/view-state).
 */
export function FilterBar(props: { interval?: boolean; traffic?: boolean }) {
  return (
    <div class="filter-bar">
      <RangeControls interval={props.interval} />
      {/* The one place a bad custom range is reported; panels send nothing meanwhile. */}
      <Show when={rangeError()}>
        {(message) => (
          <p id="range-error" class="range-error" role="alert" data-range-error>
            {message()}
          </p>
        )}
      </Show>
      <Show when={props.traffic}>
        <FilterChips />
        <BotHint />
      </Show>
    </div>
  );
}
