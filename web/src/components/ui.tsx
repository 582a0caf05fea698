import type { ComponentChildren, JSX } from 'preact';
import { createPortal } from 'preact/compat';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { approvalLabels, expiryLabels, formatValue, type Tone } from '../format';
import type { DateFormat } from '../types';
import type { ApprovalStatus, ExpiryStatus } from '../types';

/** A message as a sentence: the server's field messages start in lower case. */
export function sentence(s: string): string {
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : s;
}

export function Badge({ tone, children }: { tone: Tone; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function ExpiryBadge({ status }: { status: ExpiryStatus }) {
  const [label, tone] = expiryLabels[status] ?? [status, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

export function ApprovalBadge({ status, hideNotRequired }: { status: ApprovalStatus; hideNotRequired?: boolean }) {
  if (hideNotRequired && status === 'not_required') return null;
  const [label, tone] = approvalLabels[status] ?? [status, 'neutral'];
  return <Badge tone={tone}>{label}</Badge>;
}

/**
 * One primary status, the one a manager must act on, as a badge; the other as plain text beside
 * it. Archived first, then a rejection or a pending approval, then the expiry.
 */
export function StatusBadges({ c }: { c: { archived?: boolean; expiry_status?: ExpiryStatus; approval_status: ApprovalStatus } }) {
  const expiry = c.expiry_status ? expiryLabels[c.expiry_status] ?? [c.expiry_status, 'neutral' as Tone] : undefined;
  const approval = approvalLabels[c.approval_status] ?? [c.approval_status, 'neutral' as Tone];
  let primary: [string, Tone];
  const secondary: string[] = [];
  if (c.archived) {
    primary = ['Archived', 'neutral'];
    if (expiry) secondary.push(expiry[0]);
  } else if (c.approval_status === 'rejected' || c.approval_status === 'pending') {
    primary = approval;
    if (expiry) secondary.push(expiry[0]);
  } else {
    primary = expiry ?? approval;
    if (expiry && c.approval_status === 'approved') secondary.push(approval[0]);
  }
  return (
    <span class="status">
      <Badge tone={primary[1]}>{primary[0]}</Badge>
      {secondary.length > 0 && <span class="status-secondary">{secondary.join(' · ')}</span>}
    </span>
  );
}

/** The server's explanation of a failed request, for the top of a form or a page. */
export function ErrorMessage({ error, fields = [] }: { error?: ApiError; fields?: string[] }) {
  if (!error) return null;
  // Field errors are shown next to their fields, and only there: one message per problem. A
  // refusal that names only such fields needs nothing here.
  const others = error.errors.filter((e) => !fields.includes(e.field));
  if (error.errors.length > 0 && others.length === 0) return null;
  return (
    <div class="error-box" role="alert">
      <p>{sentence(error.detail)}</p>
      {others.length > 0 && (
        <ul>
          {others.map((e) => (
            <li key={e.field + e.code}>
              {e.field ? <strong>{e.field}: </strong> : null}
              {sentence(e.message)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

interface FieldProps {
  label: string;
  error?: ApiError;
  name: string;
  hint?: string;
  /** Renders the control with the id and aria attributes it must carry. */
  children: (p: { id: string; name: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }) => JSX.Element;
}

/**
 * A labelled control with its hint and the server's message for it. The message goes as soon as
 * the value changes (an input or change event inside), not at the next save.
 */
export function Field({ label, error, name, hint, children }: FieldProps) {
  const id = useId();
  const [dismissed, setDismissed] = useState<ApiError | undefined>(undefined);
  const raw = error && error !== dismissed ? error.fieldMessage(name) : undefined;
  const message = raw ? sentence(raw) : undefined;
  const described = [hint ? `${id}-hint` : '', message ? `${id}-err` : ''].filter(Boolean).join(' ');
  const changed = () => {
    if (message) setDismissed(error);
  };
  return (
    <div class={`field${message ? ' invalid' : ''}`} onInput={changed} onChange={changed}>
      <label for={id}>{label}</label>
      {children({ id, name, 'aria-invalid': message ? true : undefined, 'aria-describedby': described || undefined })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {message && (
        <p class="field-error" id={`${id}-err`} role="alert">
          {message}
        </p>
      )}
    </div>
  );
}

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  wide?: boolean;
}

/** A modal dialog (the platform's <dialog>: focus kept inside, Escape closes). */
export function Dialog({ title, onClose, children, wide }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  useLayoutEffect(() => {
    const d = ref.current!;
    const opener = document.activeElement as HTMLElement | null;
    if (!d.open) d.showModal();
    const first = d.querySelector<HTMLElement>('[autofocus], input:not([type=hidden]), select, textarea, button.primary');
    first?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      closeRef.current();
    };
    d.addEventListener('cancel', onCancel);
    return () => {
      d.removeEventListener('cancel', onCancel);
      if (d.open) d.close();
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
  // In a portal at the end of <body>: a dialog opened from a table row inherits nothing of the
  // row's layout (the ⋯ cell's nowrap and right alignment cut its sentences).
  return createPortal(
    <dialog ref={ref} class={wide ? 'wide' : ''} aria-labelledby={titleId}>
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={() => closeRef.current()}>
          ×
        </button>
      </div>
      {children}
    </dialog>,
    document.body,
  );
}

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  hidden?: boolean;
}

/**
 * Places an open menu's list (position: fixed) next to its button, wholly inside the window:
 * below it when there is room, else above, and moved in from the edges.
 */
function placeMenu(button: HTMLElement, list: HTMLElement) {
  const b = button.getBoundingClientRect();
  const h = list.offsetHeight;
  const w = list.offsetWidth;
  const gap = 4;
  const below = innerHeight - b.bottom - gap;
  const above = b.top - gap;
  let top = below >= h || below >= above ? b.bottom + gap : b.top - gap - h;
  top = Math.max(gap, Math.min(top, innerHeight - h - gap));
  const left = Math.max(gap, Math.min(b.right - w, innerWidth - w - gap));
  list.style.top = `${top}px`;
  list.style.left = `${left}px`;
}

/**
 * A button that opens a list of actions; arrow keys move, Escape closes. The list lives in a
 * portal with a fixed position, so no scrolling box (a table's) clips it.
 */
export function Menu({ label, items, buttonLabel = '⋯', class: cls }: { label: string; items: MenuItem[]; buttonLabel?: ComponentChildren; class?: string }) {
  const [open, setOpen] = useState(false);
  const btn = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const id = useId();
  const visible = items.filter((i) => !i.hidden);
  useLayoutEffect(() => {
    if (!open || !list.current || !btn.current) return;
    placeMenu(btn.current, list.current);
    list.current.querySelector<HTMLElement>('[role=menuitem]')?.focus({ preventScroll: true });
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (!list.current?.contains(e.target as Node) && !btn.current?.contains(e.target as Node)) setOpen(false);
    };
    const follow = () => btn.current && list.current && placeMenu(btn.current, list.current);
    document.addEventListener('mousedown', onDoc);
    addEventListener('scroll', follow, true);
    addEventListener('resize', follow);
    return () => {
      document.removeEventListener('mousedown', onDoc);
      removeEventListener('scroll', follow, true);
      removeEventListener('resize', follow);
    };
  }, [open]);
  if (!visible.length) return null;
  const onKey = (e: KeyboardEvent) => {
    const els = Array.from(list.current?.querySelectorAll<HTMLElement>('[role=menuitem]') ?? []);
    const at = els.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
      btn.current?.focus();
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      els[(at + 1) % els.length]?.focus();
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      els[(at - 1 + els.length) % els.length]?.focus();
    } else if (e.key === 'Home') {
      e.preventDefault();
      els[0]?.focus();
    } else if (e.key === 'End') {
      e.preventDefault();
      els[els.length - 1]?.focus();
    } else if (e.key === 'Tab') {
      // The list sits at the end of <body>: back to the button, the place Tab continues from.
      e.preventDefault();
      setOpen(false);
      btn.current?.focus();
    }
  };
  return (
    <div class={`menu ${cls ?? ''}`}>
      <button
        ref={btn}
        type="button"
        class="menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={id}
        aria-label={label}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            if (open) list.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
            else setOpen(true);
          }
        }}
      >
        {buttonLabel}
      </button>
      {open &&
        createPortal(
        <div class="menu-list" role="menu" id={id} ref={list} aria-label={label} onKeyDown={onKey}>
          {visible.map((item) => (
            <button
              key={item.label}
              type="button"
              role="menuitem"
              class={item.danger ? 'danger' : ''}
              tabIndex={-1}
              onClick={() => {
                setOpen(false);
                // Focus goes back to the menu's button first, so a dialog opened by the item
                // returns focus there when it closes.
                btn.current?.focus();
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>,
          document.body,
        )}
    </div>
  );
}

/** Does the window match a media query, following it as it changes. */
export function useMedia(query: string): boolean {
  const [on, setOn] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const m = matchMedia(query);
    const follow = () => setOn(m.matches);
    follow();
    m.addEventListener('change', follow);
    return () => m.removeEventListener('change', follow);
  }, [query]);
  return on;
}

/**
 * Tabs with the arrow-key behaviour of the ARIA tabs pattern; `vertical` ones (a column on the
 * left) move with the up and down arrows as well.
 */
export function Tabs<K extends string>({ tabs, active, onChange, label, vertical }: { tabs: { key: K; label: string }[]; active: K; onChange: (k: K) => void; label: string; vertical?: boolean }) {
  const onKey = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.key === active);
    let next = -1;
    if (e.key === 'ArrowRight' || (vertical && e.key === 'ArrowDown')) next = (at + 1) % tabs.length;
    else if (e.key === 'ArrowLeft' || (vertical && e.key === 'ArrowUp')) next = (at - 1 + tabs.length) % tabs.length;
    else return;
    e.preventDefault();
    onChange(tabs[next].key);
    const el = (e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role=tab]')[next];
    el?.focus();
  };
  return (
    <div class={`tabs${vertical ? ' vertical' : ''}`} role="tablist" aria-label={label} aria-orientation={vertical ? 'vertical' : undefined} onKeyDown={onKey}>
      {tabs.map((t) => (
        <button
          key={t.key}
          type="button"
          role="tab"
          id={`tab-${t.key}`}
          aria-selected={t.key === active}
          aria-controls={`panel-${t.key}`}
          tabIndex={t.key === active ? 0 : -1}
          onClick={() => onChange(t.key)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p class="muted" aria-busy="true">
      {what}…
    </p>
  );
}

/** Yes/no as a switch: a checkbox with role="switch". */
export function Switch({ checked, onChange, label, disabled, name }: { checked: boolean; onChange: (v: boolean) => void; label: string; disabled?: boolean; name?: string }) {
  return (
    <label class="switch">
      <input type="checkbox" role="switch" name={name} checked={checked} disabled={disabled} onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
      <span class="switch-track" aria-hidden="true" />
      <span>{label}</span>
    </label>
  );
}

function empty(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** One change of the activity log: "old → new", or just the new value when there was none. */
export function Change({ old, now, format }: { old: unknown; now: unknown; format: DateFormat }) {
  if (empty(old)) return <span class="new">{formatValue(now, format)}</span>;
  return (
    <>
      <span class="old">{formatValue(old, format)}</span> <span aria-hidden="true">→</span>{' '}
      <span class="visually-hidden">changed to</span> <span class="new">{formatValue(now, format)}</span>
    </>
  );
}
