// One group: its members, its requirements, and the compliance matrix (members × requirements)
// from whose cells exemptions are granted.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError, complianceCsvUrl } from '../api';
import { DateInput, INVALID_DATE } from '../components/date-input';
import { Badge, Dialog, ErrorMessage, Field, Loading, Menu, Tabs } from '../components/ui';
import { UserPicker, type Picked } from '../components/user-picker';
import { formatDate, plural } from '../format';
import { useAction, useLoad } from '../hooks';
import { announce } from '../notice';
import { Link, navigate, setQuery, useLocation } from '../router';
import { useSession } from '../session';
import type { CredentialType, Enforcement, Group, GroupMember, Matrix, MatrixRow, Page, Requirement, RequirementState } from '../types';
import { DecisionBadge } from '../requirements/card';
import { decisionLabels, reasonSentence, satisfied, statusLabel, typeNames } from '../requirements/labels';
import { DeleteGroupDialog, GroupDialog } from './groups';

type Tab = 'members' | 'requirements' | 'compliance';

export function GroupPage({ id }: { id: string }) {
  const { can } = useSession();
  const loc = useLocation();
  // Reading requirements needs credentials.manage (REQUIREMENTS.md); a users.manage holder sees
  // members and the compliance matrix, whose answer names its own columns.
  const seesRequirements = can('credentials.manage');
  const asked = loc.query.get('tab');
  const tab: Tab =
    (asked === 'requirements' && seesRequirements) || asked === 'compliance' ? asked : 'members';
  const group = useLoad(() => api.group(id), [id]);
  const types = useLoad(() => api.credentialTypes(), []);
  const reqs = useLoad(() => (seesRequirements ? api.requirements(id) : Promise.resolve([])), [id, seesRequirements]);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  useEffect(() => {
    if (group.data) document.title = `${group.data.name} · Groups · Bonafides`;
  }, [group.data]);
  // Requirements name their types; fill a name the server left out from the types list.
  const requirements = useMemo(() => {
    const names = new Map((types.data?.items ?? []).map((t) => [t.id, t.name]));
    return (reqs.data ?? []).map((r) => ({ ...r, credential_types: r.credential_types.map((t) => ({ id: t.id, name: t.name || names.get(t.id) || '' })) }));
  }, [reqs.data, types.data]);
  if (group.error)
    return (
      <>
        <nav class="crumbs" aria-label="Breadcrumb">
          <Link href="/groups">Groups</Link>
        </nav>
        <h1>Group</h1>
        <ErrorMessage error={group.error} />
      </>
    );
  if (!group.data) return <Loading />;
  const g = group.data;
  // Counts on the page head follow changes made in the tabs.
  const refreshGroup = () => group.reload();
  return (
    <>
      <nav class="crumbs" aria-label="Breadcrumb">
        <Link href="/groups">Groups</Link> › <span aria-current="page">{g.name}</span>
      </nav>
      <div class="page-head">
        <div>
          <h1>{g.name}</h1>
          <p class="muted">
            {g.description ? `${g.description} · ` : ''}
            {plural(g.member_count ?? 0, 'member')} · {plural(g.requirement_count ?? requirements.length, 'requirement')}
          </p>
        </div>
        <div class="toolbar">
          <Link class="button" href={`/check?group=${encodeURIComponent(g.id)}`}>
            Check a person
          </Link>
          {can('credentials.manage') && (
            <Menu
              label={`Group actions for ${g.name}`}
              buttonLabel={
                <>
                  Group actions <span aria-hidden="true">▾</span>
                </>
              }
              items={[
                { label: 'Rename', onSelect: () => setEditing(true) },
                { label: 'Delete group', danger: true, onSelect: () => setDeleting(true) },
              ]}
            />
          )}
        </div>
      </div>
      <Tabs<Tab>
        label="Group"
        active={tab}
        tabs={[
          { key: 'members', label: 'Members' },
          ...(seesRequirements ? [{ key: 'requirements' as const, label: 'Requirements' }] : []),
          { key: 'compliance', label: 'Compliance' },
        ]}
        onChange={(t) => setQuery({ tab: t === 'members' ? undefined : t })}
      />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} class="tab-panel">
        {tab === 'members' && <MembersTab group={g} onChanged={refreshGroup} />}
        {tab === 'requirements' && (
          <RequirementsTab
            group={g}
            requirements={requirements}
            loading={reqs.loading && !reqs.data}
            error={reqs.error}
            types={types.data?.items ?? []}
            onChanged={() => {
              reqs.reload();
              refreshGroup();
            }}
          />
        )}
        {tab === 'compliance' && <ComplianceTab group={g} requirements={requirements} loading={reqs.loading && !reqs.data} />}
      </div>
      {editing && (
        <GroupDialog
          group={g}
          onClose={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            group.setData({ ...g, ...saved });
          }}
        />
      )}
      {deleting && <DeleteGroupDialog group={g} onClose={() => setDeleting(false)} onDeleted={() => navigate('/groups')} />}
    </>
  );
}

