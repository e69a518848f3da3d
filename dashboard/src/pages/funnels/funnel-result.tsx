import { For, Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { Empty } from "../../components/loaded";
import { duration, num, pct } from "../../lib/format";
import { cssVar, seriesColor } from "../../lib/theme";
import type { FunnelResult as Result, FunnelStepDef, SavedFunnelResult } from "../../lib/types";

type Step = Result["steps"][number];
const label = (s: Step, i: number, def?: FunnelStepDef) =>
  `${i + 1}. ${s.event}${def?.path ? ` ${def.path}` : ""}${s.channel ? ` (${s.channel})` : ""}`;

/** Bars per step (converted vs dropped) and a table of conversion, drop-off and time to convert. */
/** An ad-hoc query answers steps only; a saved funnel also its definition (for step labels). */
export function FunnelResult(props: { result: Result | SavedFunnelResult }) {
  const steps = () => props.result.steps;
  const defs = (): FunnelStepDef[] => ("funnel" in props.result ? props.result.funnel.steps : []);
  const data = () => ({
    labels: steps().map((s, i) => label(s, i, defs()[i])),
    datasets: [
      { label: "Converted", data: steps().map((s) => s.count), backgroundColor: seriesColor(0), stack: "s" },
      { label: "Dropped off", data: steps().map((s) => s.drop_off), backgroundColor: cssVar("--brand-soft"), stack: "s" },
    ],
  });
  return (
    <Show when={steps().length && steps()[0].count > 0} fallback={<Empty>Nobody entered this funnel in the selected range.</Empty>}>
      <ChartView
        type="bar"
        data={data()}
        options={{ scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true } } }}
        label="funnel steps"
      />
      <div class="table-wrap">
        <table class="table funnel-table">
          <thead>
            <tr>
              <th>Step</th>
              <th class="num">People</th>
              <th class="num">From first</th>
              <th class="num">From previous</th>
              <th class="num">Drop-off</th>
              <th class="num">Median time to convert</th>
            </tr>
          </thead>
          <tbody>
            <For each={steps()}>
              {(s, i) => (
                <tr data-step={s.event}>
                  <td>{label(s, i(), defs()[i()])}</td>
                  <td class="num" data-count>
                    {num(s.count)}
                  </td>
                  <td class="num">{pct(s.conversion_from_first)}</td>
                  <td class="num">{i() === 0 ? "—" : pct(s.conversion_from_previous)}</td>
                  <td class="num">{i() === 0 ? "—" : `${num(s.drop_off)} (${pct(1 - (s.conversion_from_previous ?? 0))})`}</td>
                  <td class="num">{i() === 0 ? "—" : duration(s.median_seconds_to_convert)}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </Show>
  );
}
