// A list's table as every page draws it: in a scroll box (so a phone never scrolls the page
// sideways), named by a caption for screen readers, with column headers and, when the rows
// have buttons, a last column named "Actions" for screen readers only.
import { Fragment, type ComponentChildren } from "preact";

interface DataTableProps {
  testId?: string;
  caption: ComponentChildren;
  /** Shown to everyone; by default the caption is for screen readers only. */
  captionVisible?: boolean;
  /** The rows are being reloaded (aria-busy). */
  busy?: boolean;
  /** A text becomes a plain column header; anything else (a sort button) is drawn as given. */
  columns: ComponentChildren[];
  actions?: boolean;
  /** The rows. */
  children: ComponentChildren;
}

function ColumnHeader({ column }: { column: ComponentChildren }) {
  return typeof column === "string" ? <th scope="col">{column}</th> : <>{column}</>;
}

export function DataTable(props: DataTableProps) {
  const { testId, caption, captionVisible, busy, columns, actions, children } = props;
  return (
    <div class="table-scroll">
      <table data-testid={testId} aria-busy={busy}>
        <caption class={captionVisible ? undefined : "visually-hidden"}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <Fragment key={index}>
                <ColumnHeader column={column} />
              </Fragment>
            ))}
            {actions && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
