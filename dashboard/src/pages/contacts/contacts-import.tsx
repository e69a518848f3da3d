import { createResource, createSignal, Show } from "solid-js";
import { Loaded } from "../../components/loaded";
import { StatCard } from "../../components/stat-card";
import { figure, Table } from "../../components/table";
import { access, canWrite } from "../../lib/access";
import { projectUrl, request } from "../../lib/api";
import type { ContactImportReport } from "../../lib/engage-types";
import { num } from "../../lib/format";

/** The upload's content type from its name: the API reads CSV, a JSON array or NDJSON. */
function contentType(file: File): string {
  if (/\.(ndjson|jsonl)$/i.test(file.name)) return "application/x-ndjson";
  if (/\.json$/i.test(file.name) || file.type === "application/json") return "application/json";
  return "text/csv";
}

/** Sends the file as the request body: the browser streams it, nothing is read into memory here. */
async function upload(file: File): Promise<ContactImportReport> {
  const res = await request(projectUrl("/contacts/import"), { method: "POST", body: file, headers: { "content-type": contentType(file) } });
  return res.json() as Promise<ContactImportReport>;
}

/** Contacts import: upload a CSV or JSON file of contacts and read its data-quality report. */
export default function ContactsImport() {
  const [file, setFile] = createSignal<File>();
  // A new object per press, so importing the same file again uploads it again.
  const [sent, setSent] = createSignal<{ file: File }>();
  const [report, { refetch }] = createResource(sent, (s) => upload(s.file));
  const submit = (e: SubmitEvent) => (e.preventDefault(), file() && setSent({ file: file()! }));
  return (
    <section class="page" data-page="import" data-access={access()}>
      <header class="page-head">
        <h1>Contacts import</h1>
      </header>
      <Show when={canWrite()} fallback={<p class="card muted">Importing needs a token with the write scope; this one can only read.</p>}>
        <form class="card filters start" aria-label="Import contacts" onSubmit={submit}>
          <label>
            File (CSV with a header row, JSON array or NDJSON)
            <input
              type="file"
              name="contacts-file"
              accept=".csv,.json,.ndjson,.jsonl,text/csv,application/json"
              onChange={(e) => setFile(e.currentTarget.files?.[0])}
            />
          </label>
          <button type="submit" disabled={!file()}>
            Import
          </button>
        </form>
      </Show>
      <div class="card" data-panel="import-report">
        <h2>Report</h2>
        <Show when={sent()} fallback={<p class="muted">Columns: phone or bsuid, name, timezone, consent, and any attribute.</p>}>
          <Loaded resource={report} retry={refetch}>
            {(r) => (
              <>
                <div class="stats">
                  <StatCard id="rows_read" label="Rows read" value={num(r.rows_read)} />
                  <StatCard id="imported" label="Imported" value={num(r.imported)} />
                  <StatCard id="merged" label="Merged" value={num(r.merged)} />
                  <StatCard id="unchanged" label="Unchanged" value={num(r.unchanged)} />
                  <StatCard id="rejected" label="Rejected" value={num(r.rejected)} />
                </div>
                <Show when={r.truncated}>
                  {(t) => (
                    <p class="state error" role="alert" data-truncated={t().row}>
                      The file ended early: {t().reason}. The rows above were imported as reported; the rest of the file never arrived.
                    </p>
                  )}
                </Show>
                <Show when={r.rejected_rows.length}>
                  <Table name="rejected" columns={[figure("Row"), "Reason"]} rows={r.rejected_rows}>
                    {(row) => (
                      <tr data-row={row.row}>
                        <td class="num">{row.row}</td>
                        <td>{row.reason}</td>
                      </tr>
                    )}
                  </Table>
                  <Show when={r.rejected > r.rejected_rows.length}>
                    <p class="muted">
                      The first {r.rejected_rows.length} of {num(r.rejected)} rejected rows are listed.
                    </p>
                  </Show>
                </Show>
              </>
            )}
          </Loaded>
        </Show>
      </div>
    </section>
  );
}
