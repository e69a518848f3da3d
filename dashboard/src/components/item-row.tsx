import type { JSX } from "solid-js";
import { param, viewHref } from "../lib/view-state";

/**
 * A row of a page's own list (automations, campaigns, segments): marked `data-<item>` and selected
 * when the URL's `<item>=` names it, its first cell the name linking there; `children` are the other cells.
 */
export function ItemRow(props: { item: "automation" | "campaign" | "segment"; id: string; name: string; children: JSX.Element }) {
  return (
    <tr {...{ [`data-${props.item}`]: props.id }} classList={{ selected: param(props.item) === props.id }}>
      <td>
        <a href={viewHref(`${props.item}s`, { [props.item]: props.id })}>{props.name}</a>
      </td>
      {props.children}
    </tr>
  );
}
