import { createSignal, For, Index, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { ErrorState } from "../../components/loaded";
import type { FunnelResult as Result, FunnelStepDef } from "../../lib/types";
import { FunnelResult } from "./funnel-result";
import { loadEventNames, queryFunnel, saveFunnel } from "./funnels.data";

const WINDOWS: [seconds: number, label: string][] = [
  [3600, "1 hour"],
  [86_400, "1 day"],
  [7 * 86_400, "7 days"],
  [30 * 86_400, "30 days"],
];

type Row = { event: string; channel: "" | "web" | "whatsapp"; where: string };

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

/** Ad-hoc funnel: pick events (and optionally channel and property filters), run, save. */
export function FunnelBuilder(props: { onSaved: (id?: string) => void }) {
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
  const onRun = (e: SubmitEvent) => (e.preventDefault(), run(async () => void setResult(await queryFunnel(definition()))));
  const onSave = () =>
    run(async () => {
      const saved = await saveFunnel(name().trim() || "Untitled funnel", definition());
      props.onSaved(saved.id);
    });

  return (
    <form class="card" onSubmit={onRun} aria-label="Funnel builder">
      <h2>Build a funnel</h2>
      <datalist id="event-names">
        <For each={eventNames.state === "ready" ? eventNames() : []}>{(n) => <option value={n} />}</For>
      </datalist>
      <div class="steps-editor">
        <Index each={rows}>
          {(row, i) => (
            <div class="step-row">
              <label>
                Step {i + 1} event
                <input
                  name={`step-${i}`}
                  list="event-names"
                  value={row().event}
                  onInput={(e) => setRows(i, "event", e.currentTarget.value)}
                />
              </label>
              <label>
                Channel
                <select value={row().channel} onChange={(e) => setRows(i, "channel", e.currentTarget.value as Row["channel"])}>
                  <option value="">Any</option>
                  <option value="web">Web</option>
                  <option value="whatsapp">WhatsApp</option>
                </select>
              </label>
              <label>
                Where (path=…, key=value, …)
                <input value={row().where} placeholder="journey=MRI" onInput={(e) => setRows(i, "where", e.currentTarget.value)} />
              </label>
              <Show when={rows.length > 2}>
                <button
                  type="button"
                  class="secondary"
                  aria-label={`remove step ${i + 1}`}
                  onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
                >
                  ✕
                </button>
              </Show>
            </div>
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
        <label>
          Name
          <input value={name()} placeholder="My funnel" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <button type="button" class="secondary" disabled={busy()} onClick={onSave}>
          Save
        </button>
      </div>
      <Show when={error()}>
        <ErrorState error={error()} />
      </Show>
      <Show when={result()}>
        {(r) => (
          <div style={{ "margin-top": "16px" }}>
            <FunnelResult result={r()} />
          </div>
        )}
      </Show>
    </form>
  );
}
