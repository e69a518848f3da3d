import { Show } from "solid-js";
import { filters, refresh, setFilters, TIMEZONES, type RangeKey } from "../lib/filters";

/** Date range, timezone and (optionally) interval and traffic filters shared by all pages. */
export function FilterBar(props: { interval?: boolean; traffic?: boolean }) {
  const set = <K extends keyof typeof filters>(key: K, value: (typeof filters)[K]) => {
    setFilters(key, value);
    refresh();
  };
  return (
    <form class="filters" onSubmit={(e) => (e.preventDefault(), refresh())}>
      <label>
        Range
        <select name="range" value={filters.range} onChange={(e) => set("range", e.currentTarget.value as RangeKey)}>
          <option value="24h">Last 24 hours</option>
          <option value="7d">Last 7 days</option>
          <option value="30d">Last 30 days</option>
          <option value="90d">Last 90 days</option>
          <option value="custom">Custom…</option>
        </select>
      </label>
      <Show when={filters.range === "custom"}>
        <label>
          From
          <input type="date" name="from" value={filters.from} onChange={(e) => set("from", e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" name="to" value={filters.to} onChange={(e) => set("to", e.currentTarget.value)} />
        </label>
      </Show>
      <Show when={props.interval}>
        <label>
          Interval
          <select name="interval" value={filters.interval} onChange={(e) => set("interval", e.currentTarget.value as typeof filters.interval)}>
            <option value="hour">Hour</option>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
      </Show>
      <label>
        Timezone
        <select name="tz" value={filters.tz} onChange={(e) => set("tz", e.currentTarget.value)}>
          {TIMEZONES.map((tz) => (
            <option value={tz}>{tz}</option>
          ))}
        </select>
      </label>
      <Show when={props.traffic}>
        <label>
          Channel
          <select name="channel" value={filters.channel} onChange={(e) => set("channel", e.currentTarget.value as typeof filters.channel)}>
            <option value="">All</option>
            <option value="web">Web</option>
            <option value="whatsapp">WhatsApp</option>
          </select>
        </label>
        <label>
          Country
          <input name="country" placeholder="e.g. KE" maxLength={2} size={4} value={filters.country} onChange={(e) => set("country", e.currentTarget.value.trim())} />
        </label>
        <label>
          Device
          <select name="device_type" value={filters.device_type} onChange={(e) => set("device_type", e.currentTarget.value)}>
            <option value="">All</option>
            <option value="desktop">Desktop</option>
            <option value="mobile">Mobile</option>
            <option value="tablet">Tablet</option>
          </select>
        </label>
      </Show>
      <button type="submit" class="secondary" title="Reload with the current time">
        Refresh
      </button>
    </form>
  );
}
