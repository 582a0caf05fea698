// A user chosen by typing part of their name or email: the ARIA combobox pattern over
// GET /api/v1/users?q= (who may list users: users.manage or credentials.manage).
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { useDebounced } from '../hooks';
import type { User } from '../types';

export interface Picked {
  id: string;
  name: string;
}

interface Props {
  id: string;
  name: string;
  value: Picked | null;
  onChange: (u: Picked | null) => void;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

export function UserPicker({ id, name, value, onChange, ...aria }: Props) {
  const [text, setText] = useState(value?.name ?? '');
  const [open, setOpen] = useState(false);
  const [results, setResults] = useState<User[]>([]);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const q = useDebounced(text, 200);
  const seq = useRef(0);

  useEffect(() => {
    if (!open) return;
    const mine = ++seq.current;
    api.users({ q: q.trim() || undefined, status: 'active', limit: 8 }).then(
      (page) => {
        if (mine !== seq.current) return;
        setResults(page.items);
        setActive(page.items.length ? 0 : -1);
      },
      () => mine === seq.current && setResults([]),
    );
  }, [q, open]);

  const choose = (u: User) => {
    onChange({ id: u.id, name: u.name });
    setText(u.name);
    setOpen(false);
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) setOpen(true);
      else setActive((a) => Math.min(a + 1, results.length - 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter' && open && results[active]) {
      e.preventDefault();
      choose(results[active]);
    } else if (e.key === 'Escape' && open) {
      // Closes the list, not the dialog around it.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };
  const optionId = (i: number) => `${listId}-${i}`;
  return (
    <div class="combobox">
      <input
        {...aria}
        id={id}
        name={name}
        type="text"
        role="combobox"
        autoComplete="off"
        placeholder="Search by name or email"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
        value={text}
        onInput={(e) => {
          setText((e.target as HTMLInputElement).value);
          setOpen(true);
          if (value) onChange(null);
        }}
        onFocus={() => !value && setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKey}
      />
      <ul id={listId} role="listbox" class="combobox-list" hidden={!open} aria-label="Users">
        {open && results.length === 0 && (
          <li class="muted" role="presentation">
            No active user matches.
          </li>
        )}
        {open &&
          results.map((u, i) => (
            <li
              key={u.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'active' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(u);
              }}
            >
              {u.name} <span class="muted small">{u.email}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
