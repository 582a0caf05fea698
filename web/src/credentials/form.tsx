// Add a credential, add a version (renewal) or edit the latest version: one form, three uses.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, type CredentialInput } from '../api';
import { DateInput, INVALID_DATE } from '../components/date-input';
import { Dialog, ErrorMessage, Field } from '../components/ui';
import { UserPicker, type Picked } from '../components/user-picker';
import { formatDate } from '../format';
import { useAction, useLoad } from '../hooks';
import { useSession } from '../session';
import { announce } from '../notice';
import type { Credential } from '../types';
import { MediaField, useMediaUploads } from './media';

/**
 * `create` without a user (from the organisation's list) asks for one in its User field; with a
 * `typeId` (from a requirement the user lacks) the type comes chosen.
 */
export type FormMode = { kind: 'create'; userId?: string; userName?: string; typeId?: string } | { kind: 'add-version'; credential: Credential } | { kind: 'edit'; credential: Credential };

const FIELDS = ['type_id', 'issue_date', 'expiry_date', 'credential_number', 'media_ids', 'user_id'];

function title(mode: FormMode): string {
  switch (mode.kind) {
    case 'create':
      return mode.userName ? `Add credential for ${mode.userName}` : 'Add credential';
    case 'add-version':
      return `Add version: ${mode.credential.type.name}`;
    case 'edit':
      return `Edit version ${mode.credential.version}: ${mode.credential.type.name}`;
  }
}

