// One credential: the selected version (the latest unless another is chosen), its history and
// the activity of each version.
import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { ApprovalBadge, Change, ErrorMessage, Loading, StatusBadges, Tabs, useMedia } from '../components/ui';
import { CredentialActions } from '../credentials/actions';
import { MediaGallery } from '../credentials/media';
import { fieldLabel, formatDate, formatTimestamp } from '../format';
import { useLoad } from '../hooks';
import { Link, navigate, setQuery, useLocation } from '../router';
import { useSession } from '../session';
import type { Credential, Version } from '../types';

type Tab = 'details' | 'history' | 'activity';

export function CredentialPage({ id }: { id: string }) {
  const session = useSession();
  const loc = useLocation();
  const cred = useLoad(() => api.credential(id), [id]);
  const versions = useLoad(() => api.versions(id), [id, cred.data?.version, cred.data?.approval_status, cred.data?.updated_at]);
  const asked = loc.query.get('tab');
  const tab: Tab = asked === 'activity' || asked === 'history' ? asked : 'details';
  // The tabs are a column on the left on wide screens (as the article has them), a row on phones.
  const wide = useMedia('(min-width: 821px)');
  const c = cred.data;
  const selectedN = Number(loc.query.get('version')) || c?.version || 0;
  const selected: Version | Credential | undefined = versions.data?.find((v) => v.version === selectedN) ?? (c && selectedN === c.version ? c : undefined);

  useEffect(() => {
    if (c) document.title = `${c.type.name} · ${c.user.name} · Bonafides`;
  }, [c?.type.name, c?.user.name]);

  if (cred.error)
    return (
      <>
        <h1>Credential</h1>
        <ErrorMessage error={cred.error} />
      </>
    );
  if (!c) return <Loading what="Loading credential" />;
  const holderHref = c.user.id === session.me.id ? '/me' : `/users/${encodeURIComponent(c.user.id)}`;
  const select = (n: number) => setQuery({ version: n === c.version ? undefined : String(n) });
  // Choosing a version in the history shows its details.
  const open = (n: number) => setQuery({ version: n === c.version ? undefined : String(n), tab: undefined });

  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link href={holderHref}>{c.user.id === session.me.id ? 'My credentials' : c.user.name}</Link> › <span aria-current="page">{c.type.name}</span>
      </nav>
      <div class="page-head">
        <div>
          <h1>{c.type.name}</h1>
          <p class="muted">
            Held by <Link href={holderHref}>{c.user.name}</Link> · version {c.version}
          </p>
          <p>
            <StatusBadges c={c} />
          </p>
        </div>
        <CredentialActions
          credential={c}
          approvalButtons
          onChanged={(n) => {
            cred.setData(n);
            setQuery({ version: undefined });
          }}
          onDeleted={() => navigate(holderHref)}
        />
      </div>

      {selected && selected.version !== c.version && (
        <p class="notice-line">
          You are looking at an earlier version.{' '}
          <button type="button" class="link-button" onClick={() => select(c.version)}>
            Show the latest version
          </button>
        </p>
      )}
      <div class={`credential-body${wide ? ' side-tabs' : ''}`}>
        <Tabs<Tab>
          label="Credential"
          vertical={wide}
          active={tab}
          tabs={[
            { key: 'details', label: 'Details' },
            { key: 'history', label: `History (${versions.data?.length ?? c.version})` },
            { key: 'activity', label: 'Activity' },
          ]}
          onChange={(t) => setQuery({ tab: t === 'details' ? undefined : t })}
        />
        <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="tab-panel">
          {tab === 'details' ? (
            selected ? (
              <VersionDetails v={selected} latest={selected.version === c.version} credential={c} />
            ) : (
              <Loading what="Loading the version" />
            )
          ) : (
            <>
              <ErrorMessage error={versions.error} />
              {tab === 'history' ? (
                !versions.data ? (
                  <Loading what="Loading history" />
                ) : (
                  <History versions={versions.data} latest={c.version} selected={selectedN} onSelect={open} />
                )
              ) : (
                <VersionActivityPanel credential={c} versions={versions.data ?? []} selected={selectedN} onSelect={select} />
              )}
            </>
          )}
        </div>
      </div>
    </>
  );
}

