import { useEffect } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorMessage, Loading } from '../components/ui';
import { formatTimestamp } from '../format';
import { useAction, useLoad } from '../hooks';
import { announce } from '../notice';
import { Link } from '../router';
import { useSession } from '../session';
import type { AppNotification } from '../types';

const kinds: Record<string, [string, 'warn' | 'bad' | 'good' | 'info']> = {
  expiry_reminder: ['Expiring', 'warn'],
  expired: ['Expired', 'bad'],
  rejected: ['Resubmit', 'bad'],
  approved: ['Approved', 'good'],
  digest: ['Digest', 'info'],
};

export function NotificationsPage({ onChanged }: { onChanged: () => void }) {
  const { org } = useSession();
  const list = useLoad(() => api.notifications({ limit: 100 }), []);
  const act = useAction();
  useEffect(() => {
    document.title = 'Notifications · Bonafides';
  }, []);
  const markRead = async (n: AppNotification) => {
    const ok = await act.run(() => api.markRead(n.id).then(() => true));
    if (ok && list.data) {
      list.setData({ ...list.data, items: list.data.items.map((x) => (x.id === n.id ? { ...x, read_at: new Date().toISOString() } : x)) });
      onChanged();
    }
  };
  const all = async () => {
    const ok = await act.run(() => api.markAllRead().then(() => true));
    if (ok) {
      announce('All notifications marked read');
      list.reload();
      onChanged();
    }
  };
  const unread = list.data?.items.filter((n) => !n.read_at).length ?? 0;
  return (
    <>
      <div class="page-head">
        <h1>Notifications</h1>
        {unread > 0 && (
          <button type="button" onClick={all} disabled={act.busy}>
            Mark all read
          </button>
        )}
      </div>
      <ErrorMessage error={act.error ?? list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading notifications" />
      ) : !list.data?.items.length ? (
        <p class="empty">No notifications.</p>
      ) : (
        <ul class="pending-list">
          {list.data.items.map((n) => {
            const [label, tone] = kinds[n.kind] ?? [n.kind, 'info'];
            return (
              <li key={n.id} class={`card pending-item${n.read_at ? ' read' : ''}`}>
                <div>
                  <h3>
                    <Badge tone={tone}>{label}</Badge>{' '}
                    {n.credential_id ? <Link href={`/credentials/${encodeURIComponent(n.credential_id)}`}>{n.title}</Link> : n.title}
                    {!n.read_at && <span class="visually-hidden"> (unread)</span>}
                  </h3>
                  {n.body && <p>{n.body}</p>}
                  <p class="muted small">{formatTimestamp(n.created_at, org.date_format, org.timezone)}</p>
                </div>
                {!n.read_at && (
                  <button type="button" onClick={() => markRead(n)} disabled={act.busy} aria-label={`Mark “${n.title}” read`}>
                    Mark read
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
