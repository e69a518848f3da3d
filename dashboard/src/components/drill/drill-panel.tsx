import { For, Match, onMount, Show, Switch } from "solid-js";
import { dateTime, num } from "../../lib/format";
import { loadPages } from "../../lib/pages";
import type { TimelineEvent, TimelineRef } from "../../lib/types";
import { view, viewHref } from "../../lib/view-state";
import { Loaded } from "../loaded";
import { ShowMore } from "../show-more";
import { closeDrill, currentDrill, drillSource, drillTitle, fetchDrill, type Drill, type DrillRow } from "./drill";

/** A person's timeline on the People page, in the same view. */
export const personHref = (ref: TimelineRef) => viewHref("people", { [ref.kind]: ref.value });

/** The best id an event names its person by. */
function eventRef(e: TimelineEvent): TimelineRef | undefined {
  if (e.external_id) return { kind: "external_id", value: e.external_id };
  if (e.user_id) return { kind: "user_id", value: e.user_id };
  if (e.anonymous_id) return { kind: "anonymous_id", value: e.anonymous_id };
}

/** A message status event's status (`delivered`, `read`, …), if the event is one. */
const statusOf = (e: TimelineEvent) => (typeof e.properties?.status === "string" ? e.properties.status : undefined);

function Row(props: { item: DrillRow }) {
  const tz = () => view.tz();
  return (
    <Switch>
      <Match when={props.item.kind === "person" && props.item.row}>
        {(r) => (
          <li data-drill-row>
            <a href={personHref(r().timeline)}>{r().timeline.value}</a>
            <span class="muted">
              {num(r().events)} events · {dateTime(r().first_seen, tz())} – {dateTime(r().last_seen, tz())}
            </span>
          </li>
        )}
      </Match>
      <Match when={props.item.kind === "event" && props.item.row}>
        {(r) => (
          <li data-drill-row>
            <span>
              <strong>{r().event_name}</strong> {r().path ?? ""}
              {/* A delivery list shows each message at the status it is counted at. */}
              <Show when={statusOf(r())}>{(s) => <span data-status> {s()}</span>}</Show>
            </span>
            <span class="muted">
              {dateTime(r().timestamp, tz())}
              {/* The separator stays outside the link, so only the id is underlined. */}
              <Show when={eventRef(r())}>
                {(ref) => (
                  <>
                    {" · "}
                    <a href={personHref(ref())}>{ref().value}</a>
                  </>
                )}
              </Show>
              <Show when={r().conversation_id}>
                {(id) => (
                  <>
                    {" · "}
                    <a href={viewHref("conversations", { conversation: id() })}>conversation</a>
                  </>
                )}
              </Show>
            </span>
          </li>
        )}
      </Match>
      <Match when={props.item.kind === "contact" && props.item.row}>
        {(r) => (
          <li data-drill-row>
            <a href={personHref(r().timeline)}>{r().external_id}</a>
            <span class="muted">
              {num(r().messages)} messages · {dateTime(r().first_message_at, tz())} – {dateTime(r().last_message_at, tz())}
            </span>
          </li>
        )}
      </Match>
      <Match when={props.item.kind === "funnel" && props.item.row}>
        {(r) => (
          <li data-drill-row>
            <Show when={r().timeline} fallback={<span>{r().person_id}</span>}>
              {(ref) => <a href={personHref(ref())}>{ref().value}</a>}
            </Show>
            <span class="muted">
              entered {dateTime(r().entered_at, tz())}
              {r().reached_at ? ` · reached ${dateTime(r().reached_at!, tz())}` : ""}
            </span>
          </li>
        )}
      </Match>
    </Switch>
  );
}

/**
 * The list behind a clicked number (a chart point, a breakdown row, a funnel step, a WhatsApp figure), filtered
 * exactly as the number: the view's range, zone and filters plus the clicked bucket or value.
 * Keyed on the drill-down, so another number never shows the previous list while it loads.
 */
export function DrillPanel() {
  const key = () => (currentDrill() ? JSON.stringify(currentDrill()) : undefined);
  return (
    <Show when={key()} keyed>
      {(k) => <DrillList drill={JSON.parse(k) as Drill} />}
    </Show>
  );
}

function DrillList(props: { drill: Drill }) {
  const list = loadPages(() => drillSource(props.drill), fetchDrill);
  let heading: HTMLHeadingElement | undefined;
  // A new list takes focus, so keyboard and screen-reader users land on what they asked for.
  onMount(() => heading?.focus());
  const d = () => props.drill;
  return (
    <aside class="card drill" aria-labelledby="drill-title" data-drill={d().figure} onKeyDown={(e) => e.key === "Escape" && closeDrill()}>
      <div class="card-head">
        <h2 id="drill-title" tabIndex={-1} ref={heading}>
          {drillTitle(d())}
        </h2>
        <button type="button" class="secondary" onClick={closeDrill} aria-label="Close the list">
          Close
        </button>
      </div>
      <Loaded resource={list.first} retry={list.refetch} empty={(p) => !p.items.length} emptyText="Nobody behind this number.">
        {(p) => (
          <>
            <p class="muted" data-drill-total>
              {num(p.total)} in all
            </p>
            <ol class="drill-list">
              <For each={list.rows()}>{(item) => <Row item={item} />}</For>
            </ol>
            <ShowMore list={list} />
          </>
        )}
      </Loaded>
    </aside>
  );
}
