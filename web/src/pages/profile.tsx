import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Dialog, ErrorMessage, Field } from '../components/ui';
import { CredentialList } from '../credentials/list';
import { useAction } from '../hooks';
import { announce } from '../notice';
import { useSession } from '../session';
import { NotificationSettingsCard } from './notification-settings';
import { RequirementsCard } from '../requirements/card';

export function ProfilePage() {
  const { me, can, has } = useSession();
  const [editing, setEditing] = useState<'name' | 'password' | null>(null);
  // A credential added from the Requirements card shows in the list, and the other way round.
  const [cardTick, setCardTick] = useState(0);
  const [listTick, setListTick] = useState(0);
  useEffect(() => {
    document.title = 'My credentials · Bonafides';
  }, []);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>My credentials</h1>
          <p class="muted">
            {me.name} · {me.email} · {me.permission_set.name}
          </p>
        </div>
        <div class="toolbar">
          <button type="button" onClick={() => setEditing('name')}>
            Change name
          </button>
          <button type="button" onClick={() => setEditing('password')}>
            Change password
          </button>
        </div>
      </div>
      {has('/api/v1/me/compliance') && <RequirementsCard refresh={cardTick} onChanged={() => setListTick((t) => t + 1)} />}
      <CredentialList userId={me.id} userName={me.name} heading="Credentials" refresh={listTick} onChanged={() => setCardTick((t) => t + 1)} />
      {has('/api/v1/me/notification-settings') && <NotificationSettingsCard digest={can('credentials.manage')} />}
      {editing === 'name' && <NameDialog onClose={() => setEditing(null)} />}
      {editing === 'password' && <PasswordDialog onClose={() => setEditing(null)} />}
    </>
  );
}

function NameDialog({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const [name, setName] = useState(session.me.name);
  const { busy, error, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const u = await run(() => api.updateUser(session.me.id, { name: name.trim() }));
    if (u) {
      session.setMe(u);
      announce('Name changed');
      onClose();
    }
  };
  return (
    <Dialog title="Change name" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} fields={['name']} />
        <Field label="Name" name="name" error={error}>
          {(p) => <input {...p} required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
        </Field>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function PasswordDialog({ onClose }: { onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, setError, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (next !== again) {
      const message = 'The two new passwords differ.';
      setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'new_password_again', code: 'mismatch', message }] }));
      return;
    }
    const ok = await run(async () => {
      await api.changePassword(current, next);
      return true;
    });
    if (ok) {
      announce('Password changed');
      onClose();
    }
  };
  return (
    <Dialog title="Change password" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} fields={['current_password', 'new_password', 'new_password_again']} />
        <Field label="Current password" name="current_password" error={error}>
          {(p) => <input {...p} type="password" autoComplete="current-password" value={current} onInput={(e) => setCurrent((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field label="New password" name="new_password" error={error}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={next} onInput={(e) => setNext((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field label="New password again" name="new_password_again" error={error}>
          {(p) => <input {...p} type="password" autoComplete="new-password" value={again} onInput={(e) => setAgain((e.target as HTMLInputElement).value)} />}
        </Field>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </Dialog>
  );
}
