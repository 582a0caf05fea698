import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { approvalLabels, expiryLabels, formatValue, type Tone } from '../format';
import type { DateFormat } from '../types';
import type { ApprovalStatus, ExpiryStatus } from '../types';

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

/** The server's explanation of a failed request, for the top of a form or a page. */
export function ErrorMessage({ error, fields = [] }: { error?: ApiError; fields?: string[] }) {
  if (!error) return null;
  // Field errors are shown next to their fields; any others are listed here.
  const others = error.errors.filter((e) => !fields.includes(e.field));
  return (
    <div class="error-box" role="alert">
      <p>{error.detail}</p>
      {others.length > 0 && (
        <ul>
          {others.map((e) => (
            <li key={e.field + e.code}>
              {e.field ? <strong>{e.field}: </strong> : null}
              {e.message}
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

/** A labelled control with its hint and the server's message for it. */
export function Field({ label, error, name, hint, children }: FieldProps) {
  const id = useId();
  const message = error?.fieldMessage(name);
  const described = [hint ? `${id}-hint` : '', message ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${message ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {children({ id, name, 'aria-invalid': message ? true : undefined, 'aria-describedby': described || undefined })}
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {message && (
        <p class="field-error" id={`${id}-err`}>
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
  return (
    <dialog ref={ref} class={wide ? 'wide' : ''} aria-labelledby={titleId}>
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" class="icon-button" aria-label="Close" onClick={() => closeRef.current()}>
          ×
        </button>
      </div>
      {children}
    </dialog>
  );
}

export interface MenuItem {
  label: string;
  onSelect: () => void;
  danger?: boolean;
  hidden?: boolean;
}

/** A button that opens a list of actions; arrow keys move, Escape closes. */
export function Menu({ label, items, buttonLabel = '⋯', class: cls }: { label: string; items: MenuItem[]; buttonLabel?: ComponentChildren; class?: string }) {
  const [open, setOpen] = useState(false);
  const btn = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const id = useId();
  const visible = items.filter((i) => !i.hidden);
  useLayoutEffect(() => {
    if (open) list.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (!list.current?.contains(e.target as Node) && !btn.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
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
      setOpen(false);
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
      {open && (
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
        </div>
      )}
    </div>
  );
}

/** Tabs with the arrow-key behaviour of the ARIA tabs pattern. */
export function Tabs<K extends string>({ tabs, active, onChange, label }: { tabs: { key: K; label: string }[]; active: K; onChange: (k: K) => void; label: string }) {
  const onKey = (e: KeyboardEvent) => {
    const at = tabs.findIndex((t) => t.key === active);
    let next = -1;
    if (e.key === 'ArrowRight') next = (at + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (at - 1 + tabs.length) % tabs.length;
    else return;
    e.preventDefault();
    onChange(tabs[next].key);
    const el = (e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('[role=tab]')[next];
    el?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={label} onKeyDown={onKey}>
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
      <span class="old">{formatValue(old, format)}</span> <span aria-label="changed to">→</span> <span class="new">{formatValue(now, format)}</span>
    </>
  );
}
