import { createEffect, createSignal, createUniqueId, Show } from "solid-js";
import { FilterBar } from "../../components/filter-bar";
import { ErrorState, Loaded } from "../../components/loaded";
import { Tabs } from "../../components/tabs";
import { download } from "../../lib/api";
import { param, setView, trafficQuery } from "../../lib/view-state";
import { FunnelBuilder } from "./funnel-builder";
import { FunnelResult } from "./funnel-result";
import { deleteFunnel, duplicateFunnel, loadEventNames, loadFunnel, loadFunnels } from "./funnels.data";
import { access, canWrite } from "../../lib/access";
import { BREAKDOWNS, FunnelBreakdown } from "./funnel-breakdown";

/** Funnels: saved funnels (web, WhatsApp and cross-channel) and an ad-hoc builder. The chosen funnel is `funnel=` in the URL. */
export default function Funnels() {
  const [funnels, { refetch: refetchList }] = loadFunnels();
  const selected = () => param("funnel") || undefined;
  const select = (id: string, replace = false) => setView({ funnel: id }, replace);
  // `breakdown=` (a dimension) splits the result by the entry event's value of it.
  const breakdown = () => (BREAKDOWNS.some(([d]) => d === param("breakdown")) ? param("breakdown") : "");
  const [result, { refetch }] = loadFunnel(selected, breakdown);
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
      // The list as it is now, then its first funnel: the URL never names the deleted one.
      await refetchList();
      setView({ funnel: funnels()?.[0]?.id ?? null, drill: null, step: null }, true);
    });
  // After Save the list and the shown result are read again, never an answer from before the change.
  const onSaved = async (id?: string) => {
    setEditing(false);
    await refetchList();
    if (id && id === selected()) refetch();
    else if (id) select(id);
  };
  const panel = createUniqueId();
  // No funnel in the URL, or one that no longer exists (deleted elsewhere, an old link): show the
  // first, without adding a history entry for a choice nobody made.
  createEffect(() => {
    const list = funnels.state === "ready" ? funnels() : undefined;
    if (!list || list.some((f) => f.id === selected())) return;
    if (list.length || selected()) setView({ funnel: list[0]?.id ?? null, drill: null, step: null }, true);
  });
  const exportCsv = () => {
    setExportError(undefined);
    const q = trafficQuery();
    if (q) download("/export/funnel.csv", { ...q, funnel_id: selected() }, `funnel-${selected()}.csv`).catch(setExportError);
  };
  return (
    <section class="page" data-page="funnels" data-access={access()}>
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
                  <Show when={canWrite()}>
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
                  {(r) => (
                    <>
                      <FunnelResult result={r} seen={eventNames.state === "ready" ? eventNames() : undefined} />
                      <FunnelBreakdown
                        result={r}
                        dimension={breakdown() || r.funnel.breakdown || ""}
                        onDimension={(d) => setView({ breakdown: d || null })}
                      />
                    </>
                  )}
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
