import { For, Show } from "solid-js";
import { Empty, Loaded } from "../../components/loaded";
import { dateTime, duration, num } from "../../lib/format";
import { setView, view, viewHref } from "../../lib/view-state";
import { eventDetail } from "../timeline/event-detail";
import { loadConversation } from "./conversations.data";

/** One conversation: its metrics (docs/support-metrics.md) and its events in time order. */
export function ConversationDetail() {
  const [detail, { refetch }] = loadConversation();
  return (
    <div class="card" data-conversation-detail>
      <div class="card-head">
        <h2>Conversation</h2>
        <button type="button" class="secondary" onClick={() => setView({ conversation: null })}>
          Close
        </button>
      </div>
      <Loaded resource={detail} retry={refetch} empty={(d) => !d.row} emptyText="No such conversation in this project.">
        {(d) => (
          <>
            <dl class="facts">
              <dt>Id</dt>
              <dd>
                <code>{d.row!.conversation_id}</code>
              </dd>
              <dt>Contact</dt>
              <dd>
                <Show when={d.row!.external_id} fallback="—">
                  {(id) => <a href={viewHref("people", { external_id: id() })}>{id()}</a>}
                </Show>
              </dd>
              <dt>State</dt>
              <dd data-state-value>{d.row!.state}</dd>
              <dt>Agent</dt>
              <dd>{d.row!.agent_id ?? "—"}</dd>
              <dt>Resolved by</dt>
              <dd>{d.row!.resolved_by ?? "—"}</dd>
              <dt>Messages in / out</dt>
              <dd>
                {num(d.row!.messages_in)} / {num(d.row!.messages_out)}
              </dd>
              <dt>First response</dt>
              <dd>{duration(d.row!.first_response_s)}</dd>
              <dt>Queue wait</dt>
              <dd>{duration(d.row!.queue_wait_s)}</dd>
              <dt>Resolution time</dt>
              <dd>{duration(d.row!.resolution_time_s)}</dd>
              <dt>Labels</dt>
              <dd>{d.row!.labels.join(", ") || "—"}</dd>
            </dl>
            <Show when={d.events.length} fallback={<Empty>No events stored for this conversation.</Empty>}>
              <ol class="timeline" data-timeline>
                <For each={d.events}>
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
            </Show>
          </>
        )}
      </Loaded>
    </div>
  );
}
