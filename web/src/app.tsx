// The application shell: the sign-in gate, then the header, the navigation and the page the hash
// route names. Owns the API client of the signed-in session and signs out when the server
// rejects the credential.
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiClient, ApiError } from "./api/client";
import { getAccount } from "./api/endpoints";
import type { Account } from "./api/types";
import { ApiContext } from "./hooks";
import { AgentsPage } from "./pages/agents";
import { ApiKeysPage } from "./pages/api_keys";
import { ArticlesPage } from "./pages/articles";
import { JobsPage } from "./pages/jobs";
import { OverviewPage } from "./pages/overview";
import { SignIn } from "./pages/sign_in";
import { SitesPage } from "./pages/sites";
import { WebhooksPage } from "./pages/webhooks";
import { href, type PageName, type Route, useRoute } from "./router";
import { forgetCredential, storeCredential, storedCredential } from "./session";

const NAVIGATION: { page: PageName; label: string }[] = [
  { page: "overview", label: "Overview" },
  { page: "agents", label: "Agents" },
  { page: "jobs", label: "Jobs" },
  { page: "articles", label: "Articles" },
  { page: "sites", label: "Sites" },
  { page: "webhooks", label: "Webhooks" },
  { page: "api-keys", label: "API keys" },
];

function CurrentPage({ route }: { route: Route }) {
  switch (route.page) {
    case "agents":
      return <AgentsPage />;
    case "jobs":
      return <JobsPage jobId={route.id} />;
    case "articles":
      return <ArticlesPage s3Key={route.id} />;
    case "sites":
      return <SitesPage />;
    case "webhooks":
      return <WebhooksPage />;
    case "api-keys":
      return <ApiKeysPage />;
    default:
      return <OverviewPage />;
  }
}

function Navigation({ current }: { current: PageName }) {
  return (
    <nav class="site-nav" aria-label="Main">
      <ul>
        {NAVIGATION.map(({ page, label }) => (
          <li key={page}>
            <a href={href(page)} aria-current={page === current ? "page" : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Shell({
  api,
  account,
  onSignOut,
}: {
  api: ApiClient;
  account: Account | null;
  onSignOut: () => void;
}) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [route.page, route.id]);
  return (
    <ApiContext.Provider value={api}>
      <a class="skip-link" href="#main" onClick={(event) => (event.preventDefault(), main.current?.focus())}>
        Skip to content
      </a>
      <header class="top-bar">
        <a class="brand" href={href("overview")}>
          seoagents
        </a>
        <span class="account" data-testid="account">
          {account ? `${account.name} · ${account.plan}` : ""}
        </span>
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <div class="layout">
        <Navigation current={route.page} />
        <main id="main" ref={main} tabIndex={-1}>
          <CurrentPage route={route} />
        </main>
      </div>
    </ApiContext.Provider>
  );
}

export function App() {
  const [credential, setCredential] = useState<string | null>(storedCredential);
  const [account, setAccount] = useState<Account | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = (message: string | null) => {
    forgetCredential();
    setCredential(null);
    setAccount(null);
    setNotice(message);
  };

  const api = useMemo(
    () =>
      credential === null
        ? null
        : new ApiClient(credential, (error: ApiError) =>
            signOut(`You were signed out: the server no longer accepts this credential (${error.message}).`),
          ),
    [credential],
  );

  useEffect(() => {
    if (api && !account) getAccount(api).then(setAccount, () => undefined);
  }, [api]);

  if (!api) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(value, signedInAccount) => {
          storeCredential(value);
          setNotice(null);
          setAccount(signedInAccount);
          setCredential(value);
        }}
      />
    );
  }
  return <Shell api={api} account={account} onSignOut={() => signOut("You have signed out.")} />;
}
