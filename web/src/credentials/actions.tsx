// The actions on one credential: its menu, and the dialogs behind it.
import { useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Dialog, ErrorMessage, Field, Menu } from '../components/ui';
import { useAction } from '../hooks';
import { announce } from '../notice';
import { navigate } from '../router';
import { canApproveFor, canManageFor, useSession } from '../session';
import type { Credential } from '../types';
import { CredentialForm, type FormMode } from './form';

export function credentialName(c: Credential): string {
  return `${c.type.name} of ${c.user.name}`;
}

/**
 * Confirms the irreversible delete of a credential, archived or not (PRODUCT.md "Archive, restore,
 * delete"), and offers archiving, the reversible alternative, while it is not archived yet.
 */
export function DeleteDialog({ credential, onClose, onDeleted, onArchived }: { credential: Credential; onClose: () => void; onDeleted: () => void; onArchived: (c: Credential) => void }) {
  const { busy, error, run } = useAction();
  const confirm = async () => {
    const done = await run(async () => {
      await api.deleteCredential(credential.id);
      return true;
    });
    if (done) {
      announce(`Deleted ${credentialName(credential)}`);
      onDeleted();
    }
  };
  const archive = async () => {
    const c = await run(() => api.archive(credential.id));
    if (c) {
      announce(`Archived ${credentialName(credential)}`);
      onArchived(c);
    }
  };
  const versions = credential.version === 1 ? 'its only version' : `all ${credential.version} of its versions`;
  return (
    <Dialog title="Delete credential?" onClose={onClose}>
      <ErrorMessage error={error} />
      <p>
        <strong>{credentialName(credential)}</strong>
        {credential.credential_number ? ` (${credential.credential_number})` : ''} will be deleted with {versions} and every photo and PDF.
      </p>
      <p class="warning-text">Deleting cannot be undone.</p>
      {!credential.archived && <p>To keep its history but take it out of use, archive it instead: archiving can be undone.</p>}
      <div class="actions">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        {!credential.archived && (
          <button type="button" disabled={busy} onClick={archive}>
            Archive instead
          </button>
        )}
        <button type="button" class="danger" disabled={busy} onClick={confirm}>
          {busy ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </Dialog>
  );
}

/** Asks for the reason of a rejection (required) and rejects. */
export function RejectDialog({ credential, onClose, onDone }: { credential: Credential; onClose: () => void; onDone: (c: Credential) => void }) {
  const [reason, setReason] = useState('');
  const { busy, error, setError, run } = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!reason.trim()) {
      const message = 'Give a reason, so the holder knows what to fix.';
      setError(new ApiError({ status: 422, detail: message, errors: [{ field: 'reason', code: 'required', message }] }));
      return;
    }
    const c = await run(() => api.reject(credential.id, reason.trim()));
    if (c) {
      announce(`Rejected ${credentialName(credential)}`);
      onDone(c);
    }
  };
  return (
    <Dialog title="Reject credential" onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <ErrorMessage error={error} fields={['reason']} />
        <p>
          <strong>{credentialName(credential)}</strong>, version {credential.version}. The holder is asked to resubmit it.
        </p>
        <Field label="Reason" name="reason" error={error}>
          {(p) => <textarea {...p} required rows={3} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />}
        </Field>
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="danger" disabled={busy}>
            {busy ? 'Rejecting…' : 'Reject'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

type Open = { kind: 'form'; mode: FormMode } | { kind: 'delete' } | { kind: 'reject' } | null;

interface Props {
  credential: Credential;
  /** Called with the new state after any change. */
  onChanged: (c: Credential) => void;
  onDeleted: () => void;
  /** Show Approve/Reject as buttons beside the menu (on the credential's own page). */
  approvalButtons?: boolean;
}

/** The "⋯" menu of a credential with every action the signed-in user may take on it. */
export function CredentialActions({ credential: c, onChanged, onDeleted, approvalButtons }: Props) {
  const session = useSession();
  const [open, setOpen] = useState<Open>(null);
  const { busy, error, run, setError } = useAction();
  const manage = canManageFor(session, c.user.id);
  const approver = canApproveFor(session, c.user.id) && !c.archived && c.approval_status === 'pending';

  const simple = async (what: 'archive' | 'restore' | 'approve', done: string) => {
    const r = await run(() => api[what](c.id));
    if (r) {
      announce(`${done} ${credentialName(c)}`);
      onChanged(r);
    }
  };

  return (
    <div class="credential-actions">
      {approvalButtons && approver && (
        <>
          <button type="button" class="primary" disabled={busy} onClick={() => simple('approve', 'Approved')}>
            Approve
          </button>
          <button type="button" disabled={busy} onClick={() => setOpen({ kind: 'reject' })}>
            Reject
          </button>
        </>
      )}
      <Menu
        label={`Actions for ${credentialName(c)}`}
        buttonLabel={approvalButtons ? 'Actions ▾' : undefined}
        items={[
          { label: 'Add version', hidden: !manage || c.archived, onSelect: () => setOpen({ kind: 'form', mode: { kind: 'add-version', credential: c } }) },
          { label: 'Edit latest version', hidden: !manage || c.archived, onSelect: () => setOpen({ kind: 'form', mode: { kind: 'edit', credential: c } }) },
          { label: 'View history', onSelect: () => navigate(`/credentials/${encodeURIComponent(c.id)}?tab=history`) },
          { label: 'Approve', hidden: approvalButtons || !approver, onSelect: () => simple('approve', 'Approved') },
          { label: 'Reject', hidden: approvalButtons || !approver, onSelect: () => setOpen({ kind: 'reject' }) },
          { label: 'Archive', hidden: !manage || c.archived, onSelect: () => simple('archive', 'Archived') },
          { label: 'Restore', hidden: !manage || !c.archived, onSelect: () => simple('restore', 'Restored') },
          { label: 'Delete', danger: true, hidden: !manage, onSelect: () => setOpen({ kind: 'delete' }) },
        ]}
      />
      {error && (
        <div class="inline-error" role="alert">
          {error.detail}{' '}
          <button type="button" class="link-button" onClick={() => setError(undefined)}>
            Dismiss
          </button>
        </div>
      )}
      {open?.kind === 'form' && (
        <CredentialForm
          mode={open.mode}
          onClose={() => setOpen(null)}
          onSaved={(saved) => {
            setOpen(null);
            onChanged(saved);
          }}
        />
      )}
      {open?.kind === 'delete' && (
        <DeleteDialog
          credential={c}
          onClose={() => setOpen(null)}
          onDeleted={() => {
            setOpen(null);
            onDeleted();
          }}
          onArchived={(r) => {
            setOpen(null);
            onChanged(r);
          }}
        />
      )}
      {open?.kind === 'reject' && (
        <RejectDialog
          credential={c}
          onClose={() => setOpen(null)}
          onDone={(r) => {
            setOpen(null);
            onChanged(r);
          }}
        />
      )}
    </div>
  );
}
