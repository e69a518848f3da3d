import { For, Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { filterKeyOf, filterLabel } from "../../lib/dimensions";
import { num, pct } from "../../lib/format";
import { seriesColor } from "../../lib/theme";
import type { SavedFunnelResult } from "../../lib/types";

/** Dimensions a funnel can be broken down by (the API's names: the entry event's value of each). */
export const BREAKDOWNS = (
  ["country", "device_type", "channel_type", "utm_source", "utm_campaign", "referrer", "browser", "os"] as const
).map((d) => [d, filterLabel(filterKeyOf(d))] as const);

/** The chart draws this many values (the largest); the table lists them all. */
const CHART_VALUES = 7;

/**
 * "Break down by": the saved funnel's conversion per value of a dimension of the entry event, as
 * a chart of each value's conversion from the first step and a table of every step per value.
 */
export function FunnelBreakdown(props: { result: SavedFunnelResult; dimension: string; onDimension: (d: string) => void }) {
  const groups = () => props.result.breakdown ?? [];
  const steps = () => props.result.steps;
  const name = (v: string | null) => v ?? "(none)";
  const data = () => ({
    labels: steps().map((s, i) => `${i + 1}. ${s.event}`),
    datasets: groups()
      .slice(0, CHART_VALUES)
      .map((g, i) => ({
        label: name(g.value),
        data: g.steps.map((s) => (s.conversion_from_first ?? 0) * 100),
        backgroundColor: seriesColor(i),
      })),
  });
  return (
    <div class="funnel-breakdown" data-funnel-breakdown={props.dimension}>
      <div class="card-head">
        <h3>Break down</h3>
        <label>
          Break down by
          <select name="funnel-breakdown" value={props.dimension} onChange={(e) => props.onDimension(e.currentTarget.value)}>
            <option value="">Nothing</option>
            <For each={BREAKDOWNS}>{([d, label]) => <option value={d}>{label}</option>}</For>
          </select>
        </label>
      </div>
      <Show when={props.dimension && groups().length}>
        <ChartView
          type="bar"
          data={data()}
          options={{ scales: { y: { beginAtZero: true, max: 100, ticks: { callback: (v) => `${v}%` } } } }}
          label={`conversion from the first step by ${props.dimension}`}
        />
        <div class="table-wrap">
          <table class="table" data-breakdown-table>
            <thead>
              <tr>
                <th>{filterLabel(filterKeyOf(props.dimension))}</th>
                <For each={steps()}>{(s, i) => <th class="num">{`${i() + 1}. ${s.event}`}</th>}</For>
                <th class="num">Converted</th>
              </tr>
            </thead>
            <tbody>
              <For each={groups()}>
                {(g) => (
                  <tr data-breakdown-value={name(g.value)}>
                    <td>{name(g.value)}</td>
                    <For each={g.steps}>
                      {(s, i) => (
                        <td class="num">
                          {num(s.count)}
                          <Show when={i() > 0}>
                            <span class="muted"> {pct(s.conversion_from_first)}</span>
                          </Show>
                        </td>
                      )}
                    </For>
                    <td class="num" data-breakdown-conversion>
                      {pct(g.steps.at(-1)?.conversion_from_first)}
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
      <Show when={props.dimension && !groups().length}>
        <p class="muted">Nobody entered this funnel in the selected range.</p>
      </Show>
    </div>
  );
}
