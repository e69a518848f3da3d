import { For, Show } from "solid-js";
import { ChartView } from "../../components/chart";
import { openDrill } from "../../components/drill/drill";
import { closestName } from "./funnels.data";
import { Empty } from "../../components/loaded";
import { duration, num, pct } from "../../lib/format";
import { cssVar, seriesColor } from "../../lib/theme";
import type { FunnelResult as Result, FunnelStepDef, SavedFunnelResult } from "../../lib/types";

type Step = Result["steps"][number];

/** "path=/returns/mri, journey=MRI": what a step matches besides its event name. */
export function stepFilters(def?: FunnelStepDef): string {
  if (!def) return "";
  return [...(def.path ? [`path=${def.path}`] : []), ...Object.entries(def.where ?? {}).map(([k, v]) => `${k}=${v}`)].join(", ");
}

const label = (s: Step, i: number, def?: FunnelStepDef) =>
  `${i + 1}. ${s.event}${stepFilters(def) ? ` [${stepFilters(def)}]` : ""}${s.channel ? ` (${s.channel})` : ""}`;

/** A step's count (or drop-off) as a button listing those people, for a saved funnel. */
function StepNumber(props: { saved: boolean; adhoc?: boolean; step: number; figure: "converted" | "dropped"; n: number; text: string }) {
  return (
    <Show when={props.saved && props.n > 0} fallback={props.text}>
      <button
        type="button"
        class="link drill-number"
        data-drill-step={`${props.step}-${props.figure}`}
        title={props.figure === "converted" ? "List the people who reached this step" : "List the people lost before this step"}
        onClick={() => openDrill({ figure: props.figure, step: props.step, adhoc: props.adhoc })}
      >
        {props.text}
      </button>
    </Show>
  );
}

/** Bars per step (converted vs dropped) and a table of conversion, drop-off and time to convert. */
/** An ad-hoc query answers steps only; a saved funnel also its definition (for step labels). */
/** A funnel's result; with `seen` (the range's event names), a hint for each step naming an event never seen. */
export function FunnelResult(props: { result: Result | SavedFunnelResult; seen?: string[]; adhoc?: boolean }) {
  const steps = () => props.result.steps;
  // A step named after an event the range never saw counts nobody: say so rather than show zeros.
  // Zero counts only: the names are the range's top 100, a rarer event may be missing from them.
  const unseen = () => (props.seen?.length ? steps().filter((s) => s.count === 0 && !props.seen!.includes(s.event)) : []);
  return (
    <>
      <For each={unseen()}>
        {(s) => (
          <p class="step-hint" role="status" data-step-hint>
            No “{s.event}” events in this range, so that step counts nobody.
            <Show when={closestName(s.event, props.seen ?? [])}>{(name) => <> Did you mean “{name()}”?</>}</Show>
          </p>
        )}
      </For>
      <FunnelSteps result={props.result} adhoc={props.adhoc} />
    </>
  );
}

function FunnelSteps(props: { result: Result | SavedFunnelResult; adhoc?: boolean }) {
  const steps = () => props.result.steps;
  const defs = (): FunnelStepDef[] => ("funnel" in props.result ? props.result.funnel.steps : []);
  // People lists: a saved funnel's (the URL names it) or the builder's last run (`adhoc`).
  const saved = () => "funnel" in props.result || !!props.adhoc;
  const onPoint = (index: number, dataset: number) =>
    saved() &&
    (dataset === 0 || index > 0) &&
    openDrill({ figure: dataset === 0 ? "converted" : "dropped", step: index + 1, adhoc: props.adhoc });
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
        onPoint={onPoint}
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
                    <StepNumber saved={saved()} adhoc={props.adhoc} step={i() + 1} figure="converted" n={s.count} text={num(s.count)} />
                  </td>
                  <td class="num">{pct(s.conversion_from_first)}</td>
                  <td class="num">{i() === 0 ? "—" : pct(s.conversion_from_previous)}</td>
                  <td class="num" data-drop-off>
                    {i() === 0 ? (
                      "—"
                    ) : (
                      <StepNumber
                        saved={saved()}
                        adhoc={props.adhoc}
                        step={i() + 1}
                        figure="dropped"
                        n={s.drop_off}
                        text={`${num(s.drop_off)} (${pct(1 - (s.conversion_from_previous ?? 0))})`}
                      />
                    )}
                  </td>
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
