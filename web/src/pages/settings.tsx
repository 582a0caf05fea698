import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import { ErrorMessage, Field, sentence, Switch } from '../components/ui';
import { formatDate } from '../format';
import { useAction } from '../hooks';
import { announce } from '../notice';
import { useSession } from '../session';
import type { CredentialSettings, DateFormat } from '../types';

const FORMATS: DateFormat[] = ['YYYY-MM-DD', 'DD/MM/YYYY', 'MM/DD/YYYY'];

export function SettingsPage() {
  useEffect(() => {
    document.title = 'Settings · Bonafides';
  }, []);
  return (
    <>
      <div class="page-head">
        <h1>Settings</h1>
      </div>
      <div class="settings-grid">
        <OrganizationSettings />
        <CredentialSettingsForm />
      </div>
    </>
  );
}

function zones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

function OrganizationSettings() {
  const session = useSession();
  const { org } = session;
  const may = session.can('org.manage');
  const [name, setName] = useState(org.name);
  const [timezone, setTimezone] = useState(org.timezone);
  const [format, setFormat] = useState<DateFormat>(org.date_format);
  const { busy, error, run } = useAction();
  const allZones = useMemo(zones, []);
  const changed = name.trim() !== org.name || timezone.trim() !== org.timezone || format !== org.date_format;
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = {};
    if (name.trim() !== org.name) body.name = name.trim();
    if (timezone.trim() !== org.timezone) body.timezone = timezone.trim();
    if (format !== org.date_format) body.date_format = format;
    const saved = await run(() => api.updateOrganization(body));
    if (saved) {
      session.setOrg(saved);
      announce('Organisation settings saved');
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="org-h">
      <h2 id="org-h">Organisation</h2>
      {!may && <p class="muted">Only administrators change these.</p>}
      <ErrorMessage error={error} fields={['name', 'timezone', 'date_format']} />
      <fieldset disabled={!may}>
        <Field label="Name" name="name" error={error}>
          {(p) => <input {...p} required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />}
        </Field>
        <Field label="Time zone" name="timezone" error={error} hint="An IANA zone, such as Australia/Sydney. Decides what “today” is for expiry.">
          {(p) => (
            <>
              <input {...p} list="tz-list" autoComplete="off" value={timezone} onInput={(e) => setTimezone((e.target as HTMLInputElement).value)} />
              <datalist id="tz-list">
                {allZones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Date format" name="date_format" error={error}>
          {(p) => (
            <select {...p} value={format} onChange={(e) => setFormat((e.target as HTMLSelectElement).value as DateFormat)}>
              {FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f} (e.g. {formatDate('2026-12-31', f)})
                </option>
              ))}
            </select>
          )}
        </Field>
        {may && (
          <div class="actions">
            <button class="primary" type="submit" disabled={busy || !changed}>
              Save organisation
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}

function CredentialSettingsForm() {
  const session = useSession();
  const s = session.settings;
  const may = session.can('credentials.manage');
  const [form, setForm] = useState<CredentialSettings>(s);
  const [days, setDays] = useState(String(s.expiring_soon_days));
  const { busy, error, run } = useAction();
  const changed = form.media_required !== s.media_required || form.approvals_required !== s.approvals_required || days.trim() !== String(s.expiring_soon_days);
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Partial<CredentialSettings> = {};
    if (form.media_required !== s.media_required) body.media_required = form.media_required;
    if (form.approvals_required !== s.approvals_required) body.approvals_required = form.approvals_required;
    if (days.trim() !== String(s.expiring_soon_days)) body.expiring_soon_days = days.trim() === '' ? NaN : Number(days);
    const saved = await run(() => api.updateCredentialSettings(body));
    if (saved) {
      session.setSettings(saved);
      setForm(saved);
      setDays(String(saved.expiring_soon_days));
      announce('Credential settings saved');
    }
  };
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="cs-h">
      <h2 id="cs-h">Credentials</h2>
      {!may && <p class="muted">Only people who manage credentials change these.</p>}
      <ErrorMessage error={error} fields={['media_required', 'approvals_required', 'expiring_soon_days']} />
      <fieldset disabled={!may}>
        <div class="field">
          <Switch name="media_required" label="Every new version needs a photo or PDF" checked={form.media_required} onChange={(v) => setForm({ ...form, media_required: v })} />
          {error?.fieldMessage('media_required') && <p class="field-error">{sentence(error.fieldMessage('media_required')!)}</p>}
        </div>
        <div class="field">
          <Switch name="approvals_required" label="New versions need approval" checked={form.approvals_required} onChange={(v) => setForm({ ...form, approvals_required: v })} />
          {error?.fieldMessage('approvals_required') && <p class="field-error">{sentence(error.fieldMessage('approvals_required')!)}</p>}
        </div>
        <Field label="Expiring soon (days)" name="expiring_soon_days" error={error} hint="A credential that expires within this many days counts as expiring soon.">
          {(p) => <input {...p} type="number" min={0} max={3650} inputMode="numeric" value={days} onInput={(e) => setDays((e.target as HTMLInputElement).value)} />}
        </Field>
        {may && (
          <div class="actions">
            <button class="primary" type="submit" disabled={busy || !changed}>
              Save credential settings
            </button>
          </div>
        )}
      </fieldset>
    </form>
  );
}
