// Hash routing: every page lives at `#/<page>/<id?>`, so the server only ever serves `/` and
// `/assets/*`. parseRoute is pure; useRoute re-renders on hashchange.
import { useEffect, useState } from "preact/hooks";

export type PageName = "overview" | "agents" | "jobs" | "articles" | "sites" | "webhooks" | "api-keys";

export interface Route {
  page: PageName;
  /** The item the page shows, e.g. a job id (`#/jobs/content-1a2b3c4d`); null for the list. */
  id: string | null;
}

const PAGES: readonly PageName[] = [
  "overview",
  "agents",
  "jobs",
  "articles",
  "sites",
  "webhooks",
  "api-keys",
];

export function parseRoute(hash: string): Route {
  const [page = "", ...rest] = hash.replace(/^#\/?/, "").split("/");
  const id = rest.length > 0 ? decodeURIComponent(rest.join("/")) : null;
  if ((PAGES as readonly string[]).includes(page)) return { page: page as PageName, id };
  return { page: "overview", id: null };
}

export function href(page: PageName, id?: string): string {
  return id === undefined ? `#/${page}` : `#/${page}/${encodeURIComponent(id)}`;
}

export function navigate(page: PageName, id?: string): void {
  window.location.hash = href(page, id);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", update);
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}
