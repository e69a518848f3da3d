import { For, Show } from "solid-js";
import { FilterBar } from "../../components/filter-bar";
import { Loaded } from "../../components/loaded";
import { ShowMore } from "../../components/show-more";
import { type Column, figure, Table } from "../../components/table";
import { dateTime, duration, num } from "../../lib/format";
import { param, setView, view } from "../../lib/view-state";
import { ConversationDetail } from "./conversation-detail";
import { FIGURE_FILTERS, loadConversations, RESOLVERS, STATES } from "./conversations.data";

function Filters() {
  const set = (key: string) => (e: Event & { currentTarget: HTMLInputElement | HTMLSelectElement }) =>
    setView({ [key]: e.currentTarget.value.trim() || null, conversation: null });
  return (
    <form class="filters" aria-label="Filter conversations" onSubmit={(e) => e.preventDefault()}>
      <label>
        State
        <select name="state" onChange={set("state")}>
          <option value="">Any</option>
          <For each={STATES}>{(s) => <option selected={param("state") === s}>{s}</option>}</For>
        </select>
      </label>
      <label>
        Resolved by
        <select name="resolved_by" onChange={set("resolved_by")}>
          <option value="">Any</option>
          <For each={RESOLVERS}>{(s) => <option selected={param("resolved_by") === s}>{s}</option>}</For>
        </select>
      </label>
      <label>
        Agent
        <input name="agent" size={12} value={param("agent")} onChange={set("agent")} />
      </label>
      <label>
        Label
        <input name="label" size={12} value={param("label")} onChange={set("label")} />
      </label>
      <FigureFilters />
    </form>
  );
}

/** The filters a clicked figure (Agents page) set, each named and removable. */
function FigureFilters() {
  const shown = () =>
    Object.entries(FIGURE_FILTERS).flatMap(([key, labels]) => {
      const label = (labels as Record<string, string>)[param(key)];
      return label ? [{ key, label }] : [];
    });
  return (
    <For each={shown()}>
      {(f) => (
        <span class="chip" data-figure-filter={f.key}>
          {f.label}
          <button
            type="button"
            class="link"
            aria-label={`Remove the filter ${f.label}`}
            onClick={() => setView({ [f.key]: null, conversation: null })}
          >
            ×
          </button>
        </span>
      )}
    </For>
  );
}

const COLUMNS: Column[] = [
  "Opened",
  "Contact",
  "State",
  "Agent",
  "Resolved by",
  figure("In / out"),
  figure("First response"),
  figure("Resolution"),
];

/** Conversations: the filterable list (cursor pages) and, when one is selected, its metrics and events. */
export default function Conversations() {
  const list = loadConversations();
  return (
    <section class="page" data-page="conversations">
      <header class="page-head">
        <h1>Conversations</h1>
        <FilterBar />
        <Filters />
      </header>
      {/* Keyed: each conversation opened mounts its own detail, which takes focus. */}
      <Show when={param("conversation")} keyed>
        {(_id: string) => <ConversationDetail />}
      </Show>
      <div class="card">
        <Loaded resource={list.first} retry={list.refetch} empty={(p) => !p.items.length} emptyText="No conversation opened in this range.">
          {() => (
            <>
              <Table name="conversations" columns={COLUMNS} rows={list.rows()}>
                {(c) => (
                  <tr data-conversation={c.conversation_id} classList={{ selected: param("conversation") === c.conversation_id }}>
                    <td>
                      <button type="button" class="link" onClick={() => setView({ conversation: c.conversation_id })}>
                        {c.opened_at ? dateTime(c.opened_at, view.tz()) : "—"}
                      </button>
                    </td>
                    <td>{c.external_id ?? "—"}</td>
                    <td>{c.state}</td>
                    <td>{c.agent_id ?? "—"}</td>
                    <td>{c.resolved_by ?? "—"}</td>
                    <td class="num">
                      {num(c.messages_in)} / {num(c.messages_out)}
                    </td>
                    <td class="num">{duration(c.first_response_s)}</td>
                    <td class="num">{duration(c.resolution_time_s)}</td>
                  </tr>
                )}
              </Table>
              <ShowMore list={list} />
            </>
          )}
        </Loaded>
      </div>
    </section>
  );
}
