// Small hooks shared by the pages: the signed-in API client from context, loading a resource
// with its error, cursor paging over a list, a form's submit, an item's actions, the open form.
import { createContext } from "preact";
import { useCallback, useContext, useEffect, useState } from "preact/hooks";
import type { ApiClient } from "./api/client";
import { listAgents, listSites } from "./api/endpoints";
import type { Agent, Page, Site } from "./api/types";
import { formErrorsFrom, NO_ERRORS, type FormErrors } from "./forms";

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error("useApi outside a signed-in session");
  return api;
}

export interface Resource<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `load()` now and whenever `deps` change or reload() is called; the latest call wins.
 * `loading` is true from the very render in which the deps changed until their answer arrives
 * (the previous data stays shown meanwhile).
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[]): Resource<T> {
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify([...deps, generation]);
  const [state, setState] = useState<{ key: string | null; data: T | null; error: Error | null }>({
    key: null,
    data: null,
    error: null,
  });
  useEffect(() => {
    let current = true;
    load().then(
      (data) => current && setState({ key, data, error: null }),
      (error: Error) => current && setState({ key, data: null, error }),
    );
    return () => {
      current = false;
    };
  }, [key]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data: state.data, error: state.error, loading: state.key !== key, reload };
}

export interface CursorPaging {
  cursor: string | null;
  pageNumber: number;
  next: (nextCursor: string) => void;
  previous: () => void;
  reset: () => void;
}

/**
 * Keyset pages only go forward; the cursors seen so far make "Previous" possible. A change of
 * `listKey` (the list's filters and sort) starts again from the first page.
 */
export function useCursorPaging(listKey: string): CursorPaging {
  const [state, setState] = useState<{ key: string; stack: (string | null)[] }>({
    key: listKey,
    stack: [null],
  });
  const stack = state.key === listKey ? state.stack : [null];
  const update = (next: (string | null)[]) => setState({ key: listKey, stack: next });
  return {
    cursor: stack[stack.length - 1],
    pageNumber: stack.length,
    next: (nextCursor) => update([...stack, nextCursor]),
    previous: () => update(stack.length > 1 ? stack.slice(0, -1) : stack),
    reset: () => update([null]),
  };
}

/** A cursor-paged list whose filters are `filters`; reloads when they or the page change. */
export function usePagedList<T>(
  load: (cursor: string | null) => Promise<Page<T>>,
  filters: Record<string, unknown>,
): Resource<Page<T>> & { paging: CursorPaging } {
  const listKey = JSON.stringify(filters);
  const paging = useCursorPaging(listKey);
  const resource = useResource(() => load(paging.cursor), [listKey, paging.cursor]);
  return { ...resource, paging };
}

/**
 * A form's submit: stops the browser's own, is busy until the answer, and on a refusal maps the
 * API's complaints to `formFields` (the rest to the form's general error). `save` does the call
 * and whatever follows a success (closing the form, opening another page).
 */
export function useFormSubmit(formFields: readonly string[], save: () => Promise<void>) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      await save();
      setErrors(NO_ERRORS);
    } catch (error) {
      setErrors(formErrorsFrom(error, formFields));
    } finally {
      setBusy(false);
    }
  };
  return { errors, busy, submit };
}

/**
 * An action on one listed item (pause, delete, ping…), asked for with `confirmation` first when
 * given; its failure is kept in `error` to show beside the item until the next action.
 */
export function useItemAction() {
  const [error, setError] = useState<unknown>(null);
  const run = async (action: () => Promise<unknown>, confirmation?: string) => {
    if (confirmation !== undefined && !window.confirm(confirmation)) return;
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    }
  };
  return { error, run };
}

/** The line saying what the last action changed; `changed` sets it and reloads the list. */
export function useChangeMessage(reload: () => void) {
  const [message, setMessage] = useState<string | null>(null);
  const changed = (text: string) => {
    setMessage(text);
    reload();
  };
  return { message, changed };
}

/** Which item a page's create/edit form is open for: none (closed), a new one, or `item`. */
export interface Editor<T> {
  open: boolean;
  item: T | null;
  /** The form's key: a fresh form for each item. */
  key: string;
  create: () => void;
  edit: (item: T) => void;
  close: () => void;
}

export function useEditor<T extends { id: string }>(): Editor<T> {
  const [state, setState] = useState<{ open: boolean; item: T | null }>({ open: false, item: null });
  return {
    ...state,
    key: state.item?.id ?? "new",
    create: () => setState({ open: true, item: null }),
    edit: (item) => setState({ open: true, item }),
    close: () => setState({ open: false, item: null }),
  };
}

/** The first 100 sites by name, for the menus that pick one. */
export function useSitesByName(): Resource<Page<Site>> {
  const api = useApi();
  return useResource(() => listSites(api, { limit: 100, sort: "name:asc" }), []);
}

/** The first 100 agents by name, for the menus that pick one. */
export function useAgentsByName(): Resource<Page<Agent>> {
  const api = useApi();
  return useResource(() => listAgents(api, { limit: 100, sort: "name:asc" }), []);
}
