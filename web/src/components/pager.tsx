// Previous/next buttons for a cursor-paged list (the API's `next_cursor`; null on the last page).
import type { CursorPaging } from "../hooks";

export function Pager({
  paging,
  nextCursor,
  label,
}: {
  paging: CursorPaging;
  nextCursor: string | null;
  label: string;
}) {
  if (paging.pageNumber === 1 && nextCursor === null) return null;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" class="secondary" disabled={paging.pageNumber === 1} onClick={paging.previous}>
        Previous
      </button>
      <span aria-live="polite">Page {paging.pageNumber}</span>
      <button
        type="button"
        class="secondary"
        disabled={nextCursor === null}
        onClick={() => nextCursor && paging.next(nextCursor)}
      >
        Next
      </button>
    </nav>
  );
}
