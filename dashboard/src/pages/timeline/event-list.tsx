import { For } from "solid-js";
import { dateTime } from "../../lib/format";
import type { TimelineEvent } from "../../lib/types";
import { view } from "../../lib/view-state";
import { eventDetail } from "./event-detail";

/** Events in the order given, both channels: when, the channel badge, the event and its short detail. */
export function EventList(props: { events: TimelineEvent[] }) {
  return (
    <ol class="timeline" data-timeline>
      <For each={props.events}>
        {(e) => (
          <li data-event={e.event_name}>
            <span class="when">{dateTime(e.timestamp, view.tz())}</span>
            <span>
              <span class={`badge ${e.channel_type}`}>{e.channel_type}</span>
            </span>
            <span class="what">
              <strong>{e.event_name}</strong>
              <span class="detail">{eventDetail(e)}</span>
            </span>
          </li>
        )}
      </For>
    </ol>
  );
}
