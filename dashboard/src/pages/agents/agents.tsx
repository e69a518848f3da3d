import { For, Show } from "solid-js";
import { FilterBar } from "../../components/filter-bar";
import { Empty, Loaded } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { type Column, figure, Table } from "../../components/table";
import { dateTime, duration, num, pct } from "../../lib/format";
import type { AgentRow, Timing } from "../../lib/types";
import { goTo, view, viewHref } from "../../lib/view-state";
import { loadAgents, loadQueue } from "./agents.data";
import { HoursToggle } from "./sla-panels";
import { SupportPanels } from "./support-panels";

// Median over p90 on two lines: one line each of four timing columns does not fit a laptop-wide card.
const timing = (t: Partial<Timing> | undefined) => (
  <>
    {duration(t?.median)}
    <br />
    <span class="muted">{duration(t?.p90)}</span>
  </>
);

/** The agent timings (docs/support-metrics.md), each shown as median and p90. */
const TIMINGS = [
  ["queue_wait", "Queue wait"],
  ["first_response", "First response"],
  ["handle_time", "Handle time"],
  ["resolution_time", "Resolution time"],
] as const;
const AGENT_COLUMNS: Column[] = [
  "Agent",
  figure("Conversations"),
  figure("Resolved"),
  figure("Resolution rate"),
  ...TIMINGS.map(([, label]) => figure(label, "median / p90")),
];

function AgentTable(props: { agents: AgentRow[] }) {
  return (
    <Table name="agents" columns={AGENT_COLUMNS} rows={props.agents}>
      {(a) => (
        <tr data-agent={a.agent_id}>
          <td>{a.agent_id}</td>
          <td class="num">
            {/* The conversations behind the number: the same range, this agent. */}
            <a href={viewHref("conversations", { agent: a.agent_id })} title={`List ${a.agent_id}'s conversations`}>
              {num(a.conversations)}
            </a>
          </td>
          <td class="num">
            <a href={viewHref("conversations", { agent: a.agent_id, resolved_by: "agent" })} title={`List ${a.agent_id}'s resolutions`}>
              {num(a.resolutions)}
            </a>
          </td>
          <td class="num">{a.conversations ? pct(a.resolutions / a.conversations) : "—"}</td>
          <For each={TIMINGS}>{([k]) => <td class="num">{timing(a[k])}</td>}</For>
        </tr>
      )}
    </Table>
  );
}

/** Agents: per-agent performance and the live queue of conversations waiting for a human. */
export default function AgentsPage() {
  const [agents, { refetch }] = loadAgents();
  const [queue, queueActions] = loadQueue();
  return (
    <section class="page" data-page="agents">
      <header class="page-head">
        <h1>Agents</h1>
        <FilterBar />
        <HoursToggle />
      </header>
      <div class="card">
        <div class="card-head">
          <h2>Live queue</h2>
          <button type="button" class="link" onClick={() => queueActions.refetch()}>
            Refresh
          </button>
        </div>
        <Loaded resource={queue} retry={queueActions.refetch} empty={(q) => !q.waiting.length} emptyText="Nobody is waiting for an agent.">
          {(q) => (
            <>
              <div class="stats" style={{ "margin-bottom": "12px" }}>
                <StatCard id="queued" label="Waiting" value={num(q.count)} />
                <StatCard id="oldest" label="Longest wait" value={duration(q.oldest_seconds)} />
              </div>
              <Table name="queue" columns={["Contact", "Conversation", "Queued at", figure("Waiting")]} rows={q.waiting}>
                {(w) => (
                  <tr>
                    <td>
                      <Show when={w.external_id} fallback="—">
                        <a href={viewHref("people", { external_id: w.external_id!, conversation: w.conversation_id })}>{w.external_id}</a>
                      </Show>
                    </td>
                    <td class="muted">
                      <a href={viewHref("conversations", { conversation: w.conversation_id })}>
                        <code>{w.conversation_id}</code>
                      </a>
                    </td>
                    <td>{w.queued_at ? dateTime(w.queued_at, view.tz()) : "—"}</td>
                    <td class="num">{duration(w.waiting_seconds)}</td>
                  </tr>
                )}
              </Table>
            </>
          )}
        </Loaded>
      </div>
      <Loaded resource={agents} retry={refetch}>
        {(a) => (
          <>
            <div class="stats">
              {/* The conversations behind the totals: the same range, any agent (and resolved by one). */}
              <StatCard
                id="conversations"
                label="Agent conversations"
                value={num(a.overall.conversations)}
                onOpen={() => goTo("conversations", { handled_by_agent: "true" })}
              />
              <StatCard
                id="resolutions"
                label="Resolved"
                value={num(a.overall.resolutions)}
                onOpen={() => goTo("conversations", { handled_by_agent: "true", resolved_by: "agent" })}
              />
              <For each={TIMINGS}>
                {([k, label]) => (
                  <StatCard
                    id={k}
                    label={`Median ${label.toLowerCase()}`}
                    value={duration(a.overall[k]?.median)}
                    hint={`p90 ${duration(a.overall[k]?.p90)}`}
                  />
                )}
              </For>
            </div>
            <div class="card">
              <h2>Agents</h2>
              <Show when={a.agents.length} fallback={<Empty>No conversation was handled by an agent in this range.</Empty>}>
                <AgentTable agents={a.agents} />
              </Show>
            </div>
          </>
        )}
      </Loaded>
      <SupportPanels />
    </section>
  );
}
