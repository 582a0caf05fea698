// Add a credential, add a version (renewal) or edit the latest version: one form, three uses.
import { useMemo, useState } from 'preact/hooks';
import { api, ApiError, type CredentialInput } from '../api';
import { DateInput, INVALID_DATE } from '../components/date-input';
import { Dialog, ErrorMessage, Field } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { useSession } from '../session';
import { announce } from '../notice';
import type { Credential } from '../types';
import { MediaField, useMediaUploads } from './media';

export type FormMode = { kind: 'create'; userId: string; userName?: string } | { kind: 'add-version'; credential: Credential } | { kind: 'edit'; credential: Credential };

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
  const { org, settings, has } = useSession();
  // The media field appears once the server has the media API (/api/v1/media).
  const mediaOn = has('/api/v1/media');
  const types = useLoad(() => api.credentialTypes(), []);
  const existing = mode.kind === 'create' ? undefined : mode.credential;
  const [typeId, setTypeId] = useState(existing?.type.id ?? '');
  const [issue, setIssue] = useState(mode.kind === 'edit' ? existing!.issue_date : '');
  const [expiry, setExpiry] = useState(mode.kind === 'edit' ? existing!.expiry_date ?? '' : '');
  const [number, setNumber] = useState(mode.kind === 'add-version' || mode.kind === 'edit' ? existing!.credential_number ?? '' : '');
  // Media: uploaded as soon as chosen; the ids go in media_ids (the full new list on edit).
  const uploads = useMediaUploads(mode.kind === 'edit' ? existing!.media ?? [] : []);
  const { busy, error, setError, run } = useAction();

  const type = useMemo(() => types.data?.items.find((t) => t.id === typeId), [types.data, typeId]);
  // A type that never expires carries no expiry date; until the types arrive, assume it expires.
  const expires = type ? type.expires : true;

  const submit = async (e: Event) => {
    e.preventDefault();
    if (mode.kind === 'create' && !typeId) {
      const message = 'Choose a credential type.';
      setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'type_id', code: 'required', message }] }));
      return;
    }
    if (uploads.uploading) {
      const message = 'Wait until every file has been uploaded, or remove the ones still uploading.';
      setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'media_ids', code: 'uploading', message }] }));
      return;
    }
    if (mediaOn && settings.media_required && uploads.ids.length === 0) {
      const message = 'Add at least one photo or PDF: your organisation requires one for every version.';
      setError(new ApiError({ status: 422, detail: 'A photo or PDF is required.', errors: [{ field: 'media_ids', code: 'media_required', message }] }));
      return;
    }
    const bad = [
      ['issue_date', issue],
      ['expiry_date', expires ? expiry : ''],
    ].filter(([, v]) => v === INVALID_DATE);
    if (bad.length) {
      const message = `Enter the date as ${org.date_format}.`;
      setError(new ApiError({ status: 422, detail: 'Some dates are not real dates.', errors: bad.map(([field]) => ({ field, code: 'invalid_date', message })) }));
      return;
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
    const saved = await run(() => {
      switch (mode.kind) {
        case 'create':
          return api.createCredential({ ...body, user_id: mode.userId, type_id: typeId });
        case 'add-version':
          return api.addVersion(mode.credential.id, body);
        case 'edit':
          return api.editVersion(mode.credential.id, mode.credential.version, body);
      }
    });
    if (saved) {
      announce(mode.kind === 'create' ? 'Credential added' : mode.kind === 'add-version' ? `Version ${saved.version} added` : 'Version saved');
      onSaved(saved);
    }
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
          <p class="muted">
            {mode.kind === 'add-version'
              ? `A renewal: version ${existing!.version + 1} becomes the credential's current state.`
              : 'A correction of the latest version.'}
          </p>
        )}
        <div class="field-row">
          <Field label="Issue date" name="issue_date" error={error}>
            {(p) => <DateInput {...p} required format={org.date_format} pickerLabel="Choose the issue date from a calendar" value={issue} onChange={setIssue} />}
          </Field>
          {expires ? (
            <Field label="Expiry date" name="expiry_date" error={error}>
              {(p) => <DateInput {...p} required format={org.date_format} pickerLabel="Choose the expiry date from a calendar" value={expiry} onChange={setExpiry} />}
            </Field>
          ) : (
            <div class="field">
              <span class="label-like">Expiry date</span>
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
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button class="primary" type="submit" disabled={busy || uploads.uploading}>
            {uploads.uploading ? 'Uploading…' : busy ? 'Saving…' : mode.kind === 'create' ? 'Add credential' : mode.kind === 'add-version' ? 'Add version' : 'Save changes'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
