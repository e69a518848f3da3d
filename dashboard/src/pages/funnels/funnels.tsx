import { createEffect, createSignal, For, Show } from "solid-js";
import { FilterBar } from "../../components/filter-bar";
import { ErrorState, Loaded } from "../../components/loaded";
import { download } from "../../lib/api";
import { rangeParams } from "../../lib/filters";
import { FunnelBuilder } from "./funnel-builder";
import { FunnelResult } from "./funnel-result";
import { loadFunnel, loadFunnels } from "./funnels.data";

/** Funnels: saved funnels (web, WhatsApp and cross-channel) and an ad-hoc builder. */
export default function Funnels() {
  const [funnels, { refetch: refetchList }] = loadFunnels();
  const [selected, setSelected] = createSignal<string>();
  const [result, { refetch }] = loadFunnel(selected);
  const [exportError, setExportError] = createSignal<unknown>();
  createEffect(() => {
    if (!selected() && funnels.state === "ready" && funnels()?.length) setSelected(funnels()![0].id);
  });
  const exportCsv = () => {
    setExportError(undefined);
    const { from, to } = rangeParams();
    download("/export/funnel.csv", { funnel_id: selected(), from, to }, `funnel-${selected()}.csv`).catch(setExportError);
  };
  return (
    <section class="page" data-page="funnels">
      <header class="page-head">
        <h1>Funnels</h1>
        <FilterBar />
      </header>
      <div class="card">
        <Loaded resource={funnels} retry={refetchList} empty={(list) => !list.length} emptyText="No saved funnels yet: build one below and save it.">
          {(list) => (
            <>
              <div class="card-head">
                <div class="tabs" role="tablist" aria-label="Saved funnels">
                  <For each={list}>
                    {(f) => (
                      <button role="tab" aria-selected={selected() === f.id} class={selected() === f.id ? "tab active" : "tab"} onClick={() => setSelected(f.id)}>
                        {f.name}
                      </button>
                    )}
                  </For>
                </div>
                <button class="secondary" onClick={exportCsv} disabled={!selected()}>
                  Export CSV
                </button>
              </div>
              <Show when={exportError()}>
                <ErrorState error={exportError()} />
              </Show>
              <div data-funnel-result style={{ "margin-top": "12px" }}>
                <Loaded resource={result} retry={refetch}>
                  {(r) => <FunnelResult result={r} />}
                </Loaded>
              </div>
            </>
          )}
        </Loaded>
      </div>
      <FunnelBuilder onSaved={(id) => (refetchList(), id && setSelected(id))} />
    </section>
  );
}
