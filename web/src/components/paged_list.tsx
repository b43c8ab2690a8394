// A cursor-paged list's states, the same on every list page: its error, the first load, the
// empty list, the items (drawn by the page), and the Previous/Next pager.
import type { ComponentChildren } from "preact";
import type { Page } from "../api/types";
import type { CursorPaging, Resource } from "../hooks";
import { Empty, ErrorMessage, Loading } from "./feedback";
import { Pager } from "./pager";

interface PagedListProps<T> {
  list: Resource<Page<T>> & { paging: CursorPaging };
  /** What is loading, e.g. "agents". */
  loadingWhat: string;
  /** Said when the page has no item. */
  empty: ComponentChildren;
  /** The pager's name (`${label} pages`). */
  label: string;
  /** The items of the page, when there is at least one. */
  children: (items: T[]) => ComponentChildren;
}

export function PagedList<T>({ list, loadingWhat, empty, label, children }: PagedListProps<T>) {
  const items = list.data?.data ?? [];
  return (
    <>
      {list.error && <ErrorMessage error={list.error} />}
      {list.loading && !list.data && <Loading what={loadingWhat} />}
      {list.data && items.length === 0 && <Empty>{empty}</Empty>}
      {items.length > 0 && children(items)}
      {list.data && <Pager paging={list.paging} nextCursor={list.data.next_cursor} label={label} />}
    </>
  );
}
