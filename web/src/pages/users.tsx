import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, Dialog, ErrorMessage, Field, Loading } from '../components/ui';
import { useAction, useDebounced, useLoad } from '../hooks';
import { announce } from '../notice';
import { Link, navigate, setQuery, useLocation } from '../router';
import { useSession } from '../session';
import type { User } from '../types';

export function UsersPage() {
  const { can } = useSession();
  const loc = useLocation();
  const [q, setQ] = useState(loc.query.get('q') ?? '');
  const status = loc.query.get('status') ?? '';
  const dq = useDebounced(q);
  const [extra, setExtra] = useState<{ items: User[]; next: string | null } | null>(null);
  const [adding, setAdding] = useState(false);
  const list = useLoad(() => api.users({ q: dq.trim(), status, limit: 50 }), [dq, status]);
  useEffect(() => {
    document.title = 'Users · Bonafides';
  }, []);
  useEffect(() => {
    setExtra(null);
    if ((loc.query.get('q') ?? '') !== dq) setQuery({ q: dq });
  }, [dq, status]);

  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next : list.data?.next_cursor ?? null;
  const more = async () => {
    if (!next) return;
    const page = await api.users({ q: dq.trim(), status, cursor: next, limit: 50 });
    setExtra({ items: [...(extra?.items ?? []), ...page.items], next: page.next_cursor });
  };

  return (
    <>
      <div class="page-head">
        <h1>Users</h1>
        {can('users.manage') && (
          <button type="button" class="primary" onClick={() => setAdding(true)}>
            Add user
          </button>
        )}
      </div>
      <div class="filters" role="search">
        <div class="field">
          <label for="user-search">Search</label>
          <input id="user-search" type="search" placeholder="Name or email" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="user-status">Status</label>
          <select id="user-status" value={status} onChange={(e) => setQuery({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="deactivated">Deactivated</option>
          </select>
        </div>
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading users" />
      ) : items.length === 0 ? (
        <p class="empty">No users match.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-on-mobile">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Permission set</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((u) => (
                <tr key={u.id}>
                  <td data-label="Name">
                    <Link href={`/users/${encodeURIComponent(u.id)}`}>{u.name}</Link>
                  </td>
                  <td data-label="Email">{u.email}</td>
                  <td data-label="Permission set">{u.permission_set.name}</td>
                  <td data-label="Status">{u.status === 'active' ? <Badge tone="good">Active</Badge> : <Badge tone="neutral">Deactivated</Badge>}</td>
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
      {adding && (
        <UserDialog
          onClose={() => setAdding(false)}
          onSaved={(u) => {
            setAdding(false);
            navigate(`/users/${encodeURIComponent(u.id)}`);
          }}
        />
      )}
    </>
  );
}

/** Create a user, or edit one (name, status, permission set). */
export function UserDialog({ user, onClose, onSaved }: { user?: User; onClose: () => void; onSaved: (u: User) => void }) {
  const { me, can } = useSession();
  const sets = useLoad(() => api.permissionSets(), []);
  const [name, setName] = useState(user?.name ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [setId, setSetId] = useState(user?.permission_set.id ?? '');
  const [status, setStatus] = useState(user?.status ?? 'active');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();
  const full = can('users.manage');
  const self = user?.id === me.id;
  useEffect(() => {
    if (!setId && sets.data) setSetId(sets.data.items.find((s) => s.name === 'standard')?.id ?? sets.data.items[0]?.id ?? '');
  }, [sets.data]);
  const submit = async (e: Event) => {
    e.preventDefault();
    const saved = await run(() => {
      if (!user) return api.createUser({ name: name.trim(), email: email.trim(), permission_set_id: setId, ...(password ? { password } : {}) });
      const body: Record<string, string> = {};
      if (name.trim() !== user.name) body.name = name.trim();
      if (full && !self && status !== user.status) body.status = status;
      if (full && !self && setId !== user.permission_set.id) body.permission_set_id = setId;
      return api.updateUser(user.id, body);
    });
    if (saved) {
      announce(user ? 'User saved' : `Added ${saved.name}`);
      onSaved(saved);
    }
  };
  return (
    <Dialog title={user ? `Edit ${user.name}` : 'Add user'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error ?? sets.error} fields={['name', 'email', 'permission_set_id', 'password', 'status']} />
        <Field label="Name" name="name" error={error}>
          {(p) => <input {...p} required autoComplete="off" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
        </Field>
        {!user && (
          <Field label="Email" name="email" error={error}>
            {(p) => <input {...p} type="email" required autoComplete="off" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />}
          </Field>
        )}
        <Field label="Permission set" name="permission_set_id" error={error} hint={self ? 'You cannot change your own permission set.' : undefined}>
          {(p) => (
            <select {...p} value={setId} disabled={!full || self} onChange={(e) => setSetId((e.target as HTMLSelectElement).value)}>
              {sets.data?.items.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {user && (
          <Field label="Status" name="status" error={error}>
            {(p) => (
              <select {...p} value={status} disabled={!full || self} onChange={(e) => setStatus((e.target as HTMLSelectElement).value as User['status'])}>
                <option value="active">Active</option>
                <option value="deactivated">Deactivated (cannot sign in)</option>
              </select>
            )}
          </Field>
        )}
        {!user && (
          <Field label="Password (optional)" name="password" error={error} hint="Leave empty to set one later.">
            {(p) => <input {...p} type="password" autoComplete="new-password" value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />}
          </Field>
        )}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            {user ? 'Save' : 'Add user'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
