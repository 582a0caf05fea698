// One person's credentials: the table on "My credentials" and on a user's page.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorMessage, Loading, StatusBadges } from '../components/ui';
import { formatDate } from '../format';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { canManageFor, useSession } from '../session';
import type { Credential } from '../types';
import { CredentialActions } from './actions';
import { CredentialForm } from './form';

/**
 * `refresh` reloads the list whenever it changes (a credential added elsewhere on the page);
 * `onChanged` follows every change made here.
 */
export function CredentialList({ userId, userName, heading, refresh, onChanged }: { userId: string; userName: string; heading: string; refresh?: number; onChanged?: () => void }) {
  const session = useSession();
  const [showArchived, setShowArchived] = useState(false);
  const [adding, setAdding] = useState(false);
  const list = useLoad(() => api.credentials({ user_id: userId, archived: showArchived ? 'all' : 'false', limit: 200 }), [userId, showArchived, refresh]);
  const manage = canManageFor(session, userId);
  const fmt = session.org.date_format;

  const replace = (c: Credential) => {
    onChanged?.();
    if (!list.data) return;
    if (c.archived && !showArchived) list.setData({ ...list.data, items: list.data.items.filter((x) => x.id !== c.id) });
    else list.setData({ ...list.data, items: list.data.items.map((x) => (x.id === c.id ? c : x)) });
  };
  const remove = (id: string) => {
    onChanged?.();
    if (list.data) list.setData({ ...list.data, items: list.data.items.filter((x) => x.id !== id) });
  };

  return (
    <section aria-labelledby="cred-list-h" class="credential-list">
      <div class="section-head">
        <h2 id="cred-list-h">{heading}</h2>
        <div class="toolbar">
          <label class="check">
            <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived((e.target as HTMLInputElement).checked)} /> Show archived
          </label>
          {manage && (
            <button type="button" class="primary" onClick={() => setAdding(true)}>
              Add credential
            </button>
          )}
        </div>
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading credentials" />
      ) : list.data && list.data.items.length === 0 ? (
        <p class="empty">{showArchived ? 'No credentials.' : 'No current credentials.'}</p>
      ) : (
        list.data && (
          <div class="table-wrap">
            <table class="cards-on-mobile">
              <thead>
                <tr>
                  <th scope="col">Credential</th>
                  <th scope="col">Number</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((c) => (
                  <tr key={c.id} class={c.archived ? 'archived' : ''}>
                    <td data-label="Credential" class="name-cell">
                      <span>
                        <Link href={`/credentials/${encodeURIComponent(c.id)}`}>{c.type.name}</Link>
                        {c.version > 1 && <span class="muted small"> · v{c.version}</span>}
                        {c.approval_status === 'rejected' && !c.archived && (
                          <span class="resubmit">
                            Requested for resubmission{c.rejection_reason ? `: ${c.rejection_reason}` : ''}
                          </span>
                        )}
                      </span>
                    </td>
                    <td data-label="Number">{c.credential_number || <span class="muted">—</span>}</td>
                    <td data-label="Issued" class="date">{formatDate(c.issue_date, fmt)}</td>
                    <td data-label="Expires" class="date">{c.expiry_date ? formatDate(c.expiry_date, fmt) : <span class="muted">Never</span>}</td>
                    <td data-label="Status">
                      <StatusBadges c={c} />
                    </td>
                    <td class="row-actions">
                      <CredentialActions credential={c} onChanged={replace} onDeleted={() => remove(c.id)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      {adding && (
        <CredentialForm
          mode={{ kind: 'create', userId, userName: session.me.id === userId ? undefined : userName }}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            list.reload();
            onChanged?.();
          }}
        />
      )}
    </section>
  );
}
