import { createEffect, createSignal, For, Index, on, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { setAdhocFunnel } from "../../components/drill/drill";
import { ErrorState } from "../../components/loaded";
import { canWrite } from "../../lib/access";
import type { FunnelResult as Result, FunnelStepDef, SavedFunnel } from "../../lib/types";
import { FunnelResult, stepFilters } from "./funnel-result";
import { StepRow, type Row } from "./step-row";
import { loadEventNames, queryFunnel, saveFunnel } from "./funnels.data";

const WINDOWS: [seconds: number, label: string][] = [
  [3600, "1 hour"],
  [86_400, "1 day"],
  [7 * 86_400, "7 days"],
  [30 * 86_400, "30 days"],
];

/** `journey=MRI, path=/returns/mri` → `{path: "/returns/mri", where: {journey: "MRI"}}`. */
function parseWhere(text: string): Pick<FunnelStepDef, "path" | "where"> {
  const pairs = text
    .split(",")
    .map((p) => p.split("=").map((s) => s.trim()))
    .filter(([k, v]) => k && v !== undefined);
  const path = pairs.find(([k]) => k === "path")?.[1];
  const where = pairs.filter(([k]) => k !== "path");
  return { ...(path ? { path } : {}), ...(where.length ? { where: Object.fromEntries(where) } : {}) };
}

const rowOf = (d: FunnelStepDef): Row => ({ event: d.event, channel: d.channel ?? "", where: stepFilters(d) });

/**
 * Ad-hoc funnel: pick events (and optionally channel and property filters), run, save. With
 * `editing`, the builder holds that saved funnel and Save overwrites it.
 */
export function FunnelBuilder(props: { onSaved: (id?: string) => void; editing?: SavedFunnel; onCancel?: () => void }) {
  const [rows, setRows] = createStore<Row[]>([
    { event: "page_view", channel: "web", where: "path=/returns/nil" },
    { event: "return_started", channel: "", where: "journey=NIL" },
    { event: "return_submitted", channel: "", where: "journey=NIL" },
  ]);
  const [windowSeconds, setWindowSeconds] = createSignal(7 * 86_400);
  const [name, setName] = createSignal("");
  const [result, setResult] = createSignal<Result>();
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [eventNames] = loadEventNames();
  let form: HTMLFormElement | undefined;
  createEffect(
    on(
      () => props.editing,
      (f) => {
        if (!f) return;
        setRows(f.steps.map(rowOf));
        setWindowSeconds(f.window);
        setName(f.name);
        setResult(undefined);
        form?.scrollIntoView({ block: "start" });
        form?.querySelector<HTMLElement>("h2")?.focus();
      },
    ),
  );

  const definition = () => ({
    window: windowSeconds(),
    steps: rows
      .filter((r) => r.event.trim())
      .map((r): FunnelStepDef => ({ event: r.event.trim(), ...(r.channel ? { channel: r.channel } : {}), ...parseWhere(r.where) })),
  });
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const onRun = (e: SubmitEvent) => (
    e.preventDefault(),
    run(async () => {
      const q = definition();
      setResult(await queryFunnel(q));
      setAdhocFunnel(q);
    })
  );
  const onSave = () =>
    run(async () => {
      const saved = await saveFunnel(name().trim() || "Untitled funnel", definition(), props.editing?.id);
      props.onSaved(saved.id);
    });

  return (
    <form class="card" onSubmit={onRun} aria-label="Funnel builder" ref={form}>
      <h2 tabIndex={-1}>{props.editing ? `Edit “${props.editing.name}”` : "Build a funnel"}</h2>
      <datalist id="event-names">
        <For each={eventNames.state === "ready" ? eventNames() : []}>{(n) => <option value={n} />}</For>
      </datalist>
      <div class="steps-editor">
        <Index each={rows}>
          {(row, i) => (
            <StepRow
              index={i}
              row={row()}
              seen={eventNames.state === "ready" ? eventNames() : undefined}
              removable={rows.length > 2}
              onChange={(patch) => setRows(i, patch)}
              onRemove={() => setRows((r) => r.filter((_, j) => j !== i))}
            />
          )}
        </Index>
      </div>
      <div class="row" style={{ "margin-top": "12px" }}>
        <button
          type="button"
          class="secondary"
          onClick={() => setRows(rows.length, { event: "", channel: "", where: "" })}
          disabled={rows.length >= 10}
        >
          + Step
        </button>
        <label>
          Conversion window
          <select value={windowSeconds()} onChange={(e) => setWindowSeconds(Number(e.currentTarget.value))}>
            <For each={WINDOWS}>{([s, l]) => <option value={s}>{l}</option>}</For>
          </select>
        </label>
        <button type="submit" disabled={busy()}>
          Run
        </button>
        <Show when={canWrite()}>
          <label>
            Name
            <input name="funnel-name" value={name()} placeholder="My funnel" onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <button type="button" class="secondary" disabled={busy()} onClick={onSave}>
            {props.editing ? "Save changes" : "Save"}
          </button>
          <Show when={props.editing}>
            <button type="button" class="link" onClick={() => props.onCancel?.()}>
              Cancel editing
            </button>
          </Show>
        </Show>
      </div>
      <Show when={error()}>
        <ErrorState error={error()} />
      </Show>
      <Show when={result()}>
        {(r) => (
          <div style={{ "margin-top": "16px" }}>
            <FunnelResult result={r()} seen={eventNames.state === "ready" ? eventNames() : undefined} adhoc />
          </div>
        )}
      </Show>
    </form>
  );
}
