import { useEffect, useState } from 'preact/hooks';
import { api, type ActivityFilter } from '../api';
import { DateInput, INVALID_DATE } from '../components/date-input';
import { Change, ErrorMessage, Loading } from '../components/ui';
import { actionLabel, fieldLabel, formatTimestamp } from '../format';
import { useLoad } from '../hooks';
import { Link, setQuery, useLocation } from '../router';
import { useSession } from '../session';
import type { ActivityEntry, Page } from '../types';

const ACTIONS = [
  'credential.created',
  'credential.version_added',
  'credential.version_edited',
  'credential.approved',
  'credential.rejected',
  'credential.archived',
  'credential.restored',
  'credential.deleted',
  'credential.imported',
  'credential_type.created',
  'credential_type.updated',
  'credential_type.deleted',
  'user.created',
  'user.updated',
  'user.deactivated',
  'session.created',
  'token.created',
  'token.revoked',
  'organization.updated',
  'settings.updated',
  'media.uploaded',
  'media.downloaded',
  'notification.sent',
];

/**
 * Entries that drown the changes: sign-ins, and the previews the interface fetches to show a
 * file (each is a media.downloaded of variant thumbnail). Hidden unless asked for.
 */
function routine(a: ActivityEntry): boolean {
  if (a.action === 'session.created') return true;
  return a.action === 'media.downloaded' && !!a.changes?.some((c) => c.field === 'variant' && c.new === 'thumbnail');
}

function entityLink(a: ActivityEntry) {
  if (a.action === 'credential.deleted') return null;
  const credential = a.credential_id ?? (a.entity === 'credential' ? a.entity_id : null);
  if (credential) return `/credentials/${encodeURIComponent(credential)}${a.version ? `?version=${a.version}` : ''}`;
  if (a.entity === 'user') return `/users/${encodeURIComponent(a.entity_id)}`;
  return null;
}

export function ActivityPage() {
  const { org, can } = useSession();
  const loc = useLocation();
  const filter: ActivityFilter = {
    action: loc.query.get('action') || undefined,
    since: loc.query.get('since') || undefined,
    until: loc.query.get('until') || undefined,
    user_id: loc.query.get('user_id') || undefined,
    credential_id: loc.query.get('credential_id') || undefined,
    actor_id: loc.query.get('actor_id') || undefined,
  };
  const key = JSON.stringify(filter);
  const list = useLoad(() => api.activity({ ...filter, limit: 50 }), [key]);
  const [extra, setExtra] = useState<Page<ActivityEntry> | null>(null);
  // Routine entries show when asked for, or when the action filter names one.
  const showRoutine = loc.query.get('routine') === 'shown' || !!filter.action;
  const [autoLoads, setAutoLoads] = useState(0);
  useEffect(() => {
    setExtra(null);
    setAutoLoads(0);
  }, [key]);
  useEffect(() => {
    document.title = 'Activity · Bonafides';
  }, []);
  const all = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const items = showRoutine ? all : all.filter((a) => !routine(a));
  const next = extra ? extra.next_cursor : list.data?.next_cursor ?? null;
  const more = async () => {
    if (!next) return;
    const page = await api.activity({ ...filter, cursor: next, limit: 50 });
    setExtra({ items: [...(extra?.items ?? []), ...page.items], next_cursor: page.next_cursor });
  };
  // A page mostly of hidden entries: fetch a few more pages by itself, so the list is not empty.
  useEffect(() => {
    if (list.loading || !next || items.length >= 20 || autoLoads >= 4) return;
    setAutoLoads(autoLoads + 1);
    void more();
  }, [list.loading, next, items.length]);

  if (!can('credentials.manage'))
    return (
      <>
        <h1>Activity</h1>
        <p>The activity log is open to people who manage credentials.</p>
      </>
    );
  const set = (k: string) => (e: Event) => setQuery({ [k]: (e.target as HTMLInputElement).value || undefined });
  const fmt = org.date_format;
  return (
    <>
      <div class="page-head">
        <h1>Activity</h1>
      </div>
      <div class="filters" role="search" aria-label="Filter activity">
        <div class="field">
          <label for="act-action">Action</label>
          <select id="act-action" value={filter.action ?? ''} onChange={set('action')}>
            <option value="">Any</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {actionLabel(a)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="act-since">From</label>
          <DateInput id="act-since" name="since" format={fmt} pickerLabel="Choose the first day from a calendar" value={filter.since ?? ''} onChange={(v) => v !== INVALID_DATE && setQuery({ since: v || undefined })} />
        </div>
        <div class="field">
          <label for="act-until">To</label>
          <DateInput id="act-until" name="until" format={fmt} pickerLabel="Choose the last day from a calendar" value={filter.until ?? ''} onChange={(v) => v !== INVALID_DATE && setQuery({ until: v || undefined })} />
        </div>
        <label class="check routine-toggle">
          <input type="checkbox" checked={showRoutine} disabled={!!filter.action} onChange={(e) => setQuery({ routine: (e.target as HTMLInputElement).checked ? 'shown' : undefined })} /> Show sign-ins and file previews
        </label>
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading activity" />
      ) : items.length === 0 ? (
        <p class="empty">No activity matches.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-on-mobile activity">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Whose</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => {
                const href = entityLink(a);
                return (
                  <tr key={a.id}>
                    <td data-label="When">{formatTimestamp(a.at, fmt, org.timezone)}</td>
                    <td data-label="Who">{a.actor?.name ?? 'System'}</td>
                    <td data-label="What">{href ? <Link href={href}>{actionLabel(a.action)}</Link> : actionLabel(a.action)}</td>
                    <td data-label="Whose">{a.subject_user?.name ?? <span class="muted">—</span>}</td>
                    <td data-label="Changes">
                      {a.changes?.length ? (
                        <ul class="changes">
                          {a.changes.map((ch, i) => (
                            <li key={i}>
                              {fieldLabel(ch.field)}: <Change old={ch.old} now={ch.new} format={fmt} />
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" class="more" onClick={more}>
          Show more
        </button>
      )}
    </>
  );
}
