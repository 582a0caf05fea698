// Notification settings (API.md "Notifications"): one's own on the profile, anyone's on their
// user page for users.manage.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { ErrorMessage, Field, Loading, sentence, Switch } from '../components/ui';
import { parseDays } from '../format';
import { useAction, useLoad } from '../hooks';
import { announce } from '../notice';
import type { NotificationSettings } from '../types';

interface Props {
  /** Whose settings: someone else's (users.manage), or the signed-in user's when left out. */
  userId?: string;
  userName?: string;
  /** Offer the manager digest (only for holders of credentials.manage). */
  digest: boolean;
}

export function NotificationSettingsCard({ userId, userName, digest }: Props) {
  const loaded = useLoad(() => api.notificationSettings(userId), [userId]);
  return (
    <section class="card notification-settings" aria-labelledby="notify-h">
      <h2 id="notify-h">Notification settings</h2>
      <p class="muted">{userName ? `How ${userName} hears about expiring credentials.` : 'How you hear about expiring credentials.'}</p>
      <ErrorMessage error={loaded.error} />
      {loaded.data ? (
        <SettingsForm key={userId ?? 'me'} initial={loaded.data} userId={userId} digest={digest} onSaved={loaded.setData} />
      ) : (
        !loaded.error && <Loading what="Loading notification settings" />
      )}
    </section>
  );
}

function SettingsForm({ initial, userId, digest, onSaved }: { initial: NotificationSettings; userId?: string; digest: boolean; onSaved: (s: NotificationSettings) => void }) {
  const [s, setS] = useState(initial);
  const [days, setDays] = useState(initial.days_before.join(', '));
  const { busy, error, setError, run } = useAction();
  useEffect(() => {
    setS(initial);
    setDays(initial.days_before.join(', '));
  }, [initial]);
  const set = <K extends keyof NotificationSettings>(k: K) => (v: NotificationSettings[K]) => setS((x) => ({ ...x, [k]: v }));

  const submit = async (e: Event) => {
    e.preventDefault();
    const parsed = parseDays(days);
    if (parsed === undefined) {
      const message = 'Write whole numbers of days separated by commas, such as 30, 7, 1.';
      setError(new ApiError({ status: 422, detail: 'The reminder days are not numbers.', errors: [{ field: 'days_before', code: 'invalid', message }] }));
      return;
    }
    // PUT replaces the settings, so every field is sent. The digest is for credentials.manage
    // only: for anyone else it is off.
    const body: NotificationSettings = {
      email: s.email,
      in_app: s.in_app,
      expiry_reminders: s.expiry_reminders,
      days_before: parsed ?? [],
      on_expiry: s.on_expiry,
      manager_digest: digest && s.manager_digest,
    };
    const saved = await run(() => api.updateNotificationSettings(body, userId));
    if (saved) {
      onSaved(saved);
      announce('Notification settings saved');
    }
  };

  const silent = !s.email && !s.in_app;
  return (
    <form onSubmit={submit} noValidate>
      <ErrorMessage error={error} fields={['email', 'in_app', 'expiry_reminders', 'days_before', 'on_expiry', 'manager_digest']} />
      <fieldset class="switches">
        <legend class="label-like">Send notifications by</legend>
        <Switch name="email" label="Email" checked={s.email} onChange={set('email')} />
        <Switch name="in_app" label="In the app" checked={s.in_app} onChange={set('in_app')} />
        {silent && <p class="hint warn-hint">With both off, no reminder reaches anyone.</p>}
        <FieldMessage error={error} field="email" />
        <FieldMessage error={error} field="in_app" />
      </fieldset>
      <fieldset class="switches">
        <legend class="label-like">Expiry reminders</legend>
        <Switch name="expiry_reminders" label="Remind before a credential expires" checked={s.expiry_reminders} onChange={set('expiry_reminders')} />
        <FieldMessage error={error} field="expiry_reminders" />
      </fieldset>
      <Field label="Days before expiry" name="days_before" error={error} hint="Comma-separated lead times, such as 30, 7, 1 (each 1 to 3650 days). A credential type may set its own.">
        {(p) => <input {...p} type="text" inputMode="numeric" autoComplete="off" disabled={!s.expiry_reminders} value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />}
      </Field>
      <fieldset class="switches">
        <Switch name="on_expiry" label="A notice on the day of expiry" checked={s.on_expiry} onChange={set('on_expiry')} />
        <FieldMessage error={error} field="on_expiry" />
        {digest && (
          <>
            <Switch name="manager_digest" label="Daily digest of pending approvals and expiring credentials" checked={s.manager_digest} onChange={set('manager_digest')} />
            <FieldMessage error={error} field="manager_digest" />
          </>
        )}
      </fieldset>
      <div class="actions left">
        <button class="primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save notification settings'}
        </button>
      </div>
    </form>
  );
}

function FieldMessage({ error, field }: { error?: ApiError; field: string }) {
  const m = error?.fieldMessage(field);
  return m ? <p class="field-error">{sentence(m)}</p> : null;
}
