// A calendar date typed in the organisation's date format (the platform's date input would show
// the browser's locale instead), with the platform's calendar a button away.
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatDate, parseDate } from '../format';
import type { DateFormat } from '../types';

export const INVALID_DATE = 'invalid-date';

interface Props {
  id: string;
  name: string;
  /** `YYYY-MM-DD`, '' for none, or INVALID_DATE while the text is no date. */
  value: string;
  onChange: (v: string) => void;
  format: DateFormat;
  pickerLabel: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  required?: boolean;
}

export function DateInput({ value, onChange, format, pickerLabel, ...rest }: Props) {
  const shown = value && value !== INVALID_DATE ? formatDate(value, format) : '';
  const [text, setText] = useState(shown);
  const picker = useRef<HTMLInputElement>(null);
  // Follow changes made from outside (the calendar, a reset).
  useEffect(() => {
    if (value !== INVALID_DATE && parseDate(text, format) !== (value || null)) setText(shown);
  }, [value]);
  const typed = (t: string) => {
    setText(t);
    onChange(t.trim() === '' ? '' : parseDate(t, format) ?? INVALID_DATE);
  };
  return (
    <div class="date-input">
      <input
        {...rest}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={format}
        value={text}
        onInput={(e) => typed((e.target as HTMLInputElement).value)}
        onBlur={() => {
          const iso = parseDate(text, format);
          if (iso) setText(formatDate(iso, format));
        }}
      />
      <button
        type="button"
        class="icon-button calendar"
        title={pickerLabel}
        // Typing the date is the keyboard's and screen reader's way; the calendar is for the mouse.
        aria-hidden="true"
        tabIndex={-1}
        onClick={() => {
          const p = picker.current;
          if (!p) return;
          p.value = value && value !== INVALID_DATE ? value : '';
          try {
            p.showPicker();
          } catch {
            p.focus();
          }
        }}
      >
        <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor" />
          <path d="M1.5 6h13M5 1v3M11 1v3" stroke="currentColor" fill="none" />
        </svg>
      </button>
      <input
        ref={picker}
        type="date"
        class="date-picker-proxy"
        tabIndex={-1}
        aria-hidden="true"
        onChange={(e) => {
          const v = (e.target as HTMLInputElement).value;
          if (v) {
            setText(formatDate(v, format));
            onChange(v);
          }
        }}
      />
    </div>
  );
}
