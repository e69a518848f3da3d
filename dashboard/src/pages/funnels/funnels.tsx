import { createEffect, createSignal, createUniqueId, Show } from "solid-js";
import { FilterBar } from "../../components/filter-bar";
import { ErrorState, Loaded } from "../../components/loaded";
import { Tabs } from "../../components/tabs";
import { download } from "../../lib/api";
import { param, setView, trafficQuery } from "../../lib/view-state";
import { FunnelBuilder } from "./funnel-builder";
import { FunnelResult } from "./funnel-result";
import { loadFunnel, loadFunnels } from "./funnels.data";

/** Funnels: saved funnels (web, WhatsApp and cross-channel) and an ad-hoc builder. The chosen funnel is `funnel=` in the URL. */
export default function Funnels() {
  const [funnels, { refetch: refetchList }] = loadFunnels();
  const selected = () => param("funnel") || undefined;
  const select = (id: string, replace = false) => setView({ funnel: id }, replace);
  const [result, { refetch }] = loadFunnel(selected);
  const [exportError, setExportError] = createSignal<unknown>();
  const panel = createUniqueId();
  // No funnel in the URL: show the first, without adding a history entry for a choice nobody made.
  createEffect(() => {
    if (!selected() && funnels.state === "ready" && funnels()?.length) select(funnels()![0].id, true);
  });
  const exportCsv = () => {
    setExportError(undefined);
    const q = trafficQuery();
    if (q) download("/export/funnel.csv", { ...q, funnel_id: selected() }, `funnel-${selected()}.csv`).catch(setExportError);
  };
  return (
    <section class="page" data-page="funnels">
      <header class="page-head">
        <h1>Funnels</h1>
        <FilterBar traffic />
      </header>
      <div class="card">
        <Loaded
          resource={funnels}
          retry={refetchList}
          empty={(list) => !list.length}
          emptyText="No saved funnels yet: build one below and save it."
        >
          {(list) => (
            <>
              <div class="card-head">
                <Tabs
                  label="Saved funnels"
                  items={list.map((f) => [f.id, f.name] as const)}
                  selected={selected()}
                  onSelect={(id) => select(id)}
                  panel={panel}
                />
                <button type="button" class="secondary" onClick={exportCsv} disabled={!selected() || !trafficQuery()}>
                  Export CSV
                </button>
              </div>
              <Show when={exportError()}>
                <ErrorState error={exportError()} />
              </Show>
              <div id={panel} role="tabpanel" data-funnel-result style={{ "margin-top": "12px" }}>
                <Loaded resource={result} retry={refetch}>
                  {(r) => <FunnelResult result={r} />}
                </Loaded>
              </div>
            </>
          )}
        </Loaded>
      </div>
      <FunnelBuilder onSaved={(id) => (refetchList(), id && select(id))} />
    </section>
  );
}
