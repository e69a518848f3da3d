import { createSignal, For, Match, Switch } from "solid-js";
import type { SegmentCondition } from "../../lib/engage-types";
import { CONDITION_TYPES, toCondition, type FlatForm } from "./conditions";

type Type = SegmentCondition["type"];

/** One condition at a time: pick a type, fill its fields, add it to the definition. */
export function ConditionForm(props: { onAdd: (c: SegmentCondition) => void; label?: string }) {
  const [type, setType] = createSignal<Type>("event");
  const [form, setForm] = createSignal<FlatForm>({});
  const set = (key: string, value: string) => setForm({ ...form(), [key]: value });
  const add = () => {
    props.onAdd(toCondition(type(), form()));
    setForm({});
  };
  return (
    <fieldset class="condition-form" data-condition-form>
      <legend>{props.label ?? "Add a condition"}</legend>
      <label>
        Type
        <select name="condition-type" onChange={(e) => (setType(e.currentTarget.value as Type), setForm({}))}>
          <For each={Object.entries(CONDITION_TYPES)}>
            {([value, t]) => (
              <option value={value} selected={type() === value}>
                {t.label}
              </option>
            )}
          </For>
        </select>
      </label>
      <For each={CONDITION_TYPES[type()].fields}>
        {(f) => (
          <label>
            {f.label}
            <Switch>
              <Match when={f.kind === "bool"}>
                <select name={`c-${f.key}`} onChange={(e) => set(f.key, e.currentTarget.value)}>
                  <option value="true" selected={form()[f.key] !== "false"}>
                    yes
                  </option>
                  <option value="false" selected={form()[f.key] === "false"}>
                    no
                  </option>
                </select>
              </Match>
              <Match when={f.kind === "select"}>
                <select name={`c-${f.key}`} onChange={(e) => set(f.key, e.currentTarget.value)}>
                  <For each={f.options}>{(o) => <option selected={(form()[f.key] ?? f.options?.[0]) === o}>{o}</option>}</For>
                </select>
              </Match>
              <Match when={true}>
                <input
                  name={`c-${f.key}`}
                  type={f.kind === "number" ? "number" : "text"}
                  size={12}
                  // Not `required`: the form may sit inside another form (an automation's), whose submit it must not block; the API names a missing field.
                  aria-required={!f.optional}
                  value={form()[f.key] ?? ""}
                  onInput={(e) => set(f.key, e.currentTarget.value)}
                />
              </Match>
            </Switch>
          </label>
        )}
      </For>
      <button type="button" class="secondary" data-add-condition onClick={add}>
        Add condition
      </button>
    </fieldset>
  );
}