// ---- Members -------------------------------------------------------------------------------

function MembersTab({ group, onChanged }: { group: Group; onChanged: () => void }) {
  const { can, org } = useSession();
  const manage = can('users.manage');
  const list = useLoad(() => api.members(group.id, { limit: 100 }), [group.id]);
  const [extra, setExtra] = useState<Page<GroupMember> | null>(null);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<GroupMember | null>(null);
  const items = [...(list.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next_cursor : list.data?.next_cursor ?? null;
  const more = async () => {
    if (!next) return;
    const page = await api.members(group.id, { cursor: next, limit: 100 });
    setExtra({ items: [...(extra?.items ?? []), ...page.items], next_cursor: page.next_cursor });
  };
  const changed = () => {
    setExtra(null);
    list.reload();
    onChanged();
  };
  return (
    <section aria-labelledby="members-h">
      <div class="section-head">
        <h2 id="members-h">Members</h2>
        {manage && (
          <button type="button" class="primary" onClick={() => setAdding(true)}>
            Add members
          </button>
        )}
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading members" />
      ) : items.length === 0 ? (
        <p class="empty">No members yet.{manage ? ' Add the people this group is about.' : ''}</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-on-mobile">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Member since</th>
                {manage && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={m.user.id}>
                  <td data-label="Name">
                    <Link href={`/users/${encodeURIComponent(m.user.id)}`}>{m.user.name}</Link>
                    {m.status === 'deactivated' && (
                      <>
                        {' '}
                        <Badge tone="neutral">Deactivated</Badge>
                      </>
                    )}
                  </td>
                  <td data-label="Email">{m.user.email}</td>
                  <td data-label="Member since" class="date">
                    {formatDate(m.since, org.date_format)}
                  </td>
                  {manage && (
                    <td class="row-actions">
                      <button type="button" aria-label={`Remove ${m.user.name} from ${group.name}`} onClick={() => setRemoving(m)}>
                        Remove
                      </button>
                    </td>
                  )}
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
        <AddMembersDialog
          group={group}
          onClose={() => setAdding(false)}
          onAdded={() => {
            setAdding(false);
            changed();
          }}
        />
      )}
      {removing && (
        <RemoveMemberDialog
          group={group}
          member={removing}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            changed();
          }}
        />
      )}
    </section>
  );
}

