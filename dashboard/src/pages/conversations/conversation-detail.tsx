import { onMount, Show } from "solid-js";
import { Empty, Loaded } from "../../components/loaded";
import { duration, num } from "../../lib/format";
import { param, setView, viewHref } from "../../lib/view-state";
import { EventList } from "../timeline/event-list";
import { loadConversation } from "./conversations.data";

/** The list row's button of a conversation, which opened it and takes focus back when it closes. */
const rowButton = (id: string) => document.querySelector<HTMLElement>(`tr[data-conversation="${CSS.escape(id)}"] button`);

/**
 * One conversation: its metrics (docs/support-metrics.md) and its events in time order. Opening it
 * moves focus to its heading, so keyboard and screen-reader users land on what they opened; Close
 * gives focus back to the row it was opened from.
 */
export function ConversationDetail() {
  const [detail, { refetch }] = loadConversation();
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus());
  const close = () => {
    const id = param("conversation");
    setView({ conversation: null });
    queueMicrotask(() => rowButton(id)?.focus());
  };
  return (
    <div class="card" data-conversation-detail>
      <div class="card-head">
        <h2 tabIndex={-1} ref={heading} data-conversation-heading>
          Conversation
        </h2>
        <button type="button" class="secondary" onClick={close}>
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
              <EventList events={d.events} />
            </Show>
          </>
        )}
      </Loaded>
    </div>
  );
}
