import { Show } from "solid-js";
import { INTERVALS, MAX_HOUR_DAYS, rangeDates, type Interval, type RangeKey } from "../../lib/range";
import { currentRange, interval, param, rangeError, refresh, setView, TIMEZONES, view } from "../../lib/view-state";

const RANGE_LABELS: [RangeKey, string][] = [
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
  ["90d", "Last 90 days"],
  ["custom", "Custom…"],
];
const INTERVAL_LABELS: Record<Interval, string> = { hour: "Hour", day: "Day", week: "Week", month: "Month" };

/** Range preset or custom dates, interval and time zone. */
export function RangeControls(props: { interval?: boolean }) {
  const chooseRange = (range: RangeKey) => {
    if (range !== "custom") return setView({ range, from: null, to: null });
    // Start the custom range as the days the preset showed, so it is valid from the first moment.
    const r = currentRange();
    setView({ range, ...(r ? rangeDates(r, view.tz()) : {}) });
  };
  // Hours only for short ranges (the API caps a series at 1,000 buckets); 24 hours only by hour.
  const disabled = (i: Interval) => (view.range() === "24h" ? i !== "hour" : i === "hour" && (currentRange()?.days ?? 0) > MAX_HOUR_DAYS);
  const zones = () => (TIMEZONES.includes(view.tz()) ? TIMEZONES : [view.tz(), ...TIMEZONES]);
  return (
    <form class="filters" aria-label="Range" onSubmit={(e) => (e.preventDefault(), refresh())}>
      <label>
        Range
        <select name="range" onChange={(e) => chooseRange(e.currentTarget.value as RangeKey)}>
          {RANGE_LABELS.map(([key, label]) => (
            <option value={key} selected={view.range() === key}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <Show when={view.range() === "custom"}>
        <label>
          From
          <input
            type="date"
            name="from"
            value={param("from")}
            aria-invalid={!!rangeError()}
            aria-describedby={rangeError() ? "range-error" : undefined}
            onChange={(e) => setView({ from: e.currentTarget.value })}
          />
        </label>
        <label>
          To
          <input
            type="date"
            name="to"
            value={param("to")}
            aria-invalid={!!rangeError()}
            aria-describedby={rangeError() ? "range-error" : undefined}
            onChange={(e) => setView({ to: e.currentTarget.value })}
          />
        </label>
      </Show>
      <Show when={props.interval}>
        <label>
          Interval
          <select name="interval" onChange={(e) => setView({ interval: e.currentTarget.value })}>
            {INTERVALS.map((i) => (
              <option value={i} selected={interval() === i} disabled={disabled(i)}>
                {INTERVAL_LABELS[i]}
              </option>
            ))}
          </select>
        </label>
      </Show>
      <label>
        Time zone
        <select name="tz" onChange={(e) => setView({ tz: e.currentTarget.value })}>
          {zones().map((tz) => (
            <option value={tz} selected={view.tz() === tz}>
              {tz}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="secondary" title="Reload with the current time">
        Refresh
      </button>
    </form>
  );
}
