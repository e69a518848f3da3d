import { createSignal, Show } from "solid-js";
import { ActionError } from "../../components/loaded";
import { ShownOnce } from "../../components/shown-once";
import { LoadedTable } from "../../components/table";
import { adminAccess, canAdmin } from "../../lib/access";
import { createAction } from "../../lib/action";
import { dateTime } from "../../lib/format";
import type { ShareCreated } from "../../lib/types";
import { lastView, view } from "../../lib/view-state";
import { createShare, loadShares, revokeShare } from "./shares.data";

/** Share links: read-only, revocable links to this project's dashboard (admin only). */
export default function Shares() {
  // Only the admin token lists links: another token would see a 403 box and a button that fails.
  const [shares, { refetch }] = loadShares(canAdmin);
  const [name, setName] = createSignal("");
  const [pin, setPin] = createSignal(true);
  const [created, setCreated] = createSignal<ShareCreated>();
  const { error, run } = createAction();
  const act = (action: () => Promise<unknown>) => run(action, refetch);
  // Revoking cannot be undone: whoever holds the link loses it at once.
  const revoke = (id: string, name: string) => {
    if (confirm(`Revoke the share link “${name}”? Anyone using it loses access at once.`)) act(() => revokeShare(id));
  };
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    act(async () => setCreated(await createShare(name().trim() || "shared dashboard", pin() ? lastView() : null)));
  };
  return (
    <section class="page" data-page="shares" data-access={adminAccess()}>
      <header class="page-head">
        <h1>Share links</h1>
        <p class="muted">
          Read-only links to this project's dashboard, for people without a token. Creating and revoking them needs the admin token.
        </p>
      </header>
      <Show
        when={canAdmin()}
        fallback={
          <Show when={adminAccess() === "other"}>
            <p class="card muted" data-needs-admin>
              Share links are managed with the admin token; this one cannot create or revoke them.
            </p>
          </Show>
        }
      >
        <form class="card filters" aria-label="Create a share link" onSubmit={submit}>
          <label>
            Name
            <input name="share-name" value={name()} placeholder="Weekly review" onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="toggle">
            <input type="checkbox" name="share-pin" checked={pin()} onChange={(e) => setPin(e.currentTarget.checked)} />
            Open at the last view (<code class="wrap">{lastView()}</code>)
          </label>
          <button type="submit">Create link</button>
        </form>
        <ActionError error={error()} />
        <Show when={created()}>
          {(c) => (
            <ShownOnce
              data="data-share-created"
              title="Link created"
              text="Anyone with this link sees this project's dashboard, read-only, until it is revoked. It is shown only now."
              name="share-url"
              value={c().url}
            />
          )}
        </Show>
        <div class="card">
          <h2>Links</h2>
          <LoadedTable
            resource={shares}
            retry={refetch}
            emptyText="No share links yet."
            name="shares"
            columns={["Name", "View", "Created", "Status"]}
            rows={(s) => s}
          >
            {(s) => (
              <tr data-share={s.id}>
                <td>{s.name}</td>
                <td>
                  <code class="wrap">{s.view ?? "default"}</code>
                </td>
                <td>{dateTime(s.created_at, view.tz())}</td>
                <td>
                  <Show when={!s.revoked_at} fallback={<span class="muted">revoked {dateTime(s.revoked_at!, view.tz())}</span>}>
                    <button type="button" class="secondary" onClick={() => revoke(s.id, s.name)}>
                      Revoke
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </LoadedTable>
        </div>
      </Show>
    </section>
  );
}
