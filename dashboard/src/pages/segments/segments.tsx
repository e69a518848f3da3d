import { createEffect, createResource, createSignal, on, Show } from "solid-js";
import { ItemRow } from "../../components/item-row";
import { ActionError, Loaded } from "../../components/loaded";
import { RemovableList } from "../../components/removable-list";
import { StatCard } from "../../components/stat-card";
import { figure, LoadedTable, Table } from "../../components/table";
import { access, canWrite } from "../../lib/access";
import { createAction } from "../../lib/action";
import { download } from "../../lib/api";
import type { SegmentCondition, SegmentDefinition } from "../../lib/engage-types";
import { dateTime, num } from "../../lib/format";
import { param, setView, view, viewHref } from "../../lib/view-state";
import { ConditionForm } from "./condition-form";
import { describe } from "./conditions";
import { deleteSegment, loadSegments, previewDefinition, saveSegment } from "./segments.data";

/** Segments: build a definition, preview its members, save it, export it (`segment=` selects one). */
export default function Segments() {
  const [segments, { refetch }] = loadSegments();
  const [name, setName] = createSignal("");
  const [match, setMatch] = createSignal<"all" | "any">("all");
  const [conditions, setConditions] = createSignal<SegmentCondition[]>([]);
  const [asked, setAsked] = createSignal<SegmentDefinition>();
  const [preview, previewActions] = createResource(asked, previewDefinition);
  const { error, run: act } = createAction();
  const selected = () => segments.latest?.segments.find((s) => s.id === param("segment"));
  const definition = (): SegmentDefinition => ({ match: match(), conditions: conditions() });

  // Opening a saved segment (from the list or a shared URL) loads it into the builder and previews it.
  createEffect(
    on(selected, (s) => {
      if (!s) return;
      setName(s.name);
      setMatch(s.definition.match);
      setConditions(s.definition.conditions);
      setAsked(s.definition);
    }),
  );
  const save = () =>
    act(async () => {
      const s = await saveSegment(name().trim() || "Untitled segment", definition(), param("segment") || undefined);
      await refetch();
      setView({ segment: s.id });
    });
  const remove = (id: string) =>
    act(async () => (await deleteSegment(id), param("segment") === id && setView({ segment: null }), refetch()));
  const reset = () => (setView({ segment: null }), setName(""), setConditions([]), setAsked(undefined));

  return (
    <section class="page" data-page="segments" data-access={access()}>
      <header class="page-head">
        <h1>Segments</h1>
      </header>
      <div class="card" data-panel="builder">
        <div class="card-head">
          <h2>{selected() ? `Edit “${selected()!.name}”` : "New segment"}</h2>
          <Show when={param("segment")}>
            <button type="button" class="link" onClick={reset}>
              New segment
            </button>
          </Show>
        </div>
        <div class="filters start">
          <label>
            Name
            <input name="segment-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label>
            Match
            <select name="segment-match" onChange={(e) => setMatch(e.currentTarget.value as "all")}>
              <option value="all" selected={match() === "all"}>
                every condition
              </option>
              <option value="any" selected={match() === "any"}>
                any condition
              </option>
            </select>
          </label>
        </div>
        <RemovableList name="conditions" items={conditions()} text={describe} set={setConditions} />
        <ConditionForm onAdd={(c) => setConditions([...conditions(), c])} />
        <div class="actions">
          <button type="button" data-preview disabled={!conditions().length} onClick={() => setAsked(definition())}>
            Preview
          </button>
          <Show when={canWrite()}>
            <button type="button" class="secondary" data-save disabled={!conditions().length} onClick={save}>
              {param("segment") ? "Save changes" : "Save segment"}
            </button>
          </Show>
        </div>
        <ActionError error={error()} />
      </div>
      <div class="card" data-panel="preview">
        <div class="card-head">
          <h2>Preview</h2>
          <Show when={asked()}>
            <button type="button" class="link" onClick={() => previewActions.refetch()}>
              Refresh
            </button>
          </Show>
        </div>
        <Show when={asked()} fallback={<p class="muted">Add conditions and press Preview.</p>}>
          <Loaded resource={preview} retry={previewActions.refetch}>
            {(p) => (
              <>
                <div class="stats">
                  <StatCard id="segment_count" label="People" value={num(p.count)} />
                </div>
                <Table name="sample" columns={["Person", "WhatsApp", "Last seen"]} rows={p.sample}>
                  {(m) => (
                    <tr data-person={m.person_id}>
                      <td>
                        <Show when={m.whatsapp} fallback={m.name ?? m.person_id}>
                          <a href={viewHref("people", { external_id: m.whatsapp! })}>{m.name ?? m.whatsapp}</a>
                        </Show>
                      </td>
                      <td>{m.whatsapp ?? "—"}</td>
                      <td>{m.last_seen_at ? dateTime(m.last_seen_at, view.tz()) : "—"}</td>
                    </tr>
                  )}
                </Table>
              </>
            )}
          </Loaded>
        </Show>
      </div>
      <div class="card" data-panel="segments">
        <h2>Saved segments</h2>
        <LoadedTable
          resource={segments}
          retry={refetch}
          emptyText="No segments yet."
          name="segments"
          columns={["Name", figure("Conditions"), "Updated", "Members"]}
          rows={(s) => s.segments}
        >
          {(seg) => (
            <ItemRow
              item="segment"
              id={seg.id}
              name={seg.name}
              actions={
                <button
                  type="button"
                  class="link"
                  onClick={() => act(() => download(`/segments/${seg.id}/members.csv`, {}, `${seg.name}.csv`))}
                >
                  Export CSV
                </button>
              }
              write={
                <button type="button" class="link" onClick={() => remove(seg.id)}>
                  Delete
                </button>
              }
            >
              <td class="num">{seg.definition.conditions.length}</td>
              <td>{dateTime(seg.updated_at, view.tz())}</td>
            </ItemRow>
          )}
        </LoadedTable>
      </div>
    </section>
  );
}
