import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorMessage, Loading } from '../components/ui';
import { CredentialList } from '../credentials/list';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import { UserDialog } from './users';
import { NotificationSettingsCard } from './notification-settings';

export function UserPage({ id }: { id: string }) {
  const { me, can, has } = useSession();
  const user = useLoad(() => api.user(id), [id]);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (user.data) document.title = `${user.data.name} · Bonafides`;
  }, [user.data]);
  if (user.error)
    return (
      <>
        <h1>User</h1>
        <ErrorMessage error={user.error} />
      </>
    );
  if (!user.data) return <Loading />;
  const u = user.data;
  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link href="/users">Users</Link> › <span aria-current="page">{u.name}</span>
      </nav>
      <div class="page-head">
        <div>
          <h1>{u.name}</h1>
          <p class="muted">
            {u.email} · {u.permission_set.name} · {u.status === 'active' ? <Badge tone="good">Active</Badge> : <Badge tone="neutral">Deactivated</Badge>}
          </p>
        </div>
        {(can('users.manage') || u.id === me.id) && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit user
          </button>
        )}
      </div>
      <CredentialList userId={u.id} userName={u.name} heading="Credentials" />
      {can('users.manage') && has('/api/v1/users/{id}/notification-settings') && (
        <NotificationSettingsCard userId={u.id} userName={u.id === me.id ? undefined : u.name} digest={(u.permissions ?? []).includes('credentials.manage')} />
      )}
      {editing && (
        <UserDialog
          user={u}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            user.setData(saved);
          }}
        />
      )}
    </>
  );
}
