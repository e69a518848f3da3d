import { createEffect, createSignal, For, Show } from "solid-js";
import { Empty, Loaded } from "../../components/loaded";
import { FilterBar } from "../../components/filter-bar";
import { goTo, page, setView } from "../../lib/view-state";
import { plural } from "../../lib/format";
import type { Timeline as TimelineData } from "../../lib/types";
import { EventList } from "./event-list";
import { PeopleList } from "./people-list";
import {
  conversationId,
  ID_KINDS,
  loadIdSuggestions,
  loadPeople,
  loadTimeline,
  searchedId,
  settledText,
  type IdKind,
} from "./timeline.data";

const LABELS: Record<IdKind, string> = { anonymous_id: "Anonymous id", external_id: "Phone or BSUID", user_id: "User id" };

function LinkedIds(props: { person: TimelineData["person"] }) {
  const ids = () => ID_KINDS.flatMap((kind) => props.person[`${kind}s` as const].map((value) => ({ kind, value })));
  return (
    <div class="chips" data-linked-ids>
      <For each={ids()}>
        {(id) => (
          <button type="button" class="chip" title={LABELS[id.kind]} onClick={() => goTo(page(), { [id.kind]: id.value })}>
            <span class="muted">{id.kind === "external_id" ? "phone" : id.kind === "user_id" ? "user" : "web"} </span>
            {id.value}
          </button>
        )}
      </For>
    </div>
  );
}

/** The person's events, or only those of the conversation in the URL. */
const shown = (t: TimelineData) => (conversationId() ? t.events.filter((e) => e.conversation_id === conversationId()) : t.events);

/** People: the view's visitors, a search by any id, and a person's linked ids and events of both channels in time order. */
export default function Timeline() {
  const [kind, setKind] = createSignal<IdKind>(searchedId()?.kind ?? "anonymous_id");
  const [value, setValue] = createSignal(searchedId()?.value ?? "");
  const [timeline, { refetch }] = loadTimeline();
  const people = loadPeople();
  // Asked once typing pauses, not on every keystroke (answers to older text are dropped).
  const [suggestions] = loadIdSuggestions(kind, settledText(value));
  // Following a linked id changes the URL: keep the search form in step with it.
  createEffect(() => {
    const id = searchedId();
    if (id) setKind(id.kind), setValue(id.value);
  });
  const submit = (e: SubmitEvent) => (e.preventDefault(), value().trim() && goTo(page(), { [kind()]: value().trim() }));
  return (
    <section class="page" data-page={page()}>
      <header class="page-head">
        <h1>People</h1>
        {/* The list follows the view; a person's timeline is every event they have, whatever the range. */}
        <Show when={!searchedId()}>
          <FilterBar traffic />
        </Show>
        <form class="filters" onSubmit={submit} aria-label="Find a person">
          <label>
            Search by
            <select name="kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as IdKind)}>
              <For each={ID_KINDS}>{(k) => <option value={k}>{LABELS[k]}</option>}</For>
            </select>
          </label>
          <label>
            Id
            <input
              name="id"
              size={28}
              list="person-ids"
              autocomplete="off"
              value={value()}
              onInput={(e) => setValue(e.currentTarget.value)}
              placeholder={kind() === "external_id" ? "+254712345678 or a BSUID" : kind() === "user_id" ? "user id" : "anonymous id"}
            />
          </label>
          <datalist id="person-ids">
            <For each={suggestions.latest ?? []}>{(v) => <option value={v} />}</For>
          </datalist>
          <button type="submit">Search</button>
        </form>
      </header>
      <Show when={searchedId()} fallback={<PeopleList list={people} />}>
        <Loaded resource={timeline} retry={refetch}>
          {(t) => (
            <>
              <div class="card">
                <h2>Linked ids</h2>
                <LinkedIds person={t.person} />
              </div>
              <div class="card">
                <div class="card-head">
                  <h2 data-event-count>{plural(shown(t).length, "event")}</h2>
                  <Show when={conversationId()}>
                    <span class="chip filter-chip" data-filter="conversation">
                      <span class="muted">Conversation</span>
                      <span class="chip-value">{conversationId()}</span>
                      <button
                        type="button"
                        class="chip-remove"
                        aria-label="Show every conversation"
                        onClick={() => setView({ conversation: null })}
                      >
                        ×
                      </button>
                    </span>
                  </Show>
                </div>
                <Show when={shown(t).length} fallback={<Empty>No events for this person.</Empty>}>
                  <EventList events={shown(t)} />
                </Show>
              </div>
            </>
          )}
        </Loaded>
      </Show>
    </section>
  );
}
