import { createSignal, For, Show } from "solid-js";
import { ActionError } from "../../components/loaded";
import { RemovableList } from "../../components/removable-list";
import { createAction } from "../../lib/action";
import type { Automation, AutomationDefinition, SegmentCondition } from "../../lib/engage-types";
import { loadSegmentChoices } from "../campaigns/campaigns.data";
import { SegmentOptions } from "../campaigns/segment-options";
import { ConditionForm } from "../segments/condition-form";
import { describe } from "../segments/conditions";
import { createAutomation } from "./automations.data";

type Action = AutomationDefinition["actions"][number];
type Form = Record<string, string>;

// The fields of each action type (workers/contract/api/automations.ts).
const ACTION_FIELDS: Record<Action["type"], string[]> = {
  webhook: ["url"],
  set_trait: ["trait", "value"],
  add_to_list: ["list"],
  handoff: ["url", "note"],
  send_template: ["template_id"],
};

function toAction(type: Action["type"], f: Form): Action {
  switch (type) {
    case "webhook":
      return { type, url: f.url ?? "" };
    case "set_trait":
      return { type, trait: f.trait ?? "", value: f.value === "" || f.value === undefined ? null : f.value };
    case "add_to_list":
      return { type, list: f.list ?? "" };
    case "handoff":
      return f.note ? { type, url: f.url ?? "", note: f.note } : { type, url: f.url ?? "" };
    case "send_template":
      return { type, template_id: f.template_id ?? "" };
  }
}

function Field(props: { label: string; name: string; value: string; set: (v: string) => void; type?: string }) {
  return (
    <label>
      {props.label}
      <input
        name={props.name}
        type={props.type ?? "text"}
        size={12}
        value={props.value}
        onInput={(e) => props.set(e.currentTarget.value)}
      />
    </label>
  );
}

/** A new automation: trigger, optional wait, optional conditions, actions in order. */
export function AutomationForm(props: { onCreated: (a: Automation & { secret: string }) => void }) {
  const [segments] = loadSegmentChoices();
  const [name, setName] = createSignal("");
  const [trigger, setTrigger] = createSignal<"event" | "segment_entry" | "schedule">("event");
  const [event, setEvent] = createSignal("");
  const [segment, setSegment] = createSignal("");
  const [every, setEvery] = createSignal("60");
  const [cron, setCron] = createSignal("");
  const [wait, setWait] = createSignal<"" | "delay" | "until_event">("");
  const [waitSeconds, setWaitSeconds] = createSignal("3600");
  const [waitEvent, setWaitEvent] = createSignal("");
  const [conditions, setConditions] = createSignal<SegmentCondition[]>([]);
  const [actions, setActions] = createSignal<Action[]>([]);
  const [actionType, setActionType] = createSignal<Action["type"]>("webhook");
  const [actionForm, setActionForm] = createSignal<Form>({});
  const { error, run } = createAction();

  const definition = (): AutomationDefinition => ({
    trigger:
      trigger() === "event"
        ? { type: "event", event: event() }
        : trigger() === "segment_entry"
          ? { type: "segment_entry", segment_id: segment() }
          : cron().trim()
            ? { type: "schedule", segment_id: segment(), cron: cron().trim() }
            : { type: "schedule", segment_id: segment(), every_minutes: Number(every()) || 60 },
    ...(wait() === "delay" ? { wait: { type: "delay" as const, seconds: Number(waitSeconds()) || 1 } } : {}),
    ...(wait() === "until_event"
      ? { wait: { type: "until_event" as const, event: waitEvent(), timeout_seconds: Number(waitSeconds()) || 1 } }
      : {}),
    ...(conditions().length ? { conditions: { match: "all" as const, conditions: conditions() } } : {}),
    actions: actions(),
  });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    run(() => createAutomation(name().trim() || "Untitled automation", definition()), props.onCreated);
  };
  return (
    <form class="card" aria-label="Create an automation" data-panel="automation-form" onSubmit={submit}>
      <h2>New automation</h2>
      <div class="filters start">
        <Field label="Name" name="automation-name" value={name()} set={setName} />
        <label>
          Trigger
          <select name="trigger" onChange={(e) => setTrigger(e.currentTarget.value as "event")}>
            <option value="event">An event happens</option>
            <option value="segment_entry">Someone enters a segment</option>
            <option value="schedule">On a schedule, for a segment</option>
          </select>
        </label>
        <Show
          when={trigger() === "event"}
          fallback={
            <label>
              Segment
              <select name="trigger-segment" onChange={(e) => setSegment(e.currentTarget.value)}>
                <option value="">Choose a segment</option>
                <SegmentOptions segments={segments} selected={segment()} />
              </select>
            </label>
          }
        >
          <Field label="Event" name="trigger-event" value={event()} set={setEvent} />
        </Show>
        <Show when={trigger() === "schedule"}>
          <Field label="Every (minutes)" name="trigger-every" type="number" value={every()} set={setEvery} />
          <Field label="Or cron (UTC, five fields)" name="trigger-cron" value={cron()} set={setCron} />
        </Show>
        <label>
          Wait
          <select name="wait" onChange={(e) => setWait(e.currentTarget.value as "")}>
            <option value="">No wait</option>
            <option value="delay">A fixed delay</option>
            <option value="until_event">Until an event (cancels), or a timeout</option>
          </select>
        </label>
        <Show when={wait()}>
          <Field
            label={wait() === "delay" ? "Seconds" : "Timeout (seconds)"}
            name="wait-seconds"
            type="number"
            value={waitSeconds()}
            set={setWaitSeconds}
          />
        </Show>
        <Show when={wait() === "until_event"}>
          <Field label="Event" name="wait-event" value={waitEvent()} set={setWaitEvent} />
        </Show>
      </div>
      <RemovableList name="conditions" items={conditions()} text={describe} set={setConditions} />
      <ConditionForm label="Only if (checked after the wait)" onAdd={(c) => setConditions([...conditions(), c])} />
      <RemovableList name="actions" items={actions()} text={JSON.stringify} set={setActions} />
      <fieldset class="condition-form">
        <legend>Add an action</legend>
        <label>
          Action
          <select name="action-type" onChange={(e) => (setActionType(e.currentTarget.value as Action["type"]), setActionForm({}))}>
            <For each={Object.keys(ACTION_FIELDS)}>{(t) => <option>{t}</option>}</For>
          </select>
        </label>
        <For each={ACTION_FIELDS[actionType()]}>
          {(f) => (
            <label>
              {f}
              <input
                name={`action-${f}`}
                size={14}
                value={actionForm()[f] ?? ""}
                onInput={(e) => setActionForm({ ...actionForm(), [f]: e.currentTarget.value })}
              />
            </label>
          )}
        </For>
        <button
          type="button"
          class="secondary"
          data-add-action
          onClick={() => (setActions([...actions(), toAction(actionType(), actionForm())]), setActionForm({}))}
        >
          Add action
        </button>
      </fieldset>
      <div class="actions">
        <button type="submit" data-create-automation disabled={!actions().length}>
          Create automation
        </button>
      </div>
      <ActionError error={error()} />
    </form>
  );
}
