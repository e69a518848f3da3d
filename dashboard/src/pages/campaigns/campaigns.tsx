import { For, Show } from "solid-js";
import { ItemRow } from "../../components/item-row";
import { ActionError } from "../../components/loaded";
import { figure, LoadedTable } from "../../components/table";
import { access, canWrite } from "../../lib/access";
import { createAction } from "../../lib/action";
import type { Campaign } from "../../lib/engage-types";
import { dateTime, num } from "../../lib/format";
import { param, setView, view } from "../../lib/view-state";
import { CampaignForm } from "./campaign-form";
import { CampaignResultsPanel } from "./campaign-results";
import { controlCampaign, loadCampaigns } from "./campaigns.data";

/** What a write token can do to a campaign in each status. */
const ACTIONS: Record<Campaign["status"], ("launch" | "pause" | "resume" | "cancel")[]> = {
  draft: ["launch", "cancel"],
  scheduled: ["cancel"],
  running: ["pause", "cancel"],
  paused: ["resume", "cancel"],
  completed: [],
  cancelled: [],
};

/** Campaigns: create (segment × template or A/B), launch, list, and the selected one's results (`campaign=`). */
export default function Campaigns() {
  const [campaigns, { refetch }] = loadCampaigns();
  const { error, run } = createAction();
  const act = (id: string, action: "launch" | "pause" | "resume" | "cancel") =>
    run(
      () => controlCampaign(id, action),
      () => (refetch(), setView({ campaign: id })),
    );
  return (
    <section class="page" data-page="campaigns" data-access={access()}>
      <header class="page-head">
        <h1>Campaigns</h1>
      </header>
      <Show when={canWrite()}>
        <CampaignForm onCreated={(c) => (refetch(), setView({ campaign: c.id }))} />
      </Show>
      <div class="card" data-panel="campaigns">
        <h2>Campaigns</h2>
        <ActionError error={error()} />
        <LoadedTable
          resource={campaigns}
          retry={refetch}
          emptyText="No campaigns yet."
          name="campaigns"
          columns={["Name", "Status", "Variants", figure("Audience"), "Created", ""]}
          rows={(c) => c.campaigns}
        >
          {(c) => (
            <ItemRow
              item="campaign"
              id={c.id}
              name={c.name}
              write={
                <For each={ACTIONS[c.status]}>
                  {(a) => (
                    <button type="button" class={a === "launch" ? "" : "link"} data-action={a} onClick={() => act(c.id, a)}>
                      {a[0].toUpperCase() + a.slice(1)}
                    </button>
                  )}
                </For>
              }
            >
              <td>
                <span class={`badge ${c.status}`} data-status={c.status} title={c.pause_reason ?? undefined}>
                  {c.status}
                </span>
              </td>
              <td>{c.variants.map((v) => `${v.name}×${v.weight}`).join(", ")}</td>
              <td class="num">{c.audience === null ? "—" : num(c.audience)}</td>
              <td>{dateTime(c.created_at, view.tz())}</td>
            </ItemRow>
          )}
        </LoadedTable>
      </div>
      <Show when={param("campaign")}>
        <CampaignResultsPanel />
      </Show>
    </section>
  );
}