function AddMembersDialog({ group, onClose, onAdded }: { group: Group; onClose: () => void; onAdded: () => void }) {
  const { org } = useSession();
  const [chosen, setChosen] = useState<Picked[]>([]);
  const [since, setSince] = useState('');
  // A new picker after each choice: empty, ready for the next name.
  const [pickerKey, setPickerKey] = useState(0);
  const { busy, error, setError, run } = useAction();
  const pickerBox = useRef<HTMLDivElement>(null);
  const pick = (u: Picked | null) => {
    if (!u) return;
    if (!chosen.some((c) => c.id === u.id)) setChosen([...chosen, u]);
    setPickerKey((k) => k + 1);
    setTimeout(() => pickerBox.current?.querySelector<HTMLInputElement>('input')?.focus(), 0);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!chosen.length) {
      const message = 'Choose at least one person.';
      setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'user_ids', code: 'required', message }] }));
      return;
    }
    if (since === INVALID_DATE) {
      const message = `Enter the date as ${org.date_format}.`;
      setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'since', code: 'invalid_date', message }] }));
      return;
    }
    const ok = await run(async () => {
      await api.addMembers(
        group.id,
        chosen.map((c) => c.id),
        since || undefined,
      );
      return true;
    });
    if (ok) {
      announce(`Added ${plural(chosen.length, 'member')} to ${group.name}`);
      onAdded();
    }
  };
  return (
    <Dialog title={`Add members to ${group.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} fields={['user_ids', 'since']} />
        <div ref={pickerBox}>
          <Field label="Person" name="user_ids" error={error} hint="Type a name or an email, then choose; add as many as needed.">
            {(p) => <UserPicker key={pickerKey} {...p} value={null} onChange={pick} />}
          </Field>
        </div>
        {chosen.length > 0 && (
          <ul class="chips" aria-label="People to add">
            {chosen.map((c) => (
              <li key={c.id}>
                {c.name}
                <button type="button" class="icon-button" aria-label={`Do not add ${c.name}`} onClick={() => setChosen(chosen.filter((x) => x.id !== c.id))}>
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <Field label="Member since (optional)" name="since" error={error} hint="The day membership began; grace periods count from it. Empty: today.">
          {(p) => <DateInput {...p} format={org.date_format} pickerLabel="Choose the day from a calendar" value={since} onChange={setSince} />}
        </Field>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            {chosen.length > 1 ? `Add ${chosen.length} members` : 'Add member'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function RemoveMemberDialog({ group, member, onClose, onRemoved }: { group: Group; member: GroupMember; onClose: () => void; onRemoved: () => void }) {
  const { busy, error, run } = useAction();
  const confirm = async () => {
    const ok = await run(async () => {
      await api.removeMember(group.id, member.user.id);
      return true;
    });
    if (ok) {
      announce(`Removed ${member.user.name} from ${group.name}`);
      onRemoved();
    }
  };
  return (
    <Dialog title={`Remove ${member.user.name}?`} onClose={onClose}>
      <ErrorMessage error={error} />
      <p>
        <strong>{member.user.name}</strong> will no longer be a member of <strong>{group.name}</strong>. Their exemptions from this group's requirements go too; their credentials
        stay.
      </p>
      <div class="actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" class="danger" disabled={busy} onClick={confirm}>
          Remove member
        </button>
      </div>
    </Dialog>
  );
}

// ---- Requirements --------------------------------------------------------------------------

const MAX_TYPES = 10;

function RequirementsTab({
  group,
  requirements,
  loading,
  error,
  types,
  onChanged,
}: {
  group: Group;
  requirements: Requirement[];
  loading: boolean;
  error?: ApiError;
  types: CredentialType[];
  onChanged: () => void;
}) {
  const { can } = useSession();
  const manage = can('credentials.manage');
  const [editing, setEditing] = useState<Requirement | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Requirement | null>(null);
  return (
    <section aria-labelledby="requirements-h">
      <div class="section-head">
        <h2 id="requirements-h">Requirements</h2>
        {manage && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            Add requirement
          </button>
        )}
      </div>
      <p class="muted small">Every requirement must be satisfied; within one, a credential of any one of its types will do.</p>
      <ErrorMessage error={error} />
      {loading ? (
        <Loading what="Loading requirements" />
      ) : requirements.length === 0 ? (
        <p class="empty">No requirements: everyone in {group.name} may start work.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-on-mobile">
            <thead>
              <tr>
                <th scope="col">Credential (any one of)</th>
                <th scope="col">Days remaining at least</th>
                <th scope="col">Grace period</th>
                <th scope="col">When not met</th>
                {manage && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {requirements.map((r) => (
                <tr key={r.id}>
                  <td data-label="Credential" class="name-cell">
                    <strong>{typeNames(r.credential_types)}</strong>
                  </td>
                  <td data-label="Days remaining">{r.min_days_remaining ? plural(r.min_days_remaining, 'day') : <span class="muted">Valid today</span>}</td>
                  <td data-label="Grace period">{r.grace_days ? `${plural(r.grace_days, 'day')} for new members` : <span class="muted">None</span>}</td>
                  <td data-label="When not met">
                    {r.enforcement === 'warn' ? <Badge tone="warn">Warn</Badge> : <Badge tone="bad">Block</Badge>}{' '}
                    <span class="muted small">{r.enforcement === 'warn' ? 'may start, with a warning' : 'may not start'}</span>
                  </td>
                  {manage && (
                    <td class="row-actions">
                      <Menu
                        label={`Actions for the requirement ${typeNames(r.credential_types)}`}
                        items={[
                          { label: 'Edit', onSelect: () => setEditing(r) },
                          { label: 'Delete', danger: true, onSelect: () => setDeleting(r) },
                        ]}
                      />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <RequirementDialog
          group={group}
          requirement={editing === 'new' ? undefined : editing}
          types={types}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      )}
      {deleting && (
        <DeleteRequirementDialog
          requirement={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            onChanged();
          }}
        />
      )}
    </section>
  );
}

function RequirementDialog({ group, requirement, types, onClose, onSaved }: { group: Group; requirement?: Requirement; types: CredentialType[]; onClose: () => void; onSaved: () => void }) {
  const [chosen, setChosen] = useState<string[]>(requirement?.credential_types.map((t) => t.id) ?? []);
  const [minDays, setMinDays] = useState(String(requirement?.min_days_remaining ?? 0));
  const [grace, setGrace] = useState(String(requirement?.grace_days ?? 0));
  const [enforcement, setEnforcement] = useState<Enforcement>(requirement?.enforcement ?? 'block');
  const { busy, error, setError, run } = useAction();
  const toggle = (id: string, on: boolean) => setChosen(on ? [...chosen, id] : chosen.filter((x) => x !== id));
  const submit = async (e: Event) => {
    e.preventDefault();
    const problems: { field: string; code: string; message: string }[] = [];
    if (chosen.length === 0) problems.push({ field: 'credential_type_ids', code: 'required', message: 'Choose at least one credential type.' });
    const whole = (s: string, max: number) => (/^\d+$/.test(s.trim()) && Number(s) <= max ? Number(s) : undefined);
    const min = whole(minDays, 3650);
    const g = whole(grace, 365);
    if (min === undefined) problems.push({ field: 'min_days_remaining', code: 'out_of_range', message: 'A whole number of days from 0 to 3650.' });
    if (g === undefined) problems.push({ field: 'grace_days', code: 'out_of_range', message: 'A whole number of days from 0 to 365.' });
    if (problems.length) {
      setError(new ApiError({ status: 422, detail: 'Some fields need attention.', errors: problems }));
      return;
    }
    const body = { credential_type_ids: chosen, min_days_remaining: min!, grace_days: g!, enforcement };
    const saved = await run(() => (requirement ? api.updateRequirement(requirement.id, body) : api.createRequirement(group.id, body)));
    if (saved) {
      announce(requirement ? 'Requirement saved' : 'Requirement added');
      onSaved();
    }
  };
  const typesMessage = error?.fieldMessage('credential_type_ids');
  return (
    <Dialog title={requirement ? 'Edit requirement' : `Add a requirement to ${group.name}`} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} fields={['credential_type_ids', 'min_days_remaining', 'grace_days', 'enforcement']} />
        <fieldset class={`type-choices${typesMessage ? ' invalid' : ''}`} aria-describedby="req-types-hint">
          <legend>Credential types</legend>
          <p class="hint" id="req-types-hint">
            A credential of any one of these satisfies the requirement (up to {MAX_TYPES}). {chosen.length > 0 && `${chosen.length} chosen.`}
          </p>
          {types.length === 0 && <p class="muted">No credential types yet.</p>}
          {types.map((t) => {
            const on = chosen.includes(t.id);
            return (
              <label class="check" key={t.id}>
                <input type="checkbox" name="credential_type_ids" value={t.id} checked={on} disabled={!on && chosen.length >= MAX_TYPES} onChange={(e) => toggle(t.id, (e.target as HTMLInputElement).checked)} /> {t.name}
              </label>
            );
          })}
          {typesMessage && (
            <p class="field-error" role="alert">
              {typesMessage}
            </p>
          )}
        </fieldset>
        <div class="field-row">
          <Field label="Days remaining at least" name="min_days_remaining" error={error} hint="The credential must stay valid this many more days. 0: valid today.">
            {(p) => <input {...p} type="number" min={0} max={3650} inputMode="numeric" value={minDays} onInput={(e) => setMinDays((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field label="Grace period (days)" name="grace_days" error={error} hint="New members have this long from joining. 0: none.">
            {(p) => <input {...p} type="number" min={0} max={365} inputMode="numeric" value={grace} onInput={(e) => setGrace((e.target as HTMLInputElement).value)} />}
          </Field>
        </div>
        <fieldset class="radios">
          <legend>When it is not met</legend>
          <label class="check">
            <input type="radio" name="enforcement" value="block" checked={enforcement === 'block'} onChange={() => setEnforcement('block')} /> Block: the person may not start work
          </label>
          <label class="check">
            <input type="radio" name="enforcement" value="warn" checked={enforcement === 'warn'} onChange={() => setEnforcement('warn')} /> Warn: the person may start, with a warning
          </label>
        </fieldset>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            {requirement ? 'Save' : 'Add requirement'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteRequirementDialog({ requirement, onClose, onDeleted }: { requirement: Requirement; onClose: () => void; onDeleted: () => void }) {
  const { busy, error, run } = useAction();
  const confirm = async () => {
    const ok = await run(async () => {
      await api.deleteRequirement(requirement.id);
      return true;
    });
    if (ok) {
      announce('Requirement deleted');
      onDeleted();
    }
  };
  return (
    <Dialog title="Delete requirement?" onClose={onClose}>
      <ErrorMessage error={error} />
      <p>
        The requirement <strong>{typeNames(requirement.credential_types)}</strong> will be deleted with its exemptions.
      </p>
      <p class="warning-text">This cannot be undone.</p>
      <div class="actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" class="danger" disabled={busy} onClick={confirm}>
          Delete requirement
        </button>
      </div>
    </Dialog>
  );
}

// ---- Compliance ----------------------------------------------------------------------------

interface Cell {
  row: MatrixRow;
  requirement: Requirement;
  state: RequirementState;
}

function ComplianceTab({ group, requirements: listed, loading }: { group: Group; requirements: Requirement[]; loading: boolean }) {
  const { org } = useSession();
  const loc = useLocation();
  const onlyDeny = loc.query.get('decision') === 'deny';
  const [tick, setTick] = useState(0);
  const matrix = useLoad(() => api.groupCompliance(group.id, { decision: onlyDeny ? ['deny'] : undefined, limit: 50 }), [group.id, onlyDeny, tick]);
  const [extra, setExtra] = useState<Matrix | null>(null);
  const [open, setOpen] = useState<Cell | null>(null);
  useEffect(() => setExtra(null), [onlyDeny, tick]);
  const rows = [...(matrix.data?.items ?? []), ...(extra?.items ?? [])];
  const next = extra ? extra.next_cursor : matrix.data?.next_cursor ?? null;
  const more = async () => {
    if (!next) return;
    const page = await api.groupCompliance(group.id, { decision: onlyDeny ? ['deny'] : undefined, cursor: next, limit: 50 });
    setExtra({ ...page, items: [...(extra?.items ?? []), ...page.items] });
  };
  const counts = matrix.data?.counts;
  // The matrix names its own columns; the group's list fills in a name it left out.
  const requirements = (matrix.data?.requirements ?? listed).map((r) => {
    const known = listed.find((x) => x.id === r.id);
    const types = r.credential_types ?? known?.credential_types ?? [];
    return { ...r, credential_types: types.map((t) => ({ id: t.id, name: t.name || known?.credential_types.find((k) => k.id === t.id)?.name || '' })) };
  });
  const byId = (row: MatrixRow) => new Map(row.requirements.map((s) => [s.requirement_id, s]));
  return (
    <section aria-labelledby="compliance-h">
      <div class="section-head">
        <h2 id="compliance-h">Compliance</h2>
        <div class="toolbar">
          <label class="check">
            <input type="checkbox" checked={onlyDeny} onChange={(e) => setQuery({ decision: (e.target as HTMLInputElement).checked ? 'deny' : undefined })} /> Only people who can't
            start
          </label>
          <a class="button" href={complianceCsvUrl(group.id)} download={`${group.name} compliance.csv`} title="Every member and requirement, as CSV">
            Download CSV
          </a>
        </div>
      </div>
      {counts && (
        <ul class="summary decisions" aria-label={`Decisions over all members of ${group.name}`}>
          {(['allow', 'warn', 'deny'] as const).map((d) => (
            <li key={d} class={`summary-card tone-${decisionLabels[d][1]}`}>
              <span class="count">{counts[d]}</span>
              <span class="label">
                {decisionLabels[d][0]}
                <span class="long">: {decisionLabels[d][2].toLowerCase()}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={matrix.error} />
      {(matrix.loading && !matrix.data) || (loading && !matrix.data?.requirements) ? (
        <Loading what="Loading compliance" />
      ) : rows.length === 0 ? (
        <p class="empty">{onlyDeny ? 'Everyone may start work.' : `${group.name} has no members yet.`}</p>
      ) : (
        <>
          {requirements.length === 0 && <p class="muted">No requirements: everyone may start work.</p>}
          <p class="muted small">Select a cell for the reason, the credential, and to grant an exemption.</p>
          <div class="table-wrap">
            <table class="cards-on-mobile matrix">
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Decision</th>
                  {requirements.map((r) => (
                    <th scope="col" key={r.id}>
                      {typeNames(r.credential_types)}
                      {r.enforcement === 'warn' && <span class="block small">(warn only)</span>}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => {
                  const states = byId(row);
                  return (
                    <tr key={row.user.id}>
                      <th scope="row" data-label="Person" class="person">
                        <span>
                          <Link href={`/users/${encodeURIComponent(row.user.id)}`}>{row.user.name}</Link>
                          <span class="muted small block">{row.user.email}</span>
                        </span>
                      </th>
                      <td data-label="Decision">
                        <DecisionBadge decision={row.decision} />
                      </td>
                      {requirements.map((r) => {
                        const s = states.get(r.id);
                        if (!s) return <td key={r.id} data-label={typeNames(r.credential_types)} />;
                        const [label, tone] = statusLabel(s, r.enforcement);
                        const why = reasonSentence(s, org.date_format, r.min_days_remaining);
                        return (
                          <td key={r.id} data-label={typeNames(r.credential_types)}>
                            <button
                              type="button"
                              class={`cell cell-${tone}`}
                              title={why}
                              aria-label={`${row.user.name}, ${typeNames(r.credential_types)}: ${label}. ${why}`}
                              onClick={() => setOpen({ row, requirement: r, state: s })}
                            >
                              <span class="cell-mark" aria-hidden="true">
                                {satisfied(s) ? (s.status === 'met' ? '✓' : s.status === 'exempt' ? '○' : '!') : s.status === 'in_grace' || r.enforcement === 'warn' ? '!' : '✕'}
                              </span>
                              {label}
                              {s.status === 'in_grace' && s.reason && <span class="cell-why">{statusLabel({ status: 'unmet', reason: s.reason }, r.enforcement)[0]}</span>}
                            </button>
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {next && (
        <button type="button" class="more" onClick={more}>
          Show more
        </button>
      )}
      {open && (
        <CellDialog
          cell={open}
          onClose={() => setOpen(null)}
          onChanged={() => {
            setOpen(null);
            setTick((t) => t + 1);
          }}
        />
      )}
    </section>
  );
}

/** One cell of the matrix: the status and why, the credential, and the exemption. */
function CellDialog({ cell, onClose, onChanged }: { cell: Cell; onClose: () => void; onChanged: () => void }) {
  const { me, org, can } = useSession();
  const { row, requirement: r, state: s } = cell;
  const types = typeNames(r.credential_types);
  const [label, tone] = statusLabel(s, r.enforcement);
  const manage = can('credentials.manage');
  const self = row.user.id === me.id;
  // The exemption in force, if any, to show who granted it and to revoke it.
  const exemptions = useLoad(() => (s.status === 'exempt' ? api.exemptions(r.id) : Promise.resolve([])), [r.id, s.status]);
  const current = exemptions.data?.find((x) => x.user.id === row.user.id);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const grant = useAction();
  const revoke = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      const message = 'Say why the person is exempt.';
      grant.setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'reason', code: 'required', message }] }));
      return;
    }
    if (until === INVALID_DATE) {
      const message = `Enter the date as ${org.date_format}.`;
      grant.setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'expires_on', code: 'invalid_date', message }] }));
      return;
    }
    const done = await grant.run(() => api.grantExemption(r.id, { user_id: row.user.id, reason: reason.trim(), ...(until ? { expires_on: until } : {}) }));
    if (done) {
      announce(`${row.user.name} is exempt from ${types}`);
      onChanged();
    }
  };
  const doRevoke = async () => {
    if (!current) return;
    const ok = await revoke.run(async () => {
      await api.revokeExemption(current.id);
      return true;
    });
    if (ok) {
      announce(`Revoked the exemption of ${row.user.name}`);
      onChanged();
    }
  };
  return (
    <Dialog title={`${row.user.name}: ${types}`} onClose={onClose}>
      <p>
        <Badge tone={tone}>{label}</Badge> {reasonSentence(s, org.date_format, r.min_days_remaining)}
      </p>
      <p class="muted small">
        {r.credential_types.length > 1 ? 'Any one of these types satisfies it. ' : ''}
        {r.enforcement === 'warn' ? 'When not met, the person may start with a warning.' : 'When not met, the person may not start work.'}
        {r.min_days_remaining > 0 && ` At least ${plural(r.min_days_remaining, 'day')} of validity must remain.`}
      </p>
      {s.credential_id && (
        <p>
          <Link href={`/credentials/${encodeURIComponent(s.credential_id)}`}>Open the credential</Link>
          {s.expiry_date && <span class="muted"> · expires {formatDate(s.expiry_date, org.date_format)}</span>}
        </p>
      )}
      {s.status === 'exempt' && (
        <div class="exemption">
          <h3>Exemption</h3>
          <ErrorMessage error={exemptions.error ?? revoke.error} />
          {current ? (
            <>
              <p>{current.reason}</p>
              <p class="muted small">
                {current.granted_by?.name ? `Granted by ${current.granted_by.name}` : 'Granted'}
                {current.expires_on ? `, last day ${formatDate(current.expires_on, org.date_format)}.` : ', until revoked.'}
              </p>
              {manage && !self && (
                <div class="actions left">
                  <button type="button" class="danger" disabled={revoke.busy} onClick={doRevoke}>
                    Revoke exemption
                  </button>
                </div>
              )}
            </>
          ) : (
            exemptions.loading && <Loading what="Loading the exemption" />
          )}
        </div>
      )}
      {!satisfied(s) && manage && self && <p class="muted">Another manager must exempt you: nobody exempts themselves.</p>}
      {!satisfied(s) && manage && !self && (
        <form onSubmit={submit} noValidate class="exemption">
          <h3>Grant an exemption</h3>
          <ErrorMessage error={grant.error} fields={['reason', 'expires_on']} />
          <Field label="Reason" name="reason" error={grant.error} hint="Recorded with your name in the activity log.">
            {(p) => <textarea {...p} rows={3} maxLength={2000} required value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />}
          </Field>
          <Field label="Last day (optional)" name="expires_on" error={grant.error} hint="Empty: until revoked.">
            {(p) => <DateInput {...p} format={org.date_format} pickerLabel="Choose the last day from a calendar" value={until} onChange={setUntil} />}
          </Field>
          <div class="actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={grant.busy}>
              Grant exemption
            </button>
          </div>
        </form>
      )}
      {(satisfied(s) || !manage || self) && (
        <div class="actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      )}
    </Dialog>
  );
}
