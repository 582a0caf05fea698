// Compliance in words: decisions, statuses and reasons as a site manager reads them, never colour
// alone (spec/REQUIREMENTS.md "Status of one user against one requirement").
import { formatDate, plural, type Tone } from '../format';
import type { ComplianceReason, DateFormat, Decision, Enforcement, Ref, RequirementState } from '../types';

export const decisionLabels: Record<Decision, [string, Tone, string]> = {
  allow: ['Allow', 'good', 'May start work'],
  warn: ['Warn', 'warn', 'May start work, with warnings'],
  deny: ['Deny', 'bad', 'May not start work'],
};

/** The short word of an unmet requirement: what is wrong. */
export const reasonLabels: Record<ComplianceReason, string> = {
  missing: 'Missing',
  expired: 'Expired',
  rejected: 'Rejected',
  pending_approval: 'Pending approval',
  expires_too_soon: 'Expires too soon',
  inactive_user: 'Deactivated',
};

/** "First aid certificate or Driver's licence". */
export function typeNames(types: Ref[]): string {
  const names = types.map((t) => t.name || 'a deleted type');
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * The status of one requirement as a word and a tone. An unmet requirement is named by its reason
 * ("Missing", "Expired"); it is red only when it blocks.
 */
export function statusLabel(s: Pick<RequirementState, 'status' | 'reason'>, enforcement: Enforcement = 'block'): [string, Tone] {
  switch (s.status) {
    case 'met':
      return ['Met', 'good'];
    case 'expiring':
      return ['Expiring soon', 'warn'];
    case 'exempt':
      return ['Exempt', 'info'];
    case 'in_grace':
      return ['In grace period', 'warn'];
    default:
      return [s.reason ? reasonLabels[s.reason] ?? s.reason : 'Not met', enforcement === 'warn' ? 'warn' : 'bad'];
  }
}

interface Explained extends Pick<RequirementState, 'status' | 'reason'> {
  expiry_date?: string | null;
  grace_until?: string | null;
}

/** Why, in a sentence: "Expired on 03/11/2026.", "No credential of this type yet." */
export function reasonSentence(s: Explained, fmt: DateFormat, minDays?: number): string {
  const date = s.expiry_date ? formatDate(s.expiry_date, fmt) : '';
  let why = '';
  switch (s.reason) {
    case 'missing':
      why = 'No credential of the required type.';
      break;
    case 'expired':
      why = date ? `Expired on ${date}.` : 'Expired.';
      break;
    case 'rejected':
      why = 'Rejected: a new version is needed.';
      break;
    case 'pending_approval':
      why = 'Waiting for approval.';
      break;
    case 'expires_too_soon':
      why = `Expires on ${date || 'a date too soon'}${minDays ? `: at least ${plural(minDays, 'day')} must remain` : ''}.`;
      break;
    case 'inactive_user':
      why = 'The user is deactivated.';
      break;
  }
  switch (s.status) {
    case 'met':
      return date ? `Valid until ${date}.` : 'Valid; does not expire.';
    case 'expiring':
      return `Expires soon, on ${date}.`;
    case 'exempt':
      return `Exempt. ${why}`.trim();
    case 'in_grace':
      return `${s.grace_until ? `In grace period until ${formatDate(s.grace_until, fmt)}.` : 'In grace period.'} ${why}`.trim();
    default:
      return why || 'Not met.';
  }
}

/** Is the requirement satisfied (met, expiring or exempt)? */
export function satisfied(s: Pick<RequirementState, 'status'>): boolean {
  return s.status === 'met' || s.status === 'expiring' || s.status === 'exempt';
}

