// "Check a person": the page for a site gate or a supervisor's phone. Pick a group, type a name or
// an email, and see in large type whether the person may start work, and why not.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Badge, ErrorMessage, Loading } from '../components/ui';
import { useAction, useLoad } from '../hooks';
import { useSession } from '../session';
import { setQuery, useLocation } from '../router';
import type { CheckResult, Group, Page, User } from '../types';
import { decisionLabels, reasonSentence, statusLabel, typeNames } from '../requirements/labels';

// The gate's device keeps its group between checks and visits.
const GROUP_KEY = 'bonafides.check.group';

/** Every group, page after page (a list answers at most 200). */
async function allGroups(): Promise<Page<Group>> {
  const items: Group[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.groups({ limit: 200, cursor });
    items.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor && items.length < 2000);
  return { items, next_cursor: null };
}

export function CheckPage() {
  const loc = useLocation();
  const groups = useLoad(allGroups, []);
  const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(GROUP_KEY) ?? '' : '';
  const asked = loc.query.get('group') ?? '';
  const items = groups.data?.items ?? [];
  const groupId = [asked, stored].find((g) => g && items.some((x) => x.id === g)) ?? (items.length === 1 ? items[0].id : asked || stored);
  const [who, setWho] = useState('');
  const [result, setResult] = useState<CheckResult | null>(null);
  const [choices, setChoices] = useState<User[] | null>(null);
  const { busy, error, setError, run } = useAction();
  const input = useRef<HTMLInputElement>(null);
  const verdict = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = 'Check a person · Bonafides';
  }, []);
  useEffect(() => {
    // After a check, the verdict is what a screen reader reads and a phone scrolls to.
    if (result) verdict.current?.focus();
  }, [result]);

  const chooseGroup = (id: string) => {
    try {
      localStorage.setItem(GROUP_KEY, id);
    } catch {
      // A private window may refuse; the query keeps the choice for this visit.
    }
    setResult(null);
    setQuery({ group: id || undefined });
  };

  const checkUser = async (body: { user_id?: string; email?: string }) => {
    setChoices(null);
    const r = await run(() => api.check({ group_id: groupId, ...body }));
    if (r) setResult(r);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    setChoices(null);
    const text = who.trim();
    if (!groupId || !text) {
      const errors = [
        ...(!groupId ? [{ field: 'group_id', code: 'required', message: 'Choose a group.' }] : []),
        ...(!text ? [{ field: 'who', code: 'required', message: 'Type a name or an email.' }] : []),
      ];
      setError(new ApiError({ status: 422, detail: errors.map((x) => x.message).join(' '), errors }));
      return;
    }
    if (text.includes('@')) {
      await checkUser({ email: text });
      return;
    }
    const found = await run(() => api.users({ q: text, limit: 10 }));
    if (!found) return;
    // A name typed in full picks its person even when longer names contain it.
    const exact = found.items.filter((u) => u.name.toLowerCase() === text.toLowerCase());
    const people = exact.length === 1 ? exact : found.items;
    if (people.length === 0) setError(new ApiError({ status: 404, detail: `Nobody matches “${text}”. Check the spelling, or type the email.` }));
    else if (people.length === 1) await checkUser({ user_id: people[0].id });
    else setChoices(people);
  };

  const again = () => {
    setResult(null);
    setChoices(null);
    setWho('');
    input.current?.focus();
  };

  const groupName = items.find((g) => g.id === groupId)?.name ?? '';
  const notFound = error && error.status === 404 && !error.errors.length;
  return (
    <div class="check-page">
      <h1>Check a person</h1>
      <p class="muted">May they start work? Pick the group, type a name or an email.</p>
      {groups.loading && !groups.data ? (
        <Loading what="Loading groups" />
      ) : !items.length && !groups.error ? (
        <p class="empty">There are no groups yet: create one under Groups first.</p>
      ) : (
        <form class="check-form" onSubmit={submit} noValidate role="search" aria-label="Check a person">
          <ErrorMessage error={groups.error} />
          <div class={`field${error?.fieldMessage('group_id') ? ' invalid' : ''}`}>
            <label for="check-group">Group</label>
            <select id="check-group" value={items.some((g) => g.id === groupId) ? groupId : ''} onChange={(e) => chooseGroup((e.target as HTMLSelectElement).value)}>
              <option value="">Choose a group…</option>
              {items.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
            {error?.fieldMessage('group_id') && <p class="field-error">{error.fieldMessage('group_id')}</p>}
          </div>
          <div class={`field${error?.fieldMessage('who') ? ' invalid' : ''}`}>
            <label for="check-who">Name or email</label>
            <input
              ref={input}
              id="check-who"
              type="search"
              autoComplete="off"
              autoCapitalize="off"
              spellcheck={false}
              enterKeyHint="search"
              value={who}
              onInput={(e) => {
                setWho((e.target as HTMLInputElement).value);
                setChoices(null);
              }}
            />
            {error?.fieldMessage('who') && <p class="field-error">{error.fieldMessage('who')}</p>}
          </div>
          <button type="submit" class="primary big" disabled={busy}>
            {busy ? 'Checking…' : 'Check'}
          </button>
        </form>
      )}
      {error && !error.errors.length && (
        <div class="error-box" role="alert">
          <p>{notFound && error.code ? 'Nobody with this name or email in the organisation, or the group is gone.' : error.detail}</p>
        </div>
      )}
      {choices && (
        <section class="card" aria-labelledby="choices-h">
          <h2 id="choices-h">Several people match: who is it?</h2>
          <ul class="choices">
            {choices.map((u) => (
              <li key={u.id}>
                <button type="button" class="choice" onClick={() => checkUser({ user_id: u.id })}>
                  <strong>{u.name}</strong> <span class="muted small">{u.email}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {result && <Verdict result={result} groupName={groupName} headingRef={verdict} onAgain={again} />}
    </div>
  );
}

function Verdict({ result, groupName, headingRef, onAgain }: { result: CheckResult; groupName: string; headingRef: preact.RefObject<HTMLHeadingElement>; onAgain: () => void }) {
  const { org } = useSession();
  const [word, tone, sentence] = decisionLabels[result.decision] ?? [result.decision, 'neutral', ''];
  const mark = result.decision === 'allow' ? '✓' : result.decision === 'warn' ? '!' : '✕';
  const open = result.reasons.filter((r) => r.status !== 'met');
  return (
    <section class={`verdict verdict-${tone}`} aria-labelledby="verdict-h">
      <h2 id="verdict-h" tabIndex={-1} ref={headingRef}>
        <span class="verdict-mark" aria-hidden="true">
          {mark}
        </span>
        <span class="verdict-word">{word}</span>
        <span class="verdict-sentence">{sentence}</span>
      </h2>
      <p class="verdict-who">
        <strong>{result.user.name}</strong>
        {(result.group?.name || groupName) && <span> · {result.group?.name || groupName}</span>}
      </p>
      {result.member === false && <p class="verdict-note">Not a member of this group.</p>}
      {open.length === 0 ? (
        <p>Every requirement is met.</p>
      ) : (
        <ul class="verdict-reasons">
          {open.map((r) => {
            const [label, t] = statusLabel(r, r.enforcement);
            return (
              <li key={r.requirement_id}>
                <Badge tone={t}>{label}</Badge> <strong>{typeNames(r.credential_types)}</strong>
                <span class="block small muted">
                  {reasonSentence(r, org.date_format)}
                  {r.enforcement === 'warn' && r.status === 'unmet' ? ' Warning only.' : ''}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" class="big" onClick={onAgain}>
        Check another person
      </button>
    </section>
  );
}