export function CredentialForm({ mode, onClose, onSaved }: { mode: FormMode; onClose: () => void; onSaved: (c: Credential) => void }) {
  const { org, settings, has, me, can } = useSession();
  // The media field appears once the server has the media API (/api/v1/media).
  const mediaOn = has('/api/v1/media');
  const types = useLoad(() => api.credentialTypes(), []);
  const existing = mode.kind === 'create' ? undefined : mode.credential;
  const [typeId, setTypeId] = useState(existing?.type.id ?? (mode.kind === 'create' ? mode.typeId ?? '' : ''));
  const [issue, setIssue] = useState(mode.kind === 'edit' ? existing!.issue_date : '');
  const [expiry, setExpiry] = useState(mode.kind === 'edit' ? existing!.expiry_date ?? '' : '');
  const [number, setNumber] = useState(mode.kind === 'add-version' || mode.kind === 'edit' ? existing!.credential_number ?? '' : '');
  // Media: uploaded as soon as chosen; the ids go in media_ids (the full new list on edit).
  const uploads = useMediaUploads(mode.kind === 'edit' ? existing!.media ?? [] : []);
  const { busy, error, setError, run } = useAction();
  // The holder of a new credential: given by the page it is added from, or chosen here.
  const [user, setUser] = useState<Picked | null>(
    mode.kind !== 'create' ? null : mode.userId ? { id: mode.userId, name: mode.userName ?? (mode.userId === me.id ? me.name : '') } : can('users.manage') ? null : { id: me.id, name: me.name },
  );
  // Adding for someone else needs users.manage (canManageFor); anyone else adds their own.
  const mayPick = mode.kind === 'create' && can('users.manage');
  // A credential of the same type that the user already holds: asked about before a second one.
  const [duplicate, setDuplicate] = useState<Credential | null>(null);
  useEffect(() => setDuplicate(null), [typeId, user?.id]);

  const type = useMemo(() => types.data?.items.find((t) => t.id === typeId), [types.data, typeId]);
  // A type that never expires carries no expiry date; until the types arrive, assume it expires.
  const expires = type ? type.expires : true;

  /** The checks made before asking the server; the body to send, or undefined after an error. */
  const prepare = (): CredentialInput | undefined => {
    const problem = (field: string, code: string, message: string, detail = message) => {
      setError(new ApiError({ status: 422, detail, errors: [{ field, code, message }] }));
      return undefined;
    };
    if (mode.kind === 'create' && !typeId) return problem('type_id', 'required', 'Choose a credential type.');
    if (mode.kind === 'create' && !user) return problem('user_id', 'required', 'Choose the user this credential belongs to.');
    if (uploads.uploading) return problem('media_ids', 'uploading', 'Wait until every file has been uploaded, or remove the ones still uploading.');
    if (mediaOn && settings.media_required && uploads.ids.length === 0) {
      return problem('media_ids', 'media_required', 'Add at least one photo or PDF: your organisation requires one for every version.', 'A photo or PDF is required.');
    }
    const bad = [
      ['issue_date', issue],
      ['expiry_date', expires ? expiry : ''],
    ].filter(([, v]) => v === INVALID_DATE);
    if (bad.length) {
      const message = `Enter the date as ${org.date_format}.`;
      setError(new ApiError({ status: 422, detail: 'Some dates are not real dates.', errors: bad.map(([field]) => ({ field, code: 'invalid_date', message })) }));
      return undefined;
    }
    const body: CredentialInput = {
      issue_date: issue,
      credential_number: number.trim() ? number.trim() : null,
    };
    if (expires) body.expiry_date = expiry || null;
    else if (mode.kind === 'edit' && existing?.expiry_date) body.expiry_date = null;
    if (mediaOn) {
      // On edit the list replaces the old one: sent only when it changed, so that an edit of the
      // number alone records no change of media.
      const before = mode.kind === 'edit' ? (existing!.media ?? []).map((m) => m.id) : [];
      if (mode.kind !== 'edit' || before.join() !== uploads.ids.join()) body.media_ids = uploads.ids;
    }
    return body;
  };

  /**
   * Saves. A new credential of a type the user already holds waits for `choice`: 'separate', or
   * that credential, to which it is added as a version.
   */
  const save = async (choice?: 'separate' | Credential) => {
    const body = prepare();
    if (!body) return;
    if (mode.kind === 'create' && choice === undefined) {
      const same = await run(() => api.credentials({ user_id: user!.id, type_id: typeId, archived: 'false', limit: 1 }));
      if (!same) return;
      if (same.items.length) {
        setDuplicate(same.items[0]);
        return;
      }
    }
    const target = choice && choice !== 'separate' ? choice : undefined;
    const saved = await run(() => {
      if (target) return api.addVersion(target.id, body);
      switch (mode.kind) {
        case 'create':
          return api.createCredential({ ...body, user_id: user!.id, type_id: typeId });
        case 'add-version':
          return api.addVersion(mode.credential.id, body);
        case 'edit':
          return api.editVersion(mode.credential.id, mode.credential.version, body);
      }
    });
    setDuplicate(null);
    if (saved) {
      announce(mode.kind === 'edit' ? 'Version saved' : mode.kind === 'add-version' || target ? `Version ${saved.version} added` : 'Credential added');
      onSaved(saved);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    void save();
  };

  return (
    <Dialog title={title(mode)} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error ?? (types.error && types.error)} fields={FIELDS} />
        {mode.kind === 'create' ? (
          <Field label="Credential type" name="type_id" error={error}>
            {(p) => (
              <select {...p} required value={typeId} onChange={(e) => setTypeId((e.target as HTMLSelectElement).value)}>
                <option value="">Choose a type…</option>
                {types.data?.items.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <p class="form-note muted">
            {mode.kind === 'add-version'
              ? `A renewal: version ${existing!.version + 1} becomes the credential's current state.`
              : 'A correction of the latest version.'}
          </p>
        )}
        {mode.kind === 'create' && (
          <Field label="User" name="user_id" error={error}>
            {(p) =>
              mayPick ? (
                <UserPicker {...p} value={user} onChange={setUser} />
              ) : (
                <input {...p} type="text" readOnly value={user?.name ?? ''} />
              )
            }
          </Field>
        )}
        <div class="field-row">
          <Field label="Issue date" name="issue_date" error={error}>
            {(p) => <DateInput {...p} required format={org.date_format} pickerLabel="Choose the issue date from a calendar" value={issue} onChange={setIssue} />}
          </Field>
          {expires ? (
            <Field label="Expiration date" name="expiry_date" error={error}>
              {(p) => <DateInput {...p} required format={org.date_format} pickerLabel="Choose the expiration date from a calendar" value={expiry} onChange={setExpiry} />}
            </Field>
          ) : (
            <div class="field">
              <span class="label-like">Expiration date</span>
              <p class="muted">{type?.name ?? 'This type'} does not expire.</p>
            </div>
          )}
        </div>
        <Field label="Credential number (optional)" name="credential_number" error={error}>
          {(p) => <input {...p} type="text" maxLength={100} autoComplete="off" value={number} onInput={(e) => setNumber((e.target as HTMLInputElement).value)} />}
        </Field>
        {mediaOn && (
          <MediaField
            uploads={uploads}
            required={settings.media_required}
            message={error?.fieldMessage('media_ids')}
            earlier={mode.kind === 'add-version' && existing!.media?.length ? { version: existing!.version, media: existing!.media } : undefined}
          />
        )}
        {duplicate ? (
          <div class="question" role="alert">
            <p>
              {user?.id === me.id ? 'You already have' : 'This user already has'} a {duplicate.type.name} (
              {duplicate.expiry_date ? `expires ${formatDate(duplicate.expiry_date, org.date_format)}` : 'does not expire'}). Add a version to it instead?
            </p>
            <div class="actions">
              <button type="button" disabled={busy} onClick={() => save('separate')}>
                Add a separate credential
              </button>
              <button type="button" class="primary" disabled={busy} onClick={() => save(duplicate)}>
                Add a version
              </button>
            </div>
          </div>
        ) : (
          <div class="actions">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button class="primary" type="submit" disabled={busy || uploads.uploading}>
              {uploads.uploading ? 'Uploading…' : busy ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </form>
    </Dialog>
  );
}
