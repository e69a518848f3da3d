import { createResource, createSignal, For, Show } from "solid-js";
import { ItemRow } from "../../components/item-row";
import { ActionError, Loaded } from "../../components/loaded";
import { ShownOnce } from "../../components/shown-once";
import { StatCard } from "../../components/stat-card";
import { figure, LoadedTable } from "../../components/table";
import { access, canWrite } from "../../lib/access";
import { createAction } from "../../lib/action";
import type { Automation } from "../../lib/engage-types";
import { dateTime, num } from "../../lib/format";
import { param, setView, view, viewHref } from "../../lib/view-state";
import { AutomationForm } from "./automation-form";
import { dryRun, loadAutomations, loadRun, loadRuns, setPaused } from "./automations.data";

const triggerText = (t: Automation["trigger"]) =>
  t.type === "event"
    ? `event ${t.event}`
    : t.type === "segment_entry"
      ? `enters ${t.segment_id}`
      : `${t.cron ? `cron ${t.cron}` : `every ${t.every_minutes} min`} · ${t.segment_id}`;

/** The selected automation: a dry run on demand, its runs, and the selected run's steps (`run=`). */
function AutomationLog() {
  const [runs, runsActions] = loadRuns();
  const [run] = loadRun();
  const [asked, setAsked] = createSignal<{ id: string }>();
  const [dry, dryActions] = createResource(asked, (a) => dryRun(a.id));
  return (
    <>
      <div class="card" data-panel="dry-run">
        <div class="card-head">
          <h2>Dry run</h2>
          <Show when={canWrite()}>
            <button type="button" class="secondary" data-dry-run onClick={() => setAsked({ id: param("automation") })}>
              Dry run now
            </button>
          </Show>
        </div>
        <Show when={asked()} fallback={<p class="muted">Who the trigger would reach now, without running anything.</p>}>
          <Loaded resource={dry} retry={dryActions.refetch}>
            {(d) => (
              <div class="stats">
                <StatCard id="dry_people" label="People" value={num(d.people)} />
                <Show when={d.events !== null}>
                  <StatCard id="dry_events" label={`Events (last ${d.days} days)`} value={num(d.events)} />
                </Show>
              </div>
            )}
          </Loaded>
        </Show>
      </div>
      <div class="card" data-panel="runs">
        <div class="card-head">
          <h2>Runs</h2>
          <button type="button" class="link" onClick={() => runsActions.refetch()}>
            Refresh
          </button>
        </div>
        <LoadedTable
          resource={runs}
          retry={runsActions.refetch}
          emptyText="No runs yet."
          name="runs"
          columns={["Started", "Person", "Status", "Reason"]}
          rows={(r) => r.runs}
        >
          {(x) => (
            <tr data-run={x.id} classList={{ selected: param("run") === x.id }}>
              <td>
                <a href={viewHref("automations", { automation: param("automation"), run: x.id })}>{dateTime(x.started_at, view.tz())}</a>
              </td>
              <td>
                <code>{x.person_id}</code>
              </td>
              <td>
                <span class={`badge ${x.status}`}>{x.status}</span>
              </td>
              <td>{x.reason ?? "—"}</td>
            </tr>
          )}
        </LoadedTable>
      </div>
      <Show when={param("run")}>
        <div class="card" data-panel="run-steps">
          <h2>Steps of the run</h2>
          <Loaded resource={run} empty={(r) => !r.steps.length} emptyText="No step recorded yet.">
            {(r) => (
              <ol class="steps" data-steps>
                <For each={r.steps}>
                  {(s) => (
                    <li>
                      <strong>{s.name}</strong> <span class={`badge ${s.status}`}>{s.status}</span>{" "}
                      <span class="muted">{dateTime(s.at, view.tz())}</span>
                      <Show when={s.detail}>
                        <div class="muted">{s.detail}</div>
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            )}
          </Loaded>
        </div>
      </Show>
    </>
  );
}

/** Automations: build, pause/resume, dry run and each automation's execution log (`automation=`). */
export default function Automations() {
  const [list, { refetch }] = loadAutomations();
  const [secret, setSecret] = createSignal<string>();
  const { error, run } = createAction();
  const toggle = (a: Automation) => run(() => setPaused(a.id, a.status === "active"), refetch);
  return (
    <section class="page" data-page="automations" data-access={access()}>
      <header class="page-head">
        <h1>Automations</h1>
      </header>
      <Show when={canWrite()}>
        <AutomationForm onCreated={(a) => (setSecret(a.secret), refetch(), setView({ automation: a.id, run: null }))} />
      </Show>
      <Show when={secret()}>
        {(s) => (
          <ShownOnce
            data="data-secret"
            title="Signing secret"
            text="Webhook and handoff calls are signed with it (docs/automations.md). It is shown only now."
            name="automation-secret"
            value={s()}
          />
        )}
      </Show>
      <div class="card" data-panel="automations">
        <h2>Automations</h2>
        <ActionError error={error()} />
        <LoadedTable
          resource={list}
          retry={refetch}
          emptyText="No automations yet."
          name="automations"
          columns={["Name", "Trigger", figure("Actions"), "Status", ""]}
          rows={(l) => l.automations}
        >
          {(a) => (
            <ItemRow
              item="automation"
              id={a.id}
              name={a.name}
              write={
                <button type="button" class="link" data-toggle onClick={() => toggle(a)}>
                  {a.status === "active" ? "Pause" : "Resume"}
                </button>
              }
            >
              <td>{triggerText(a.trigger)}</td>
              <td class="num">{a.actions.length}</td>
              <td>
                <span class={`badge ${a.status}`} data-status={a.status}>
                  {a.status}
                </span>
              </td>
            </ItemRow>
          )}
        </LoadedTable>
      </div>
      <Show when={param("automation")} keyed>
        <AutomationLog />
      </Show>
    </section>
  );
}
