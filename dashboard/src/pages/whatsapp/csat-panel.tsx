import { Loaded } from "../../components/loaded";
import { Table } from "../../components/table";
import { CSAT_COLUMNS, csatCells } from "../agents/csat-cells";
import { loadCsat } from "../agents/support.data";

/** CSAT of conversations the bot resolved against those an agent resolved (docs/support-metrics.md). */
export function CsatBotHuman() {
  const [csat, { refetch }] = loadCsat();
  return (
    <div class="card" data-panel="csat-bot-human">
      <h2>CSAT · bot vs human</h2>
      <Loaded resource={csat} retry={refetch} empty={(c) => !c.overall.responses} emptyText="No CSAT responses in this range.">
        {(c) => (
          <Table
            name="csat"
            columns={["Resolved by", ...CSAT_COLUMNS]}
            rows={
              [
                ["Bot", c.bot],
                ["Human", c.human],
                ["All", c.overall],
              ] as const
            }
          >
            {([label, g]) => (
              <tr data-row={label.toLowerCase()}>
                <td>{label}</td>
                {csatCells(g)}
              </tr>
            )}
          </Table>
        )}
      </Loaded>
    </div>
  );
}
