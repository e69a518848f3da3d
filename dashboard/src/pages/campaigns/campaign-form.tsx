import { createSignal, For, Index, Show } from "solid-js";
import { ActionError, Loaded } from "../../components/loaded";
import { createAction } from "../../lib/action";
import type { Campaign, CampaignInput } from "../../lib/engage-types";
import { createCampaign, loadSegmentChoices, loadTemplates } from "./campaigns.data";
import { SegmentOptions } from "./segment-options";

type Variant = { name: string; template_id: string; weight: string };
const NAMES = "ABCDE";

/** A new campaign: segment × template (or A/B variants with weights), when to send, its goal and cost. */
export function CampaignForm(props: { onCreated: (c: Campaign) => void }) {
  const [segments] = loadSegmentChoices();
  const [templates] = loadTemplates();
  const [name, setName] = createSignal("");
  const [segment, setSegment] = createSignal("");
  const [variants, setVariants] = createSignal<Variant[]>([{ name: "A", template_id: "", weight: "1" }]);
  const [sendAt, setSendAt] = createSignal("");
  const [goal, setGoal] = createSignal("");
  const [days, setDays] = createSignal("7");
  const [cost, setCost] = createSignal("");
  const { error, run } = createAction();
  const patch = (i: number, p: Partial<Variant>) => setVariants(variants().map((v, j) => (j === i ? { ...v, ...p } : v)));

  const input = (): CampaignInput => {
    const v = variants();
    const firstSegment = segments.latest?.segments[0]?.id ?? "";
    const firstTemplate = templates.latest?.templates[0]?.id ?? "";
    return {
      name: name().trim() || "Untitled campaign",
      segment_id: segment() || firstSegment,
      ...(v.length === 1
        ? { template_id: v[0].template_id || firstTemplate }
        : { variants: v.map((x) => ({ name: x.name, template_id: x.template_id || firstTemplate, weight: Number(x.weight) || 1 })) }),
      ...(sendAt() ? { send_at: new Date(sendAt()).toISOString() } : {}),
      ...(goal().trim() ? { goal: { event: goal().trim(), days: Number(days()) || 7 } } : {}),
      ...(cost() !== "" ? { cost_per_message: Number(cost()) } : {}),
    };
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    run(() => createCampaign(input()), props.onCreated);
  };
  return (
    <form class="card" aria-label="Create a campaign" data-panel="campaign-form" onSubmit={submit}>
      <h2>New campaign</h2>
      <Loaded
        resource={templates}
        empty={(t) => !t.templates.length}
        emptyText="No templates yet: add one with POST /templates (docs/campaigns.md)."
      >
        {(t) => (
          <>
            <div class="filters start">
              <label>
                Name
                <input name="campaign-name" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
              </label>
              <label>
                Segment
                <select name="campaign-segment" onChange={(e) => setSegment(e.currentTarget.value)}>
                  <SegmentOptions segments={segments} selected={segment()} />
                </select>
              </label>
            </div>
            <Index each={variants()}>
              {(v, i) => (
                <div class="filters start" data-variant={v().name}>
                  <label>
                    {variants().length > 1 ? `Variant ${v().name}` : "Template"}
                    <select name={`variant-${i}-template`} onChange={(e) => patch(i, { template_id: e.currentTarget.value })}>
                      <For each={t.templates}>
                        {(tp) => (
                          <option value={tp.id} selected={v().template_id === tp.id}>
                            {tp.name} ({tp.language})
                          </option>
                        )}
                      </For>
                    </select>
                  </label>
                  <Show when={variants().length > 1}>
                    <label>
                      Weight
                      <input
                        name={`variant-${i}-weight`}
                        type="number"
                        min="1"
                        max="1000"
                        size={4}
                        value={v().weight}
                        onInput={(e) => patch(i, { weight: e.currentTarget.value })}
                      />
                    </label>
                  </Show>
                </div>
              )}
            </Index>
            <div class="actions">
              <Show when={variants().length < 5}>
                <button
                  type="button"
                  class="secondary"
                  data-add-variant
                  onClick={() => setVariants([...variants(), { name: NAMES[variants().length], template_id: "", weight: "1" }])}
                >
                  {variants().length === 1 ? "A/B test: add variant B" : "Add variant"}
                </button>
              </Show>
              <Show when={variants().length > 1}>
                <button type="button" class="link" onClick={() => setVariants(variants().slice(0, -1))}>
                  Remove last variant
                </button>
              </Show>
            </div>
            <div class="filters start">
              <label>
                Send at (empty: at launch)
                <input name="campaign-send-at" type="datetime-local" value={sendAt()} onInput={(e) => setSendAt(e.currentTarget.value)} />
              </label>
              <label>
                Goal event
                <input
                  name="campaign-goal"
                  size={14}
                  value={goal()}
                  placeholder="purchase"
                  onInput={(e) => setGoal(e.currentTarget.value)}
                />
              </label>
              <label>
                Within (days)
                <input
                  name="campaign-goal-days"
                  type="number"
                  min="1"
                  max="90"
                  size={4}
                  value={days()}
                  onInput={(e) => setDays(e.currentTarget.value)}
                />
              </label>
              <label>
                Cost per message
                <input
                  name="campaign-cost"
                  type="number"
                  min="0"
                  step="0.0001"
                  size={6}
                  value={cost()}
                  onInput={(e) => setCost(e.currentTarget.value)}
                />
              </label>
            </div>
            <div class="actions">
              <button type="submit" data-create-campaign>
                Create draft
              </button>
            </div>
          </>
        )}
      </Loaded>
      <ActionError error={error()} />
    </form>
  );
}
