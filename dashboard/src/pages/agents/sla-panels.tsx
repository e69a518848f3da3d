import { Loaded } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { type Column, figure, LoadedTable, Table } from "../../components/table";
import { Tabs } from "../../components/tabs";
import type { SlaReport } from "../../lib/engage-types";
import { duration, num } from "../../lib/format";
import { goTo, setView, viewHref } from "../../lib/view-state";
import { hoursMode, loadAtRisk, loadSla, rate } from "./support.data";

/** Wall-clock or business-hours durations, kept in the URL as the API's `hours` key. */
export function HoursToggle() {
  return (
    <Tabs
      label="Count durations in"
      items={[
        ["wall", "Wall clock"],
        ["business", "Business hours"],
      ]}
      selected={hoursMode()}
      onSelect={(h) => setView({ hours: h === "business" ? h : null })}
    />
  );
}

const SLA_COLUMNS: Column[] = ["Agent", figure("Cycles"), figure("First response met"), figure("Resolution met"), figure("Breaches")];

/** The Conversations list behind an SLA figure: this range, the agent's (or everyone's), with the target met or breached. */
const slaHref = (agent: string | null, filter: Record<string, string>) => viewHref("conversations", agent ? { ...filter, agent } : filter);

function SlaLink(props: { agent: string | null; filter: Record<string, string>; title: string; children: string }) {
  return (
    <a href={slaHref(props.agent, props.filter)} title={props.title} data-sla-link={Object.keys(props.filter).join(",")}>
      {props.children}
    </a>
  );
}

export function SlaPanel() {
  const [sla, { refetch }] = loadSla();
  const row = (agent: string | null, f: SlaReport["overall"]) => (
    <tr data-sla-agent={agent ?? "All"}>
      <td>{agent ?? "All"}</td>
      <td class="num">{num(f.cycles)}</td>
      <td class="num">
        <SlaLink agent={agent} filter={{ sla_first_response: "met" }} title="List the conversations whose first response met its target">
          {rate(f.first_response.met_rate)}
        </SlaLink>
      </td>
      <td class="num">
        <SlaLink agent={agent} filter={{ sla_resolution: "met" }} title="List the conversations resolved within their target">
          {rate(f.resolution.met_rate)}
        </SlaLink>
      </td>
      <td class="num">
        <SlaLink agent={agent} filter={{ sla_breached: "true" }} title="List the conversations that breached a target">
          {num(f.first_response.breached + f.resolution.breached)}
        </SlaLink>
      </td>
    </tr>
  );
  return (
    <div class="card" data-panel="sla">
      <h2>SLA met</h2>
      <Loaded resource={sla} retry={refetch} empty={(s) => !s.overall.cycles} emptyText="No conversation with an SLA policy in this range.">
        {(s) => (
          <>
            <div class="stats">
              <StatCard
                id="sla_first_response"
                label="First response met"
                value={rate(s.overall.first_response.met_rate)}
                hint={`${num(s.overall.first_response.breached)} breached`}
                onOpen={() => goTo("conversations", { sla_first_response: "met" })}
              />
              <StatCard
                id="sla_resolution"
                label="Resolution met"
                value={rate(s.overall.resolution.met_rate)}
                hint={`${num(s.overall.resolution.breached)} breached`}
                onOpen={() => goTo("conversations", { sla_resolution: "met" })}
              />
            </div>
            <Table name="sla-agents" columns={SLA_COLUMNS} rows={[{ ...s.overall, agent_id: null }, ...s.agents]}>
              {(a) => row(a.agent_id, a)}
            </Table>
          </>
        )}
      </Loaded>
    </div>
  );
}

export function AtRiskPanel() {
  const [risk, { refetch }] = loadAtRisk();
  return (
    <div class="card" data-panel="at-risk">
      <div class="card-head">
        <h2>At risk of breaching (next hour)</h2>
        <button type="button" class="link" onClick={() => refetch()}>
          Refresh
        </button>
      </div>
      <LoadedTable
        resource={risk}
        retry={refetch}
        emptyText="No open conversation is close to an SLA target."
        name="at-risk"
        columns={["Conversation", "Agent", "Target", figure("Time left")]}
        rows={(r) => r.conversations}
      >
        {(c) => (
          <tr classList={{ breached: c.breached }}>
            <td>
              <a href={viewHref("conversations", { conversation: c.conversation_id })}>{c.external_id ?? c.conversation_id}</a>
            </td>
            <td>{c.agent_id ?? "—"}</td>
            <td>{c.target === "first_response" ? "First response" : "Resolution"}</td>
            <td class="num">{c.breached ? `breached ${duration(-c.seconds_left)} ago` : duration(c.seconds_left)}</td>
          </tr>
        )}
      </LoadedTable>
    </div>
  );
}
