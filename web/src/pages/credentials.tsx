// Every credential of the organisation: the counts, a filtered table with bulk actions, and the
// "Pending approval" queue.
import { useEffect, useState } from 'preact/hooks';
import { api, exportUrl, type CredentialFilter } from '../api';
import { Dialog, ErrorMessage, Loading, StatusBadges, Tabs } from '../components/ui';
import { CredentialActions, RejectDialog, credentialName } from '../credentials/actions';
import { CredentialForm } from '../credentials/form';
import { approvalLabels, expiryLabels, formatDate, plural } from '../format';
import { useAction, useDebounced, useLoad } from '../hooks';
import { announce } from '../notice';
import { Link, setQuery, useLocation } from '../router';
import { canApproveFor, useSession } from '../session';
import type { BulkAction, BulkResult, Credential, Page } from '../types';

type View = 'all' | 'pending';

export function CredentialsPage() {
  const { can, has } = useSession();
  const loc = useLocation();
  const view: View = loc.query.get('view') === 'pending' && can('credentials.manage') ? 'pending' : 'all';
  const filter = useFilter();
  useEffect(() => {
    document.title = 'Credentials · Bonafides';
  }, []);
  // The export takes the table's filters (the pending view: what waits for approval).
  const exported = view === 'pending' ? { approval_status: ['pending'], archived: 'false' as const } : filter;
  const [adding, setAdding] = useState(false);
  // A new credential shows in the table at once (it is reloaded), whatever view was open.
  const [added, setAdded] = useState(0);
  return (
    <>
      {adding && (
        <CredentialForm
          mode={{ kind: 'create' }}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            setAdded((n) => n + 1);
          }}
        />
      )}
      <div class="page-head">
        <h1>Credentials</h1>
        {(can('credentials.manage') || can('users.manage')) && (
          <div class="toolbar">
            <button type="button" class="primary" onClick={() => setAdding(true)}>
              Add credential
            </button>
            {can('credentials.manage') && has('/api/v1/credentials/export.csv') && (
              <a class="button" href={exportUrl(exported)} download="credentials.csv" title="The credentials these filters select, as CSV">
                Download CSV
              </a>
            )}
            {can('credentials.manage') && has('/api/v1/credential-imports') && (
              <Link class="button" href="/credentials/bulk-upload">
                Bulk upload
              </Link>
            )}
          </div>
        )}
      </div>
      {can('credentials.manage') && <SummaryCards key={added} />}
      {can('credentials.manage') && (
        <Tabs<View>
          label="Credential views"
          active={view}
          tabs={[
            { key: 'all', label: 'All credentials' },
            { key: 'pending', label: 'Pending approval' },
          ]}
          onChange={(v) => setQuery({ view: v === 'all' ? undefined : v })}
        />
      )}
      <div role={can('credentials.manage') ? 'tabpanel' : undefined} id={`panel-${view}`} aria-labelledby={can('credentials.manage') ? `tab-${view}` : undefined}>
        {view === 'pending' ? <PendingQueue key={added} /> : <AllCredentials key={added} />}
      </div>
    </>
  );
}

