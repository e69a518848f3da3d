import { For, type Resource } from "solid-js";
import type { SegmentList } from "../../lib/engage-types";

/** The saved segments (`loadSegmentChoices`) as the options of a segment select, `selected` marked. */
export function SegmentOptions(props: { segments: Resource<SegmentList>; selected: string }) {
  return (
    <For each={props.segments.latest?.segments ?? []}>
      {(s) => (
        <option value={s.id} selected={props.selected === s.id}>
          {s.name}
        </option>
      )}
    </For>
  );
}
