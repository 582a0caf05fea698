import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorMessage, Loading } from '../components/ui';
import { CredentialList } from '../credentials/list';
import { useLoad } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import { UserDialog } from './users';
import { NotificationSettingsCard } from './notification-settings';
import { RequirementsCard } from '../requirements/card';

export function UserPage({ id }: { id: string }) {
  const { me, can, has } = useSession();
  const user = useLoad(() => api.user(id), [id]);
  const [editing, setEditing] = useState(false);
  // A credential added from the Requirements card shows in the list, and the other way round.
  const [cardTick, setCardTick] = useState(0);
  const [listTick, setListTick] = useState(0);
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
      {has('/api/v1/users/{id}/compliance') && <RequirementsCard userId={u.id} userName={u.name} refresh={cardTick} onChanged={() => setListTick((t) => t + 1)} />}
      <CredentialList userId={u.id} userName={u.name} heading="Credentials" refresh={listTick} onChanged={() => setCardTick((t) => t + 1)} />
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
