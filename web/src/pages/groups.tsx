// Groups (roles, sites, crews): the list with each group's members and how many of them may
// start work, and the dialogs that create, rename and delete a group.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { Dialog, ErrorMessage, Field, Loading, Menu } from '../components/ui';
import { plural } from '../format';
import { useAction, useDebounced, useLoad } from '../hooks';
import { announce } from '../notice';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import type { Group, GroupSummary, Page } from '../types';

export function GroupsPage() {
  const { can } = useSession();
  const manage = can('credentials.manage');
  const [q, setQ] = useState('');
  const dq = useDebounced(q);
  const list = useLoad(() => api.groups({ q: dq.trim() || undefined, limit: 100 }), [dq]);
  // The counts are a convenience: the list stands without them.
  const summary = useLoad(() => api.complianceSummary().catch(() => [] as GroupSummary[]), []);
  const [extra, setExtra] = useState<Page<Group> | null>(null);
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);
  useEffect(() => {
    document.title = 'Groups · Bonafides';
  }, []);
  useEffect(() => setExtra(null), [dq]);
  const counts = new Map((summary.data ?? []).map((s) => [s.group_id, s]));
  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next_cursor : list.data?.next_cursor ?? null;
  const more = async () => {
    if (!next) return;
    const page = await api.groups({ q: dq.trim() || undefined, cursor: next, limit: 100 });
    setExtra({ items: [...(extra?.items ?? []), ...page.items], next_cursor: page.next_cursor });
  };
  const reload = () => {
    setExtra(null);
    list.reload();
    summary.reload();
  };
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Groups</h1>
          <p class="muted">Roles, sites and crews: what their members must hold before they start work.</p>
        </div>
        <div class="toolbar">
          <Link class="button" href="/check">
            Check a person
          </Link>
          {manage && (
            <button type="button" class="primary" onClick={() => setEditing('new')}>
              New group
            </button>
          )}
        </div>
      </div>
      <div class="filters" role="search" aria-label="Find groups">
        <div class="field grow">
          <label for="group-q">Search</label>
          <input id="group-q" type="search" placeholder="Group name" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </div>
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading groups" />
      ) : items.length === 0 ? (
        <p class="empty">{dq.trim() ? 'No group matches.' : manage ? 'No groups yet. Create one for a role, a site or a crew.' : 'No groups yet.'}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-on-mobile">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">Members</th>
                <th scope="col">Requirements</th>
                <th scope="col">Allow</th>
                <th scope="col">Warn</th>
                <th scope="col">Deny</th>
                {manage && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((g) => {
                const s = counts.get(g.id);
                return (
                  <tr key={g.id}>
                    <td data-label="Group" class="name-cell">
                      <span>
                        <Link href={`/groups/${encodeURIComponent(g.id)}`}>{g.name}</Link>
                        {g.description && <span class="muted small block">{g.description}</span>}
                      </span>
                    </td>
                    <td data-label="Members">{g.member_count ?? s?.members ?? 0}</td>
                    <td data-label="Requirements">{g.requirement_count ?? 0}</td>
                    <td data-label="Allow">
                      <Count n={s?.allow} tone="good" />
                    </td>
                    <td data-label="Warn">
                      <Count n={s?.warn} tone="warn" />
                    </td>
                    <td data-label="Deny">
                      <Count n={s?.deny} tone="bad" />
                    </td>
                    {manage && (
                      <td class="row-actions">
                        <Menu
                          label={`Actions for ${g.name}`}
                          items={[
                            { label: 'Rename', onSelect: () => setEditing(g) },
                            { label: 'Delete', danger: true, onSelect: () => setDeleting(g) },
                          ]}
                        />
                      </td>
                    )}
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
      {editing && (
        <GroupDialog
          group={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={(g) => {
            setEditing(null);
            if (editing === 'new') navigate(`/groups/${encodeURIComponent(g.id)}?tab=members`);
            else reload();
          }}
        />
      )}
      {deleting && (
        <DeleteGroupDialog
          group={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            reload();
          }}
        />
      )}
    </>
  );
}

/** A count in the tone of what it counts, bold when not zero; a dash while unknown. */
function Count({ n, tone }: { n: number | undefined; tone: 'good' | 'warn' | 'bad' }) {
  if (n === undefined) return <span class="muted">–</span>;
  return <span class={n > 0 ? `count-${tone}` : 'muted'}>{n}</span>;
}

/** Create a group, or rename one (name and description). */
export function GroupDialog({ group, onClose, onSaved }: { group?: Group; onClose: () => void; onSaved: (g: Group) => void }) {
  const [name, setName] = useState(group?.name ?? '');
  const [description, setDescription] = useState(group?.description ?? '');
  const { busy, error, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { name: name.trim(), description: description.trim() };
    const saved = await run(() => (group ? api.updateGroup(group.id, body) : api.createGroup(body)));
    if (saved) {
      announce(group ? `Saved ${saved.name}` : `Created ${saved.name}`);
      onSaved(saved);
    }
  };
  return (
    <Dialog title={group ? `Rename ${group.name}` : 'New group'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} fields={['name', 'description']} />
        <Field label="Name" name="name" error={error} hint="A role, a site or a crew, e.g. Electricians or Pier 4.">
          {(p) => <input {...p} required maxLength={100} autoComplete="off" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field label="Description (optional)" name="description" error={error}>
          {(p) => <textarea {...p} rows={2} value={description} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />}
        </Field>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            {group ? 'Save' : 'Create group'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** Always asked: deleting a group takes its memberships, requirements and exemptions with it. */
export function DeleteGroupDialog({ group, onClose, onDeleted }: { group: Group; onClose: () => void; onDeleted: () => void }) {
  const { busy, error, run } = useAction();
  const confirm = async () => {
    const ok = await run(async () => {
      await api.deleteGroup(group.id);
      return true;
    });
    if (ok) {
      announce(`Deleted ${group.name}`);
      onDeleted();
    }
  };
  return (
    <Dialog title={`Delete ${group.name}?`} onClose={onClose}>
      <ErrorMessage error={error} />
      <p>
        The group <strong>{group.name}</strong> will be deleted with its {plural(group.member_count ?? 0, 'membership')}, {plural(group.requirement_count ?? 0, 'requirement')} and
        their exemptions. The people and their credentials stay; the activity log keeps what happened.
      </p>
      <p class="warning-text">This cannot be undone.</p>
      <div class="actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" class="danger" disabled={busy} onClick={confirm}>
          Delete group
        </button>
      </div>
    </Dialog>
  );
}
