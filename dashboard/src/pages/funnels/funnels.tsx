import { createEffect, createSignal, createUniqueId, Show } from "solid-js";
import { FilterBar } from "../../components/filter-bar";
import { ErrorState, Loaded } from "../../components/loaded";
import { Tabs } from "../../components/tabs";
import { download } from "../../lib/api";
import { param, setView, trafficQuery } from "../../lib/view-state";
import { FunnelBuilder } from "./funnel-builder";
import { FunnelResult } from "./funnel-result";
import { deleteFunnel, duplicateFunnel, loadEventNames, loadFunnel, loadFunnels } from "./funnels.data";
import { readOnly } from "../../lib/session";

/** Funnels: saved funnels (web, WhatsApp and cross-channel) and an ad-hoc builder. The chosen funnel is `funnel=` in the URL. */
export default function Funnels() {
  const [funnels, { refetch: refetchList }] = loadFunnels();
  const selected = () => param("funnel") || undefined;
  const select = (id: string, replace = false) => setView({ funnel: id }, replace);
  const [result, { refetch }] = loadFunnel(selected);
  const [eventNames] = loadEventNames();
  const [exportError, setExportError] = createSignal<unknown>();
  const [editing, setEditing] = createSignal(false);
  const selectedFunnel = () => funnels.latest?.find((f) => f.id === selected());
  const act = (action: () => Promise<unknown>) => {
    setExportError(undefined);
    action().catch(setExportError);
  };
  const duplicate = () =>
    act(async () => {
      const copy = await duplicateFunnel(selected()!, `${selectedFunnel()?.name ?? "Funnel"} (copy)`);
      await refetchList();
      select(copy.id);
    });
  const remove = () =>
    act(async () => {
      if (!confirm(`Delete the funnel “${selectedFunnel()?.name}”?`)) return;
      await deleteFunnel(selected()!);
      setEditing(false);
      setView({ funnel: null, drill: null, step: null }, true);
      await refetchList();
    });
  // After Save the list and the shown result are read again, never an answer from before the change.
  const onSaved = async (id?: string) => {
    setEditing(false);
    await refetchList();
    if (id && id === selected()) refetch();
    else if (id) select(id);
  };
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
                <div class="row">
                  <Show when={!readOnly()}>
                    <button type="button" class="secondary" onClick={() => setEditing(true)} disabled={!selectedFunnel()}>
                      Edit
                    </button>
                    <button type="button" class="secondary" onClick={duplicate} disabled={!selected()}>
                      Duplicate
                    </button>
                    <button type="button" class="secondary danger" onClick={remove} disabled={!selected()}>
                      Delete
                    </button>
                  </Show>
                  <button type="button" class="secondary" onClick={exportCsv} disabled={!selected() || !trafficQuery()}>
                    Export CSV
                  </button>
                </div>
              </div>
              <Show when={exportError()}>
                <ErrorState error={exportError()} />
              </Show>
              <div id={panel} role="tabpanel" data-funnel-result style={{ "margin-top": "12px" }}>
                <Loaded resource={result} retry={refetch}>
                  {(r) => <FunnelResult result={r} seen={eventNames.state === "ready" ? eventNames() : undefined} />}
                </Loaded>
              </div>
            </>
          )}
        </Loaded>
      </div>
      <FunnelBuilder onSaved={onSaved} editing={editing() ? selectedFunnel() : undefined} onCancel={() => setEditing(false)} />
    </section>
  );
}