function VersionDetails({ v, latest, credential }: { v: Version | Credential; latest: boolean; credential: Credential }) {
  const { org, has } = useSession();
  const fmt = org.date_format;
  const tz = org.timezone;
  const status = latest ? credential.expiry_status : (v as Version).expiry_status;
  return (
    <section class="card details" aria-labelledby="version-h">
      <h2 id="version-h">
        Version {v.version}
        {latest ? ' (latest)' : ''}
      </h2>
      <dl>
        <div>
          <dt>Issue date</dt>
          <dd>{formatDate(v.issue_date, fmt)}</dd>
        </div>
        <div>
          <dt>Expiration date</dt>
          <dd>{v.expiry_date ? formatDate(v.expiry_date, fmt) : 'Does not expire'}</dd>
        </div>
        <div>
          <dt>Credential number</dt>
          <dd>{v.credential_number || '—'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <StatusBadges c={{ archived: credential.archived, expiry_status: status, approval_status: v.approval_status }} />
          </dd>
        </div>
        {v.approval_status === 'rejected' && v.rejection_reason && (
          <div class="wide">
            <dt>Reason for rejection</dt>
            <dd>{v.rejection_reason}</dd>
          </div>
        )}
        {'approved_by' in v && v.approved_by && (
          <div>
            <dt>{v.approval_status === 'rejected' ? 'Rejected by' : 'Approved by'}</dt>
            <dd>
              {v.approved_by.name}
              {v.approved_at ? `, ${formatTimestamp(v.approved_at, fmt, tz)}` : ''}
            </dd>
          </div>
        )}
        <div>
          <dt>Added</dt>
          <dd>
            {formatTimestamp(v.created_at, fmt, tz)}
            {v.created_by ? ` by ${v.created_by.name}` : ''}
          </dd>
        </div>
        <div>
          <dt>Last changed</dt>
          <dd>
            {formatTimestamp(v.updated_at, fmt, tz)}
            {v.updated_by ? ` by ${v.updated_by.name}` : ''}
          </dd>
        </div>
      </dl>
      {(has('/api/v1/media') || v.media?.length > 0) && (
        <>
          <h3 class="media-h">Photos and PDFs</h3>
          <MediaGallery media={v.media ?? []} label={`Files of version ${v.version}`} />
        </>
      )}
    </section>
  );
}

function History({ versions, latest, selected, onSelect }: { versions: Version[]; latest: number; selected: number; onSelect: (n: number) => void }) {
  const { org } = useSession();
  const fmt = org.date_format;
  return (
    <div class="table-wrap">
      <table class="cards-on-mobile history">
        <caption class="visually-hidden">Every version, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Issued</th>
            <th scope="col">Expires</th>
            <th scope="col">Number</th>
            <th scope="col">Files</th>
            <th scope="col">Approval</th>
            <th scope="col">Added</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version} class={v.version === selected ? 'selected' : ''}>
              <td data-label="Version">
                <button type="button" class="link-button" aria-pressed={v.version === selected} onClick={() => onSelect(v.version)}>
                  Version {v.version}
                  {v.version === latest ? ' (latest)' : ''}
                </button>
              </td>
              <td data-label="Issued" class="date">{formatDate(v.issue_date, fmt)}</td>
              <td data-label="Expires" class="date">{v.expiry_date ? formatDate(v.expiry_date, fmt) : 'Never'}</td>
              <td data-label="Number">{v.credential_number || '—'}</td>
              <td data-label="Files">
                {/* Names only: every preview fetched is a download in the activity log. */}
                {v.media?.length ? (
                  <span class="file-names" title={v.media.map((m) => m.filename).join(', ')}>
                    {v.media.length === 1 ? v.media[0].filename : `${v.media.length} files`}
                  </span>
                ) : (
                  <span class="muted">None</span>
                )}
              </td>
              <td data-label="Approval">
                <ApprovalBadge status={v.approval_status} />
              </td>
              <td data-label="Added">
                {formatTimestamp(v.created_at, fmt, org.timezone)}
                {v.created_by ? ` · ${v.created_by.name}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function VersionActivityPanel({ credential, versions, selected, onSelect }: { credential: Credential; versions: Version[]; selected: number; onSelect: (n: number) => void }) {
  const { org } = useSession();
  const n = selected || credential.version;
  const act = useLoad(() => api.versionActivity(credential.id, n), [credential.id, n, credential.updated_at]);
  const numbers = versions.length ? versions.map((v) => v.version) : Array.from({ length: credential.version }, (_, i) => credential.version - i);
  return (
    <>
      <div class="filters">
        <div class="field">
          <label for="activity-version">Version</label>
          <select id="activity-version" value={String(n)} onChange={(e) => onSelect(Number((e.target as HTMLSelectElement).value))}>
            {numbers.map((v) => (
              <option key={v} value={String(v)}>
                Version {v}
                {v === credential.version ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorMessage error={act.error} />
      {act.loading && !act.data ? (
        <Loading what="Loading activity" />
      ) : act.data && act.data.length === 0 ? (
        <p class="empty">No changes recorded for version {n}.</p>
      ) : (
        act.data && (
          <div class="table-wrap">
            <table class="cards-on-mobile">
              <caption class="visually-hidden">Changes of version {n}</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {act.data.map((a, i) => (
                  <tr key={i}>
                    <td data-label="When">{formatTimestamp(a.at, org.date_format, org.timezone)}</td>
                    <td data-label="Who">{a.actor?.name ?? 'System'}</td>
                    <td data-label="What">{fieldLabel(a.field)}</td>
                    <td data-label="Change">
                      <Change old={a.old} now={a.new} format={org.date_format} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
    </>
  );
}
