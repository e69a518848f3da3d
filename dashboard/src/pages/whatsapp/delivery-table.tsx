import { createSignal, For } from "solid-js";
import { Loaded } from "../../components/loaded";
import { num, pct } from "../../lib/format";
import { loadDeliveryBy } from "./whatsapp.data";

/** Sent → delivered → read → failed per message template or campaign. */
export function DeliveryTable() {
  const [group, setGroup] = createSignal<"template" | "campaign">("template");
  const [rows, { refetch }] = loadDeliveryBy(group);
  return (
    <div class="card">
      <div class="card-head">
        <h2>Delivery by {group()}</h2>
        <div class="tabs" role="tablist">
          <For each={["template", "campaign"] as const}>
            {(g) => (
              <button role="tab" aria-selected={group() === g} class={group() === g ? "tab active" : "tab"} onClick={() => setGroup(g)}>
                {g === "template" ? "Templates" : "Campaigns"}
              </button>
            )}
          </For>
        </div>
      </div>
      <Loaded resource={rows} retry={refetch} empty={(d) => !d.rows.length} emptyText="No outbound messages in this range.">
        {(d) => (
          <table class="table">
            <thead>
              <tr>
                <th>{group() === "template" ? "Template" : "Campaign"}</th>
                <th class="num">Sent</th>
                <th class="num">Delivered</th>
                <th class="num">Read</th>
                <th class="num">Failed</th>
                <th class="num">Read rate</th>
              </tr>
            </thead>
            <tbody>
              <For each={d.rows}>
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
              </For>
            </tbody>
          </table>
        )}
      </Loaded>
    </div>
  );
}
