import { For, Show, type JSX, type Resource } from "solid-js";
import { Loaded } from "./loaded";

/** A column heading: plain text, or (from `figure`) the heading of right-aligned figures. */
export type Column = string | { label: string; title?: string };

/** The heading of a column of figures (right-aligned), with an optional `title` that explains it. */
export const figure = (label: string, title?: string): Column => ({ label, title });

/**
 * A scrolling table, one row per item. `name`, when given, becomes the table's `data-<name>` attribute
 * (set to `value`, empty by default), which the pages' links and the browser tests find it by.
 */
export function Table<T>(props: {
  name?: string;
  value?: string;
  columns?: readonly Column[];
  rows: readonly T[];
  children: (row: T) => JSX.Element;
}) {
  return (
    <div class="table-wrap">
      <table class="table" {...(props.name ? { [`data-${props.name}`]: props.value ?? "" } : {})}>
        <Show when={props.columns}>
          {(columns) => (
            <thead>
              <tr>
                <For each={columns()}>
                  {(c) =>
                    typeof c === "string" ? (
                      <th>{c}</th>
                    ) : (
                      <th class="num" title={c.title}>
                        {c.label}
                      </th>
                    )
                  }
                </For>
              </tr>
            </thead>
          )}
        </Show>
        <tbody>
          <For each={props.rows}>{(row) => props.children(row)}</For>
        </tbody>
      </table>
    </div>
  );
}

/** A resource shown as one table (`Loaded` around `Table`): `rows` picks the rows from the answer, none means empty. */
export function LoadedTable<D, T>(props: {
  resource: Resource<D>;
  retry?: () => void;
  emptyText: JSX.Element;
  name?: string;
  columns?: readonly Column[];
  rows: (data: D) => readonly T[];
  children: (row: T) => JSX.Element;
}) {
  return (
    <Loaded resource={props.resource} retry={props.retry} empty={(d) => !props.rows(d).length} emptyText={props.emptyText}>
      {(d) => (
        <Table name={props.name} columns={props.columns} rows={props.rows(d)}>
          {props.children}
        </Table>
      )}
    </Loaded>
  );
}
