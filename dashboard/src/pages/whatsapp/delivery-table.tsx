import { createUniqueId } from "solid-js";
import { figure, LoadedTable } from "../../components/table";
import { Tabs } from "../../components/tabs";
import { num, pct } from "../../lib/format";
import { param, setView } from "../../lib/view-state";
import { loadDeliveryBy } from "./whatsapp.data";

const GROUPS = [
  ["template", "Templates"],
  ["campaign", "Campaigns"],
] as const;

/** Sent → delivered → read → failed per message template or campaign (`group=` in the URL). */
export function DeliveryTable() {
  const group = () => (param("group") === "campaign" ? "campaign" : "template");
  const [rows, { refetch }] = loadDeliveryBy(group);
  const panel = createUniqueId();
  return (
    <div class="card">
      <div class="card-head">
        <h2>Delivery by {group()}</h2>
        <Tabs
          label="Delivery by"
          items={GROUPS}
          selected={group()}
          onSelect={(g) => setView({ group: g === "template" ? null : g })}
          panel={panel}
        />
      </div>
      <div id={panel} role="tabpanel">
        <LoadedTable
          resource={rows}
          retry={refetch}
          emptyText="No outbound messages in this range."
          columns={[
            group() === "template" ? "Template" : "Campaign",
            ...["Sent", "Delivered", "Read", "Failed", "Read rate"].map((l) => figure(l)),
          ]}
          rows={(d) => d.rows}
        >
          {(r) => (
            <tr>
              <td>{r.value ?? "(untagged)"}</td>
              <td class="num">{num(r.sent)}</td>
              <td class="num">{num(r.delivered)}</td>
              <td class="num">{num(r.read)}</td>
              <td class="num">{num(r.failed)}</td>
              <td class="num">{pct(r.read_rate)}</td>
            </tr>
          )}
        </LoadedTable>
      </div>
    </div>
  );
}
