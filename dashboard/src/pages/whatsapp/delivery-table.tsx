import { createUniqueId, For } from "solid-js";
import { DELIVERY_STEPS, openDrill, type DeliveryStep } from "../../components/drill/drill";
import { figure, LoadedTable } from "../../components/table";
import { Tabs } from "../../components/tabs";
import { num, pct } from "../../lib/format";
import { param, setView } from "../../lib/view-state";
import { loadDeliveryBy, type DeliveryRow } from "./whatsapp.data";

const GROUPS = [
  ["template", "Templates"],
  ["campaign", "Campaigns"],
] as const;

/** One number of the table, a button that lists its messages: this step, narrowed to this row's tag. */
function StepNumber(props: { group: "template" | "campaign"; row: DeliveryRow; step: DeliveryStep }) {
  return (
    <button
      type="button"
      class="link drill-number"
      data-delivery={props.row.value ?? ""}
      data-step={props.step}
      title={`List the ${props.step} messages of ${props.row.value ?? "untagged messages"}`}
      onClick={() => openDrill({ figure: props.step, dimension: props.group, value: props.row.value ?? "" })}
    >
      {num(props.row[props.step])}
    </button>
  );
}

/** Sent → delivered → read → failed per message template or campaign (`group=` in the URL); each number lists its messages. */
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
              <For each={DELIVERY_STEPS}>
                {(step) => (
                  <td class="num">
                    <StepNumber group={group()} row={r} step={step} />
                  </td>
                )}
              </For>
              <td class="num">{pct(r.read_rate)}</td>
            </tr>
          )}
        </LoadedTable>
      </div>
    </div>
  );
}
