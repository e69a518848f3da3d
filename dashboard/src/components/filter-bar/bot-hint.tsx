import { Show } from "solid-js";
import { getJson } from "../../lib/api";
import { num, pct } from "../../lib/format";
import { project } from "../../lib/session";
import type { BotShare } from "../../lib/types";
import { viewResource } from "../../lib/view-resource";
import { generation, rangeQuery, setView, view } from "../../lib/view-state";

/** Above this share of bot events, a view without bots would look nearly empty for no visible reason. */
const MOST = 0.5;

/** Explains hidden bot traffic when most of the range's events are flagged as bots; a failure shows nothing. */
export function BotHint() {
  const [share] = viewResource(
    () => {
      const range = rangeQuery();
      return !view.includeBots() && range && { project: project(), tick: generation(), ...range };
    },
    ({ project: _p, tick: _t, ...range }) => getJson<BotShare>("/stats/bots", range).catch(() => undefined),
  );
  const shown = () => (!view.includeBots() && share.latest && (share.latest.bot_share ?? 0) > MOST ? share.latest : undefined);
  return (
    <Show when={shown()}>
      {(s) => (
        <p class="bot-hint" role="status" data-bot-hint>
          Most events in this range come from bots ({num(s().bot_events)} of {num(s().events)}, {pct(s().bot_share)}). Figures leave bots
          out, which is why they look low.{" "}
          <button type="button" class="link" onClick={() => setView({ include_bots: "true" })}>
            Include bots
          </button>
        </p>
      )}
    </Show>
  );
}
