import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Badge, Dialog, ErrorMessage, Field, Loading, Menu, sentence, Switch } from '../components/ui';
import { parseDays, plural } from '../format';
import { useAction, useLoad } from '../hooks';
import { announce } from '../notice';
import { useSession } from '../session';
import type { CredentialType } from '../types';

export function CredentialTypesPage() {
  const { can } = useSession();
  const list = useLoad(() => api.credentialTypes(), []);
  const [editing, setEditing] = useState<CredentialType | 'new' | null>(null);
  const [deleting, setDeleting] = useState<CredentialType | null>(null);
  const manage = can('credentials.manage');
  useEffect(() => {
    document.title = 'Credential types · Bonafides';
  }, []);
  return (
    <>
      <div class="page-head">
        <h1>Credential types</h1>
        {manage && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            New credential type
          </button>
        )}
      </div>
      {!manage && <p class="muted">Only people who manage credentials can change these types.</p>}
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? (
        <Loading what="Loading credential types" />
      ) : !list.data?.items.length ? (
        <p class="empty">No credential types yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="cards-on-mobile">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Expires</th>
                <th scope="col">Reminders</th>
                <th scope="col">In use</th>
                {manage && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id}>
                  <td data-label="Name">
                    <strong>{t.name}</strong>
                  </td>
                  <td data-label="Description">{t.description || <span class="muted">—</span>}</td>
                  <td data-label="Expires">{t.expires ? <Badge tone="info">Expires</Badge> : <Badge tone="neutral">Never expires</Badge>}</td>
                  <td data-label="Reminders">{t.reminder_days?.length ? `${t.reminder_days.join(', ')} days before` : <span class="muted">Each user's own</span>}</td>
                  <td data-label="In use">{plural(t.credential_count ?? 0, 'credential')}</td>
                  {manage && (
                    <td class="row-actions">
                      <Menu
                        label={`Actions for ${t.name}`}
                        items={[
                          { label: 'Edit', onSelect: () => setEditing(t) },
                          { label: 'Delete', danger: true, onSelect: () => setDeleting(t) },
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
        <TypeDialog
          type={editing === 'new' ? undefined : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            list.reload();
          }}
        />
      )}
      {deleting && (
        <DeleteTypeDialog
          type={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setDeleting(null);
            list.reload();
          }}
        />
      )}
    </>
  );
}

function TypeDialog({ type, onClose, onSaved }: { type?: CredentialType; onClose: () => void; onSaved: () => void }) {
  const [name, setName] = useState(type?.name ?? '');
  const [description, setDescription] = useState(type?.description ?? '');
  const [expires, setExpires] = useState(type?.expires ?? true);
  const [days, setDays] = useState(type?.reminder_days?.join(', ') ?? '');
  const { busy, error, setError, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const reminder_days = parseDays(days);
    if (reminder_days === undefined) {
      const message = 'Whole numbers of days, separated by commas (for example 60, 30, 7).';
      setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'reminder_days', code: 'invalid', message }] }));
      return;
    }
    const body = { name: name.trim(), description: description.trim(), expires, reminder_days: expires ? reminder_days : null };
    const saved = await run(() => (type ? api.updateCredentialType(type.id, body) : api.createCredentialType(body)));
    if (saved) {
      announce(type ? `Saved ${saved.name}` : `Created ${saved.name}`);
      onSaved();
    }
  };
  return (
    <Dialog title={type ? `Edit ${type.name}` : 'New credential type'} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} fields={['name', 'description', 'reminder_days']} />
        <Field label="Name" name="name" error={error}>
          {(p) => <input {...p} required maxLength={100} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field label="Description (optional)" name="description" error={error}>
          {(p) => <textarea {...p} rows={2} value={description} onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />}
        </Field>
        <div class="field">
          <Switch name="expires" label="Credentials of this type expire" checked={expires} onChange={setExpires} />
          {error?.fieldMessage('expires') && <p class="field-error">{sentence(error.fieldMessage('expires')!)}</p>}
        </div>
        <Field label="Reminder days (optional)" name="reminder_days" error={error} hint="Days before expiry to remind the holder, e.g. 60, 30, 7. Empty: each user's own settings.">
          {(p) => <input {...p} inputMode="numeric" disabled={!expires} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />}
        </Field>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            {type ? 'Save' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteTypeDialog({ type, onClose, onDeleted }: { type: CredentialType; onClose: () => void; onDeleted: () => void }) {
  const { busy, error, run } = useAction();
  const confirm = async () => {
    const ok = await run(async () => {
      await api.deleteCredentialType(type.id);
      return true;
    });
    if (ok) {
      announce(`Deleted ${type.name}`);
      onDeleted();
    }
  };
  return (
    <Dialog title="Delete credential type?" onClose={onClose}>
      <ErrorMessage error={error} />
      <p>
        <strong>{type.name}</strong> will be deleted. A type can be deleted only while no credential, archived or not, uses it.
      </p>
      <div class="actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" class="danger" disabled={busy || error?.code === 'type_in_use'} onClick={confirm}>
          Delete type
        </button>
      </div>
    </Dialog>
  );
}
