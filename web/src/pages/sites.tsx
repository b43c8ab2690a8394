// Sites: the registered WordPress sites, the register/edit form, verification (each check's
// result shown) and removal.
import { useState } from "preact/hooks";
import { deleteSite, listSites, verifySite } from "../api/endpoints";
import type { Site, SiteVerification } from "../api/types";
import { StatusBadge } from "../components/badges";
import { ErrorMessage, Notice } from "../components/feedback";
import { PagedList } from "../components/paged_list";
import { formatDateTime } from "../format";
import { useApi, useChangeMessage, useEditor, useItemAction, usePagedList } from "../hooks";
import { SiteForm } from "./site_form";

function VerificationResult({ result }: { result: SiteVerification }) {
  return (
    <div class={result.ok ? "alert alert-ok" : "alert alert-error"} role="status" data-testid="verification">
      <strong>{result.ok ? "The site works." : "The site did not pass."}</strong> ({result.latency_ms} ms)
      <ul class="checks">
        {result.checks.map((check) => (
          <li key={check.name}>
            <StatusBadge status={check.ok ? "good" : "bad"} />{" "}
            <strong>{check.name.replace(/_/g, " ")}</strong>: {check.detail}
          </li>
        ))}
      </ul>
      {result.wordpress && (
        <p>
          WordPress: {result.wordpress.name} ({result.wordpress.url})
        </p>
      )}
      {result.user && (
        <p>
          User: {result.user.name} — {result.user.can_publish ? "can publish" : "cannot publish"}
        </p>
      )}
    </div>
  );
}

function SiteCard({
  site,
  onEdit,
  onChanged,
}: {
  site: Site;
  onEdit: () => void;
  onChanged: (message: string) => void;
}) {
  const api = useApi();
  const [verification, setVerification] = useState<SiteVerification | null>(null);
  const { error, run } = useItemAction();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    await run(async () => {
      setVerification(await verifySite(api, site.id));
      onChanged(`Checked ${site.name}.`);
    });
    setBusy(false);
  };
  const remove = () =>
    run(async () => {
      await deleteSite(api, site.id);
      onChanged(`Removed ${site.name}.`);
    }, `Remove the site ${site.name}? Agents that use it are left without a site.`);
  return (
    <li class="card" data-testid="site-card">
      <div class="page-head">
        <h2 class="wrap">{site.name}</h2>
        <StatusBadge status={site.verification_status} />
      </div>
      <p class="wrap">
        <a href={site.url} rel="noopener noreferrer" target="_blank">
          {site.url}
        </a>{" "}
        · user {site.username} · {site.id}
      </p>
      <p class="muted">
        Last verified: {formatDateTime(site.last_verified_at)} · rank alert threshold{" "}
        {site.rank_alert_threshold}
      </p>
      <div class="actions">
        <button type="button" onClick={verify} disabled={busy}>
          {busy ? "Verifying…" : "Verify"}
        </button>
        <button type="button" class="secondary" onClick={onEdit}>
          Edit
        </button>
        <button type="button" class="danger" onClick={remove}>
          Remove
        </button>
      </div>
      {error !== null && <ErrorMessage error={error} />}
      {verification && <VerificationResult result={verification} />}
    </li>
  );
}

export function SitesPage() {
  const api = useApi();
  const editor = useEditor<Site>();
  const sites = usePagedList((cursor) => listSites(api, { cursor, limit: 25 }), {});
  const { message, changed } = useChangeMessage(sites.reload);
  return (
    <>
      <div class="page-head">
        <h1>Sites</h1>
        <button type="button" onClick={editor.create}>
          Register a site
        </button>
      </div>
      {message && <Notice>{message}</Notice>}
      {editor.open && (
        <SiteForm
          key={editor.key}
          site={editor.item}
          onCancel={editor.close}
          onSaved={(site) => {
            editor.close();
            changed(`Saved ${site.name}. Verify it to check the connection and the user's rights.`);
          }}
        />
      )}
      <PagedList
        list={sites}
        loadingWhat="sites"
        empty="No sites yet. Register a WordPress site to publish to it."
        label="Sites"
      >
        {(items) => (
          <ul class="cards">
            {items.map((site) => (
              <SiteCard key={site.id} site={site} onEdit={() => editor.edit(site)} onChanged={changed} />
            ))}
          </ul>
        )}
      </PagedList>
    </>
  );
}
