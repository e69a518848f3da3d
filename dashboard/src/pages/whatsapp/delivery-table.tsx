import { createUniqueId, For } from "solid-js";
import { Loaded } from "../../components/loaded";
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
        <Loaded resource={rows} retry={refetch} empty={(d) => !d.rows.length} emptyText="No outbound messages in this range.">
          {(d) => (
            <div class="table-wrap">
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
            </div>
          )}
        </Loaded>
      </div>
    </div>
  );
}
