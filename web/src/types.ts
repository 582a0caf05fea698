// The shapes of spec/API.md, as the server sends them.

export type Permission = 'users.manage' | 'credentials.manage' | 'org.manage';

export interface Ref {
  id: string;
  name: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'deactivated';
  permission_set: Ref;
  permissions?: Permission[];
  created_at: string;
  updated_at: string;
}

export interface PermissionSet {
  id: string;
  name: string;
  permissions: Permission[];
  builtin: boolean;
}

export type DateFormat = 'YYYY-MM-DD' | 'DD/MM/YYYY' | 'MM/DD/YYYY';

export interface Organization {
  id: string;
  name: string;
  timezone: string;
  date_format: DateFormat;
}

export interface CredentialSettings {
  media_required: boolean;
  approvals_required: boolean;
  expiring_soon_days: number;
}

export interface CredentialType {
  id: string;
  name: string;
  description: string;
  expires: boolean;
  reminder_days: number[] | null;
  credential_count: number;
  created_at: string;
  updated_at: string;
}

export type ExpiryStatus = 'valid' | 'expiring_soon' | 'expired' | 'no_expiry';
export type ApprovalStatus = 'not_required' | 'pending' | 'approved' | 'rejected';

export interface Media {
  id: string;
  filename: string;
  content_type: string;
  size: number;
}

export interface VersionFields {
  version: number;
  issue_date: string;
  expiry_date: string | null;
  credential_number: string | null;
  media: Media[];
  approval_status: ApprovalStatus;
  rejection_reason: string | null;
  created_at: string;
  created_by: Ref | null;
  updated_at: string;
  updated_by: Ref | null;
}

export interface Version extends VersionFields {
  approved_by?: Ref | null;
  approved_at?: string | null;
  expiry_status?: ExpiryStatus;
}

export interface Credential extends VersionFields {
  id: string;
  user: { id: string; name: string; email: string };
  type: Ref;
  archived: boolean;
  expiry_status: ExpiryStatus;
}

export interface VersionActivity {
  at: string;
  actor: Ref | null;
  field: string;
  old: unknown;
  new: unknown;
}

export interface ActivityEntry {
  id: string;
  at: string;
  actor: Ref | null;
  action: string;
  entity: string;
  entity_id: string;
  subject_user: Ref | null;
  credential_id?: string | null;
  version?: number | null;
  changes: { field: string; old: unknown; new: unknown }[];
}

export interface Summary {
  total: number;
  valid: number;
  expiring_soon: number;
  expired: number;
  no_expiry: number;
  pending_approval: number;
  rejected: number;
}

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export type BulkAction = 'archive' | 'restore' | 'delete' | 'approve';

export interface BulkResult {
  id: string;
  status: number | string;
  code?: string;
  message?: string;
}

export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  code?: string;
  errors?: FieldProblem[];
}

export interface AppNotification {
  id: string;
  kind: 'expiry_reminder' | 'expired' | 'rejected' | 'approved' | 'digest' | string;
  credential_id: string | null;
  title: string;
  body: string;
  created_at: string;
  read_at: string | null;
}

/** The answer of POST /api/v1/media. */
export interface UploadedMedia extends Media {
  sha256: string;
}

export interface ImportRowError {
  row: number;
  column: string | null;
  code: string;
  message: string;
}

/** The answer of POST /api/v1/credential-imports (a dry run, a commit, or a refused commit). */
export interface ImportResult {
  rows: number;
  created: number;
  new_versions: number;
  unchanged: number;
  approved?: number;
  dry_run?: boolean;
  committed?: boolean;
  errors: ImportRowError[];
  errors_truncated: number;
}

export interface NotificationSettings {
  email: boolean;
  in_app: boolean;
  expiry_reminders: boolean;
  days_before: number[];
  on_expiry: boolean;
  manager_digest: boolean;
}

// Role requirements and compliance (spec/REQUIREMENTS.md).

export interface Group {
  id: string;
  name: string;
  description: string;
  member_count: number;
  requirement_count: number;
  created_at?: string;
  updated_at?: string;
}

export interface GroupMember {
  user: { id: string; name: string; email: string };
  /** The local date the membership began. */
  since: string;
  status?: User['status'];
}

export type Enforcement = 'block' | 'warn';

export interface Requirement {
  id: string;
  group_id: string;
  credential_types: Ref[];
  min_days_remaining: number;
  grace_days: number;
  enforcement: Enforcement;
}

export interface RequirementInput {
  credential_type_ids: string[];
  min_days_remaining: number;
  grace_days: number;
  enforcement: Enforcement;
}

export interface Exemption {
  id: string;
  requirement_id: string;
  user: Ref;
  reason: string;
  /** The last exempt day, inclusive; null: until revoked. */
  expires_on: string | null;
  granted_by: Ref | null;
  created_at: string;
}

export type RequirementStatus = 'met' | 'expiring' | 'exempt' | 'in_grace' | 'unmet';
export type ComplianceReason = 'expires_too_soon' | 'pending_approval' | 'rejected' | 'expired' | 'missing' | 'inactive_user';
export type Decision = 'allow' | 'warn' | 'deny';

/** One requirement as it stands for one person. */
export interface RequirementState {
  requirement_id: string;
  status: RequirementStatus;
  reason: ComplianceReason | null;
  credential_id: string | null;
  expiry_date: string | null;
}

export interface UserRequirementState extends RequirementState {
  credential_types: Ref[];
  enforcement: Enforcement;
  exemption: { id?: string; reason?: string; expires_on?: string | null } | null;
  grace_until: string | null;
}

export interface UserCompliance {
  user_id: string;
  decision: Decision;
  groups: { group_id: string; name: string; decision: Decision; requirements: UserRequirementState[] }[];
}

export interface MatrixRow {
  user: { id: string; name: string; email: string };
  decision: Decision;
  requirements: RequirementState[];
}

export interface Matrix extends Page<MatrixRow> {
  counts: { allow: number; warn: number; deny: number };
  /** The columns, in the group's order (read by those who may not list requirements too). */
  requirements?: Requirement[];
}

export interface GroupSummary {
  group_id: string;
  name: string;
  members: number;
  allow: number;
  warn: number;
  deny: number;
}

export interface CheckResult {
  decision: Decision;
  user: Ref;
  reasons: {
    requirement_id: string;
    status: RequirementStatus;
    reason: ComplianceReason | null;
    credential_types: Ref[];
    enforcement?: Enforcement;
    expiry_date?: string | null;
    grace_until?: string | null;
  }[];
  group?: Ref;
  /** False when the person is no member of the group. */
  member?: boolean;
}