function SummaryCards() {
  const loc = useLocation();
  // Counted again whenever the table's query changes (after bulk actions, say).
  const summary = useLoad(() => api.summary(), [loc.query.toString()]);
  const s = summary.data;
  const cards: { label: string; value?: number; tone: string; apply: Record<string, string | undefined> }[] = [
    { label: 'Pending approval', value: s?.pending_approval, tone: 'warn', apply: { view: 'pending', expiry: undefined, approval: undefined, archived: undefined } },
    { label: 'Expired', value: s?.expired, tone: 'bad', apply: { view: undefined, expiry: 'expired', approval: undefined, archived: undefined } },
    { label: 'Expiring soon', value: s?.expiring_soon, tone: 'warn', apply: { view: undefined, expiry: 'expiring_soon', approval: undefined, archived: undefined } },
    { label: 'Total', value: s?.total, tone: 'neutral', apply: { view: undefined, expiry: undefined, approval: undefined, archived: undefined } },
  ];
  if (summary.error) return <ErrorMessage error={summary.error} />;
  return (
    <ul class="summary" aria-label="Counts over current credentials">
      {cards.map((c) => (
        <li key={c.label}>
          <button type="button" class={`summary-card tone-${c.tone}`} onClick={() => setQuery(c.apply)}>
            <span class="count">{c.value ?? '–'}</span>
            <span class="label">{c.label}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The table's filters, kept in the page's query (type, expiry, approval, archived, q, sort). */
function useFilter(): CredentialFilter {
  const loc = useLocation();
  const q = loc.query;
  return {
    type_id: q.get('type') || undefined,
    expiry_status: q.get('expiry') ? [q.get('expiry')!] : undefined,
    approval_status: q.get('approval') ? [q.get('approval')!] : undefined,
    archived: (q.get('archived') as CredentialFilter['archived']) || 'false',
    q: q.get('q') || undefined,
    sort: q.get('sort') || undefined,
  };
}

function bulkOk(r: BulkResult): boolean {
  if (r.code) return false;
  if (typeof r.status === 'number') return r.status >= 200 && r.status < 300;
  return !/^(error|failed|conflict|forbidden|not_found)$/i.test(r.status);
}

function AllCredentials() {
  const session = useSession();
  const { can } = session;
  const loc = useLocation();
  const filter = useFilter();
  const [search, setSearch] = useState(loc.query.get('q') ?? '');
  const dsearch = useDebounced(search);
  const [extra, setExtra] = useState<Page<Credential> | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [report, setReport] = useState<string | null>(null);
  const bulk = useAction();
  const types = useLoad(() => api.credentialTypes(), []);
  const key = JSON.stringify(filter);
  const list = useLoad(() => api.credentials({ ...filter, limit: 50 }), [key]);
  const fmt = session.org.date_format;

  useEffect(() => {
    if ((loc.query.get('q') ?? '') !== dsearch) setQuery({ q: dsearch.trim() || undefined });
  }, [dsearch]);
  useEffect(() => {
    setExtra(null);
    setSelected(new Set());
  }, [key]);

  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next_cursor : list.data?.next_cursor ?? null;
  const more = async () => {
    if (!next) return;
    const page = await api.credentials({ ...filter, cursor: next, limit: 50 });
    setExtra({ items: [...(extra?.items ?? []), ...page.items], next_cursor: page.next_cursor });
  };
  const chosen = items.filter((c) => selected.has(c.id));
  const toggle = (id: string, on: boolean) => {
    const s = new Set(selected);
    if (on) s.add(id);
    else s.delete(id);
    setSelected(s);
  };
  const allOn = items.length > 0 && items.every((c) => selected.has(c.id));

  const runBulk = async (action: BulkAction) => {
    const ids = chosen.map((c) => c.id);
    setReport(null);
    const res = await bulk.run(() => api.bulk(action, ids));
    setConfirmDelete(false);
    if (!res) return;
    const ok = res.results.filter(bulkOk);
    const failed = res.results.filter((r) => !bulkOk(r));
    const verb = { archive: 'Archived', restore: 'Restored', delete: 'Deleted', approve: 'Approved' }[action];
    let msg = `${verb} ${plural(ok.length, 'credential')}.`;
    if (failed.length) {
      const names = failed.map((r) => {
        const c = items.find((x) => x.id === r.id);
        return `${c ? credentialName(c) : r.id}: ${r.message ?? (r.code ?? String(r.status)).replace(/_/g, ' ')}`;
      });
      msg += ` ${plural(failed.length, 'credential')} could not be changed: ${names.join('; ')}.`;
    }
    setReport(msg);
    announce(msg);
    setSelected(new Set());
    setExtra(null);
    list.reload();
  };

  const set = (k: string) => (e: Event) => setQuery({ [k]: (e.target as HTMLSelectElement).value || undefined });

  return (
    <>
      <div class="filters" role="search" aria-label="Filter credentials">
        <div class="field grow">
          <label for="cred-q">Search</label>
          <input id="cred-q" type="search" placeholder="Holder, type or number" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="cred-type">Type</label>
          <select id="cred-type" value={filter.type_id ?? ''} onChange={set('type')}>
            <option value="">All types</option>
            {types.data?.items.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="cred-expiry">Expiration status</label>
          <select id="cred-expiry" value={filter.expiry_status?.[0] ?? ''} onChange={set('expiry')}>
            <option value="">Any</option>
            {Object.entries(expiryLabels).map(([k, [label]]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="cred-approval">Approval status</label>
          <select id="cred-approval" value={filter.approval_status?.[0] ?? ''} onChange={set('approval')}>
            <option value="">Any</option>
            {Object.entries(approvalLabels).map(([k, [label]]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="cred-archived">Archived</label>
          <select id="cred-archived" value={filter.archived} onChange={set('archived')}>
            <option value="false">Current only</option>
            <option value="true">Archived only</option>
            <option value="all">Current and archived</option>
          </select>
        </div>
        <div class="field sort">
          <label for="cred-sort">Sort by</label>
          <select id="cred-sort" value={filter.sort ?? ''} onChange={set('sort')}>
            <option value="">Default</option>
            <option value="expiry_date">Expiration date, soonest first</option>
            <option value="-expiry_date">Expiration date, latest first</option>
            <option value="-updated_at">Recently changed</option>
            <option value="user_name">Holder name</option>
          </select>
        </div>
      </div>

      <div class="bulk-bar" aria-live="polite">
        <span>{chosen.length ? `${chosen.length} selected` : 'Select credentials for bulk actions'}</span>
        {chosen.length > 0 && (
          <div class="toolbar">
            <button type="button" disabled={bulk.busy} onClick={() => runBulk('archive')}>
              Archive
            </button>
            <button type="button" disabled={bulk.busy} onClick={() => runBulk('restore')}>
              Restore
            </button>
            <button type="button" class="danger" disabled={bulk.busy} onClick={() => setConfirmDelete(true)}>
              Delete
            </button>
            {can('credentials.manage') && (
              <button type="button" disabled={bulk.busy} onClick={() => runBulk('approve')}>
                Approve
              </button>
            )}
          </div>
        )}
      </div>
      <ErrorMessage error={bulk.error ?? list.error} />
      {report && (
        <p class="report" role="status">
          {report}
        </p>
      )}

      {list.loading && !list.data ? (
        <Loading what="Loading credentials" />
      ) : items.length === 0 ? (
        <p class="empty">No credentials match these filters.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-on-mobile">
            <thead>
              <tr>
                <th scope="col" class="check-col">
                  <input type="checkbox" aria-label="Select all shown" checked={allOn} onChange={(e) => setSelected((e.target as HTMLInputElement).checked ? new Set(items.map((c) => c.id)) : new Set())} />
                </th>
                <th scope="col">Holder</th>
                <th scope="col">Credential</th>
                <th scope="col">Number</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} class={c.archived ? 'archived' : ''}>
                  <td class="check-col">
                    <input type="checkbox" aria-label={`Select ${credentialName(c)}`} checked={selected.has(c.id)} onChange={(e) => toggle(c.id, (e.target as HTMLInputElement).checked)} />
                  </td>
                  <td data-label="Holder">
                    <Link href={`/users/${encodeURIComponent(c.user.id)}`}>{c.user.name}</Link>
                  </td>
                  <td data-label="Credential" class="name-cell">
                    <Link href={`/credentials/${encodeURIComponent(c.id)}`}>{c.type.name}</Link>
                  </td>
                  <td data-label="Number">{c.credential_number || <span class="muted">—</span>}</td>
                  <td data-label="Expires" class="date">{c.expiry_date ? formatDate(c.expiry_date, fmt) : <span class="muted">Never</span>}</td>
                  <td data-label="Status">
                    <StatusBadges c={c} />
                  </td>
                  <td class="row-actions">
                    <CredentialActions credential={c} onChanged={() => list.reload()} onDeleted={() => list.reload()} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" class="more" onClick={more}>
          Show more
        </button>
      )}
      {confirmDelete && (
        <Dialog title={`Delete ${plural(chosen.length, 'credential')}?`} onClose={() => setConfirmDelete(false)}>
          <p>These credentials will be deleted with every version and file:</p>
          <ul class="name-list">
            {chosen.map((c) => (
              <li key={c.id}>
                {credentialName(c)}
              </li>
            ))}
          </ul>
          <p class="warning-text">This cannot be undone.</p>
          <p>Archiving keeps them and can be undone.</p>
          <div class="actions">
            <button type="button" autoFocus onClick={() => setConfirmDelete(false)}>
              Cancel
            </button>
            <button type="button" class="danger" disabled={bulk.busy} onClick={() => runBulk('delete')}>
              Delete {plural(chosen.length, 'credential')}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

function PendingQueue() {
  const session = useSession();
  const list = useLoad(() => api.credentials({ approval_status: ['pending'], archived: 'false', sort: 'updated_at', limit: 200 }), []);
  const [rejecting, setRejecting] = useState<Credential | null>(null);
  const act = useAction();
  const fmt = session.org.date_format;
  const drop = (id: string) => list.data && list.setData({ ...list.data, items: list.data.items.filter((c) => c.id !== id) });
  const approve = async (c: Credential) => {
    const r = await act.run(() => api.approve(c.id));
    if (r) {
      announce(`Approved ${credentialName(c)}`);
      drop(c.id);
    }
  };
  return (
    <>
      <ErrorMessage error={act.error ?? list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading pending credentials" />
      ) : !list.data?.items.length ? (
        <p class="empty">Nothing is waiting for approval.</p>
      ) : (
        <ul class="pending-list">
          {list.data.items.map((c) => {
            const mayApprove = canApproveFor(session, c.user.id);
            return (
              <li key={c.id} class="card pending-item">
                <div>
                  <h3>
                    <Link href={`/credentials/${encodeURIComponent(c.id)}`}>{c.type.name}</Link> · {c.user.name}
                  </h3>
                  <p class="muted">
                    Version {c.version} · issued {formatDate(c.issue_date, fmt)} · {c.expiry_date ? `expires ${formatDate(c.expiry_date, fmt)}` : 'does not expire'}
                    {c.credential_number ? ` · ${c.credential_number}` : ''}
                  </p>
                  <p>
                    <StatusBadges c={c} />
                  </p>
                </div>
                <div class="toolbar">
                  {mayApprove ? (
                    <>
                      <button type="button" class="primary" disabled={act.busy} onClick={() => approve(c)} aria-label={`Approve ${credentialName(c)}`}>
                        Approve
                      </button>
                      <button type="button" onClick={() => setRejecting(c)} aria-label={`Reject ${credentialName(c)}`}>
                        Reject
                      </button>
                    </>
                  ) : (
                    <span class="muted small">Your own credential: another manager approves it.</span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {rejecting && (
        <RejectDialog
          credential={rejecting}
          onClose={() => setRejecting(null)}
          onDone={() => {
            drop(rejecting.id);
            setRejecting(null);
          }}
        />
      )}
    </>
  );
}
