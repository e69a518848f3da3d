import { Show, type JSX } from "solid-js";
import { canWrite } from "../lib/access";
import { param, viewHref } from "../lib/view-state";

/**
 * A row of a page's own list (automations, campaigns, segments): marked `data-<item>` and selected
 * when the URL's `<item>=` names it, its first cell the name linking there, then `children` (the other
 * cells) and a last cell of buttons: `actions` for every token, `write` only for one that may write.
 */
export function ItemRow(props: {
  item: "automation" | "campaign" | "segment";
  id: string;
  name: string;
  children: JSX.Element;
  actions?: JSX.Element;
  write?: JSX.Element;
}) {
  return (
    <tr {...{ [`data-${props.item}`]: props.id }} classList={{ selected: param(props.item) === props.id }}>
      <td>
        <a href={viewHref(`${props.item}s`, { [props.item]: props.id })}>{props.name}</a>
      </td>
      {props.children}
      <td class="row-actions">
        {props.actions}
        <Show when={canWrite()}>{props.write}</Show>
      </td>
    </tr>
  );
}
