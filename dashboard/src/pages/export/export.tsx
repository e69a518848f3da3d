import { createSignal, For, Show } from "solid-js";
import { FilterBar } from "../../components/filter-bar";
import { ErrorState } from "../../components/loaded";
import { download, type Params } from "../../lib/api";
import { rangeQuery, trafficQuery } from "../../lib/view-state";
import { loadFunnels } from "../funnels/funnels.data";

/** CSV exports of the selected range (the API needs the Bearer token, so downloads go through fetch). */
export default function Export() {
  const [funnels] = loadFunnels();
  const [funnelId, setFunnelId] = createSignal("");
  const [busy, setBusy] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const get = async (name: string, path: string, params: Params | false) => {
    // An invalid range is reported by the filter bar; the buttons are disabled meanwhile.
    if (!params) return;
    setBusy(name);
    setError(undefined);
    try {
      await download(path, params, `${name}-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy("");
    }
  };
  return (
    <section class="page" data-page="export">
      <header class="page-head">
        <h1>Export</h1>
        <FilterBar traffic />
      </header>
      <Show when={error()}>
        <ErrorState error={error()} />
      </Show>
      <div class="grid-3">
        <div class="card">
          <h2>Events</h2>
          <p class="muted">Every event of both channels in the range, with the filters above.</p>
          <button type="button" disabled={!!busy() || !rangeQuery()} onClick={() => get("events", "/export/events.csv", trafficQuery())}>
            {busy() === "events" ? "Preparing…" : "Download events.csv"}
          </button>
        </div>
        <div class="card">
          <h2>Conversations</h2>
          <p class="muted">One row per WhatsApp conversation with its timings.</p>
          <button
            type="button"
            disabled={!!busy() || !rangeQuery()}
            onClick={() => get("conversations", "/export/conversations.csv", rangeQuery())}
          >
            {busy() === "conversations" ? "Preparing…" : "Download conversations.csv"}
          </button>
        </div>
        <div class="card">
          <h2>Funnel</h2>
          <div class="row">
            <label>
              Funnel
              <select value={funnelId()} onChange={(e) => setFunnelId(e.currentTarget.value)}>
                <option value="">Choose…</option>
                <For each={funnels.state === "ready" ? funnels() : []}>{(f) => <option value={f.id}>{f.name}</option>}</For>
              </select>
            </label>
            <button
              type="button"
              disabled={!!busy() || !funnelId() || !rangeQuery()}
              onClick={() => get("funnel", "/export/funnel.csv", rangeQuery() && { ...trafficQuery(), funnel_id: funnelId() })}
            >
              {busy() === "funnel" ? "Preparing…" : "Download funnel.csv"}
            </button>
          </div>
        </div>
      </div>
    </section>
  );
}
