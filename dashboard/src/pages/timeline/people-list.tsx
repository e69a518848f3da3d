import { For } from "solid-js";
import { Loaded } from "../../components/loaded";
import { ShowMore } from "../../components/show-more";
import { personHref } from "../../components/drill/drill-panel";
import { dateTime, num } from "../../lib/format";
import { view } from "../../lib/view-state";
import type { loadPeople } from "./timeline.data";

/** The visitors of the view (range and filters), most recent pages on demand; each opens its timeline. */
export function PeopleList(props: { list: ReturnType<typeof loadPeople> }) {
  const list = () => props.list;
  return (
    <div class="card">
      <Loaded resource={list().first} retry={list().refetch} empty={(p) => !p.items.length} emptyText="Nobody was seen in this range.">
        {(p) => (
          <>
            <h2 data-people-total>{num(p.total)} people in this view</h2>
            <ol class="drill-list" data-people>
              <For each={list().rows()}>
                {(r) => (
                  <li data-person>
                    <a href={personHref(r.timeline)}>{r.timeline.value}</a>
                    <span class="muted">
                      {num(r.events)} events · last seen {dateTime(r.last_seen, view.tz())}
                    </span>
                  </li>
                )}
              </For>
            </ol>
            <ShowMore list={list()} />
          </>
        )}
      </Loaded>
    </div>
  );
}
