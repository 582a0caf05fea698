// The Requirements card of "My credentials" and of a user's page: per group, may this person
// start work, and what is missing, each with a button that adds it (a new worker's onboarding
// checklist).
import { useState } from 'preact/hooks';
import { api } from '../api';
import { Badge, ErrorMessage, Loading } from '../components/ui';
import { CredentialForm } from '../credentials/form';
import { useLoad } from '../hooks';
import { canManageFor, useSession } from '../session';
import type { Decision, UserRequirementState } from '../types';
import { decisionLabels, reasonSentence, satisfied, statusLabel, typeNames } from './labels';

export function DecisionBadge({ decision }: { decision: Decision }) {
  const [label, tone] = decisionLabels[decision] ?? [decision, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

/**
 * `userId` absent: the signed-in user's own (GET /me/compliance). Shows nothing while the person
 * belongs to no group. `refresh` reloads it; `onChanged` follows a credential added here.
 */
export function RequirementsCard({ userId, userName, refresh, onChanged }: { userId?: string; userName?: string; refresh?: number; onChanged?: () => void }) {
  const session = useSession();
  const { me, org } = session;
  const holder = userId ?? me.id;
  const own = holder === me.id;
  const data = useLoad(() => api.userCompliance(userId), [userId, refresh]);
  const [adding, setAdding] = useState<string | null>(null);
  const mayAdd = canManageFor(session, holder);
  if (data.error) {
    return (
      <section class="card requirements-card" aria-labelledby="req-card-h">
        <h2 id="req-card-h">Requirements</h2>
        <ErrorMessage error={data.error} />
      </section>
    );
  }
  if (!data.data) return data.loading ? <Loading what="Loading requirements" /> : null;
  const c = data.data;
  if (!c.groups.length) return null;
  const [, , overall] = decisionLabels[c.decision] ?? ['', '', c.decision];
  return (
    <section class="card requirements-card" aria-labelledby="req-card-h">
      <div class="section-head">
        <h2 id="req-card-h">Requirements</h2>
        <span class="decision-line">
          <DecisionBadge decision={c.decision} /> <span>{overall}</span>
        </span>
      </div>
      <p class="muted small">{own ? 'What your groups require before you start work.' : `What ${userName ?? 'this person'}'s groups require before they start work.`}</p>
      {c.groups.map((g) => (
        <div class="req-group" key={g.group_id}>
          <h3>
            <span>{g.name}</span> <DecisionBadge decision={g.decision} />
          </h3>
          {g.requirements.length === 0 ? (
            <p class="muted small">This group has no requirements.</p>
          ) : (
            <ul class="checklist" aria-label={`Requirements of ${g.name}`}>
              {g.requirements.map((r) => (
                <CheckItem key={r.requirement_id} r={r} fmt={org.date_format} mayAdd={mayAdd} onAdd={(typeId) => setAdding(typeId)} />
              ))}
            </ul>
          )}
        </div>
      ))}
      {adding !== null && (
        <CredentialForm
          mode={{ kind: 'create', userId: holder, userName: own ? undefined : userName, typeId: adding }}
          onClose={() => setAdding(null)}
          onSaved={() => {
            setAdding(null);
            data.reload();
            onChanged?.();
          }}
        />
      )}
    </section>
  );
}

function CheckItem({ r, fmt, mayAdd, onAdd }: { r: UserRequirementState; fmt: Parameters<typeof reasonSentence>[1]; mayAdd: boolean; onAdd: (typeId: string) => void }) {
  const ok = satisfied(r);
  const [label, tone] = statusLabel(r, r.enforcement);
  const types = typeNames(r.credential_types);
  // A credential waiting for approval needs a manager, not another credential.
  const warnOnly = !ok && (r.enforcement === 'warn' || r.status === 'in_grace');
  const canFix = mayAdd && !ok && r.reason !== 'pending_approval' && r.reason !== 'inactive_user' && r.credential_types.length > 0;
  return (
    <li class={`check-item${ok ? ' done' : warnOnly ? ' warn' : ''}`}>
      <span class="check-mark" aria-hidden="true">
        {ok ? '✓' : warnOnly ? '!' : '✕'}
      </span>
      <span class="check-text">
        <strong>{types}</strong>
        {r.credential_types.length > 1 && <span class="muted small"> (any one)</span>} <Badge tone={tone}>{label}</Badge>
        {r.enforcement === 'warn' && !ok && <span class="muted small"> · warning only</span>}
        <span class="check-why muted small">{reasonSentence(r, fmt)}</span>
      </span>
      {canFix && (
        <button type="button" class="primary" aria-label={`Add credential: ${types}`} onClick={() => onAdd(r.credential_types[0].id)}>
          Add credential
        </button>
      )}
    </li>
  );
}
