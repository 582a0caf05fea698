// Dates and words as people read them: calendar dates in the organisation's date format,
// timestamps in its time zone, statuses as words (never colour alone).
import type { ApprovalStatus, DateFormat, ExpiryStatus } from './types';

/** A calendar date `YYYY-MM-DD` in `format`; anything else is returned unchanged. */
export function formatDate(iso: string | null | undefined, format: DateFormat): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const [, y, mo, d] = m;
  switch (format) {
    case 'DD/MM/YYYY':
      return `${d}/${mo}/${y}`;
    case 'MM/DD/YYYY':
      return `${mo}/${d}/${y}`;
    default:
      return `${y}-${mo}-${d}`;
  }
}

/** An RFC 3339 timestamp as a date in `format` and a 24-hour time, both in `timeZone`. */
export function formatTimestamp(ts: string | null | undefined, format: DateFormat, timeZone: string): string {
  if (!ts) return '—';
  const when = new Date(ts);
  if (Number.isNaN(when.getTime())) return ts;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(when);
  } catch {
    return formatTimestamp(ts, format, 'UTC');
  }
  const part = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${formatDate(`${part('year')}-${part('month')}-${part('day')}`, format)} ${part('hour')}:${part('minute')}`;
}

export type Tone = 'good' | 'warn' | 'bad' | 'neutral' | 'info';

export const expiryLabels: Record<ExpiryStatus, [string, Tone]> = {
  valid: ['Valid', 'good'],
  expiring_soon: ['Expiring soon', 'warn'],
  expired: ['Expired', 'bad'],
  no_expiry: ['No expiry', 'neutral'],
};

export const approvalLabels: Record<ApprovalStatus, [string, Tone]> = {
  not_required: ['Approval not required', 'neutral'],
  pending: ['Pending approval', 'warn'],
  approved: ['Approved', 'good'],
  rejected: ['Rejected', 'bad'],
};

/** Field names of the activity log as words. */
export const fieldLabels: Record<string, string> = {
  type: 'Credential type',
  user: 'Holder',
  issue_date: 'Issue date',
  expiry_date: 'Expiration date',
  credential_number: 'Credential number',
  media: 'Media',
  approval_status: 'Approval status',
  rejection_reason: 'Rejection reason',
  archived: 'Archived',
  name: 'Name',
  email: 'Email',
  status: 'Status',
  description: 'Description',
  expires: 'Expires',
  reminder_days: 'Reminder days',
  permission_set: 'Permission set',
  permission_set_id: 'Permission set',
  timezone: 'Time zone',
  date_format: 'Date format',
  media_required: 'Media required',
  approvals_required: 'Approvals required',
  expiring_soon_days: 'Expiring soon (days)',
  credential_type_ids: 'Credential types',
  credential_types: 'Credential types',
  min_days_remaining: 'Days remaining at least',
  grace_days: 'Grace period (days)',
  enforcement: 'When not met',
  expires_on: 'Last day',
  reason: 'Reason',
  since: 'Member since',
};

export function fieldLabel(field: string): string {
  return fieldLabels[field] ?? field.replace(/_/g, ' ');
}

/** A value of the activity log as text; dates in the organisation's format. */
export function formatValue(v: unknown, format: DateFormat): string {
  if (v === null || v === undefined || v === '') return '(none)';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'string') {
    // The log keeps some switches as the text "true" and "false".
    if (v === 'true' || v === 'false') return v === 'true' ? 'Yes' : 'No';
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v, format);
    if (v in approvalLabels) return approvalLabels[v as ApprovalStatus][0];
    return v;
  }
  if (Array.isArray(v)) {
    if (!v.length) return '(none)';
    return v.map((x) => (x && typeof x === 'object' && 'filename' in x ? String(x.filename) : formatValue(x, format))).join(', ');
  }
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.name === 'string') return o.name;
    if (typeof o.filename === 'string') return o.filename;
    return JSON.stringify(v);
  }
  return String(v);
}

/** The actions of the activity log in words; the British spelling, as everywhere on screen. */
export const actionLabels: Record<string, string> = {
  'credential.created': 'Credential added',
  'credential.version_added': 'Version added',
  'credential.version_edited': 'Version edited',
  'credential.approved': 'Credential approved',
  'credential.rejected': 'Credential rejected',
  'credential.archived': 'Credential archived',
  'credential.restored': 'Credential restored',
  'credential.deleted': 'Credential deleted',
  'credential.imported': 'Credentials imported',
  'credential_type.created': 'Credential type created',
  'credential_type.updated': 'Credential type changed',
  'credential_type.deleted': 'Credential type deleted',
  'user.created': 'User added',
  'user.updated': 'User changed',
  'user.deactivated': 'User deactivated',
  'session.created': 'Signed in',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'organization.updated': 'Organisation changed',
  'settings.updated': 'Credential settings changed',
  'media.uploaded': 'File uploaded',
  'media.downloaded': 'File viewed',
  'notification.sent': 'Notification sent',
  'group.created': 'Group created',
  'group.updated': 'Group changed',
  'group.deleted': 'Group deleted',
  'group.member_added': 'Member added to a group',
  'group.member_removed': 'Member removed from a group',
  'requirement.created': 'Requirement added',
  'requirement.updated': 'Requirement changed',
  'requirement.deleted': 'Requirement deleted',
  'exemption.granted': 'Exemption granted',
  'exemption.revoked': 'Exemption revoked',
  'compliance.checked': 'Person checked',
};

/** "credential.version_added" → "Version added"; an action not listed in the same manner. */
export function actionLabel(action: string): string {
  if (action in actionLabels) return actionLabels[action];
  const s = action.replace(/[._]/g, ' ').replace(/\borganization\b/g, 'organisation');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** "1 credential", "3 credentials". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Parses "60, 30, 7" into [60, 30, 7]; null for an empty string; undefined if not numbers. */
export function parseDays(s: string): number[] | null | undefined {
  const t = s.trim();
  if (!t) return null;
  const parts = t.split(/[\s,]+/).filter(Boolean);
  const nums = parts.map((p) => Number(p));
  if (nums.some((n) => !Number.isInteger(n) || n < 0)) return undefined;
  return nums;
}

/**
 * Reads a date typed by a person: `YYYY-MM-DD` always, and `format` with `/`, `.` or `-` between
 * day, month and year. The calendar date as `YYYY-MM-DD`, or null if it is no real date.
 */
export function parseDate(text: string, format: DateFormat): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  let x = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (x) {
    [y, m, d] = [Number(x[1]), Number(x[2]), Number(x[3])];
  } else {
    x = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (!x || format === 'YYYY-MM-DD') return null;
    y = Number(x[3]);
    [d, m] = format === 'DD/MM/YYYY' ? [Number(x[1]), Number(x[2])] : [Number(x[2]), Number(x[1])];
  }
  if (m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A file size in the units people read: "900 bytes", "183 KB", "4.2 MB". */
export function formatSize(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '';
  if (bytes < 1000) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1).replace(/\.0$/, '') : Math.round(v)} ${units[i]}`;
}

/** What kind of file a media type is, in a word. */
export function mediaKind(contentType: string): string {
  if (contentType === 'application/pdf') return 'PDF';
  const m = /^image\/(.+)$/.exec(contentType);
  if (m) return m[1] === 'jpeg' ? 'JPEG' : m[1].replace(/^x-/, '').toUpperCase();
  return 'File';
}
