import { For } from "solid-js";
import { Loaded } from "../../components/loaded";
import { num, pct } from "../../lib/format";
import { loadCsat } from "../agents/support.data";

/** CSAT of conversations the bot resolved against those an agent resolved (docs/support-metrics.md). */
export function CsatBotHuman() {
  const [csat, { refetch }] = loadCsat();
  return (
    <div class="card" data-panel="csat-bot-human">
      <h2>CSAT · bot vs human</h2>
      <Loaded resource={csat} retry={refetch} empty={(c) => !c.overall.responses} emptyText="No CSAT responses in this range.">
        {(c) => (
          <div class="table-wrap">
            <table class="table" data-csat>
              <thead>
                <tr>
                  <th>Resolved by</th>
                  <th class="num">Responses</th>
                  <th class="num">Average</th>
                  <th class="num">Satisfied</th>
                </tr>
              </thead>
              <tbody>
                <For each={[["Bot", c.bot], ["Human", c.human], ["All", c.overall]] as const}>
                  {([label, g]) => (
                    <tr data-row={label.toLowerCase()}>
                      <td>{label}</td>
                      <td class="num">{num(g.responses)}</td>
                      <td class="num">{g.average === null ? "—" : g.average.toFixed(2)}</td>
                      <td class="num">{g.satisfied_rate === null ? "—" : pct(g.satisfied_rate)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </div>
  );
}
