// The one place that talks to the server: same-origin fetches of /api/v1, problem+json turned
// into ApiError. Every call goes through request(), so a lapsed session is noticed in one spot.
import type {
  ActivityEntry,
  AppNotification,
  BulkAction,
  BulkResult,
  CheckResult,
  Credential,
  CredentialSettings,
  CredentialType,
  Exemption,
  FieldProblem,
  Group,
  GroupMember,
  GroupSummary,
  ImportResult,
  Matrix,
  NotificationSettings,
  Organization,
  Page,
  PermissionSet,
  Problem,
  Requirement,
  RequirementInput,
  Summary,
  UploadedMedia,
  User,
  UserCompliance,
  Version,
  VersionActivity,
} from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  /** The whole problem document, for answers that carry more than the standard members. */
  readonly body: Problem & Record<string, unknown>;

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `request failed (${problem.status})`);
    this.status = problem.status;
    this.code = problem.code ?? '';
    this.detail = problem.detail || problem.title || `The server answered ${problem.status}.`;
    this.errors = problem.errors ?? [];
    this.body = problem as Problem & Record<string, unknown>;
  }

  /** The message for `field`, if the server named it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

let onUnauthenticated: () => void = () => {};
/** Called when any request other than sign-in answers 401. */
export function setUnauthenticatedHandler(fn: () => void) {
  onUnauthenticated = fn;
}

type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function queryString(q?: Query): string {
  if (!q) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) {
      if (v.length) params.set(k, v.join(','));
    } else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function request<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${queryString(query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({ status: 0, detail: 'The server could not be reached. Check your connection and try again.' });
  }
  return settle<T>(res.status, res.statusText, res.status === 204 ? '' : await res.text(), path);
}

/** Turns an answer into its JSON, or throws the problem it carries as an ApiError. */
function settle<T>(status: number, statusText: string, text: string, path: string): T {
  if (status === 204) return undefined as T;
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (status < 200 || status >= 300) {
    const problem: Problem =
      data && typeof data === 'object' ? { status, ...(data as object) } : { status, title: statusText };
    if (status === 401 && path !== '/auth/login') onUnauthenticated();
    throw new ApiError(problem);
  }
  return data as T;
}

/** An upload under way: its answer, and a way to stop it. */
export interface Upload<T> {
  promise: Promise<T>;
  abort: () => void;
}

/**
 * POSTs one file as the multipart field `file`, reporting the share sent so far (0–1). An
 * XMLHttpRequest rather than fetch, because only it reports the progress of a request body.
 */
export function uploadFile<T>(path: string, file: Blob, filename: string, query?: Query, onProgress?: (fraction: number) => void): Upload<T> {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    xhr.open('POST', `/api/v1${path}${queryString(query)}`);
    xhr.setRequestHeader('Accept', 'application/json');
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.total ? e.loaded / e.total : 1);
    xhr.onload = () => {
      try {
        resolve(settle<T>(xhr.status, xhr.statusText, xhr.responseText, path));
      } catch (e) {
        reject(e);
      }
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, detail: 'The upload failed: the server could not be reached or closed the connection. Try again.' }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'aborted', detail: 'The upload was cancelled.' }));
    const form = new FormData();
    form.append('file', file, filename);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
const put = <T>(path: string, body: unknown) => request<T>('PUT', path, body);
const del = (path: string) => request<void>('DELETE', path);
const enc = encodeURIComponent;

export interface CredentialFilter {
  user_id?: string;
  type_id?: string;
  expiry_status?: string[];
  approval_status?: string[];
  archived?: 'false' | 'true' | 'all';
  q?: string;
  sort?: string;
  limit?: number;
  cursor?: string;
}

export interface CredentialInput {
  user_id?: string;
  type_id?: string;
  issue_date?: string;
  expiry_date?: string | null;
  credential_number?: string | null;
  media_ids?: string[];
}

export interface ImportOptions {
  dry_run: boolean;
  approve?: boolean;
  /** How the file writes dates besides YYYY-MM-DD; the organisation's format when left out. */
  date_format?: string;
}

function importQuery(o: ImportOptions, format?: 'csv'): Query {
  return { dry_run: String(o.dry_run), approve: o.approve ? 'true' : undefined, date_format: o.date_format, format };
}

/** The address of a media file's bytes, or of its preview. */
export const mediaUrl = (id: string) => `/api/v1/media/${encodeURIComponent(id)}`;
export const thumbnailUrl = (id: string) => `/api/v1/media/${encodeURIComponent(id)}/thumbnail`;
export const importTemplateUrl = '/api/v1/credential-imports/template.csv';
/** The CSV export of the credentials that `f` selects (without paging). */
export function exportUrl(f: CredentialFilter): string {
  const { cursor: _c, limit: _l, ...rest } = f;
  return `/api/v1/credentials/export.csv${queryString(rest as Query)}`;
}

/** The whole compliance matrix of a group as CSV (the `decision` filter is not applied). */
export const complianceCsvUrl = (groupId: string) => `/api/v1/groups/${encodeURIComponent(groupId)}/compliance.csv`;

export interface ActivityFilter {
  actor_id?: string;
  credential_id?: string;
  user_id?: string;
  action?: string;
  since?: string;
  until?: string;
  cursor?: string;
  limit?: number;
}

export const api = {
  login: (email: string, password: string) => post<{ user: User }>('/auth/login', { email, password }),
  logout: () => post<void>('/auth/logout'),
  me: () => get<User>('/me'),
  changePassword: (current_password: string, new_password: string) =>
    post<void>('/me/password', { current_password, new_password }),

  users: (q: { q?: string; status?: string; permission_set_id?: string; cursor?: string; limit?: number }) =>
    get<Page<User>>('/users', q as Query),
  user: (id: string) => get<User>(`/users/${enc(id)}`),
  createUser: (body: { email: string; name: string; permission_set_id: string; password?: string }) =>
    post<User>('/users', body),
  updateUser: (id: string, body: Partial<{ name: string; status: string; permission_set_id: string }>) =>
    patch<User>(`/users/${enc(id)}`, body),
  permissionSets: () => get<Page<PermissionSet>>('/permission-sets'),

  organization: () => get<Organization>('/organization'),
  updateOrganization: (body: Partial<Organization>) => patch<Organization>('/organization', body),
  credentialSettings: () => get<CredentialSettings>('/settings/credentials'),
  updateCredentialSettings: (body: Partial<CredentialSettings>) =>
    patch<CredentialSettings>('/settings/credentials', body),

  credentialTypes: (q?: string) => get<Page<CredentialType>>('/credential-types', { q }),
  createCredentialType: (body: Partial<CredentialType>) => post<CredentialType>('/credential-types', body),
  updateCredentialType: (id: string, body: Partial<CredentialType>) =>
    patch<CredentialType>(`/credential-types/${enc(id)}`, body),
  deleteCredentialType: (id: string) => del(`/credential-types/${enc(id)}`),

  credentials: (f: CredentialFilter) => get<Page<Credential>>('/credentials', f as Query),
  credential: (id: string) => get<Credential>(`/credentials/${enc(id)}`),
  createCredential: (body: CredentialInput) => post<Credential>('/credentials', body),
  versions: (id: string) => get<Page<Version> | Version[]>(`/credentials/${enc(id)}/versions`).then(listItems),
  addVersion: (id: string, body: CredentialInput) => post<Credential>(`/credentials/${enc(id)}/versions`, body),
  editVersion: (id: string, n: number, body: CredentialInput) =>
    patch<Credential>(`/credentials/${enc(id)}/versions/${n}`, body),
  versionActivity: (id: string, n: number) =>
    get<Page<VersionActivity> | VersionActivity[]>(`/credentials/${enc(id)}/versions/${n}/activity`).then(listItems),
  approve: (id: string) => post<Credential>(`/credentials/${enc(id)}/approve`),
  reject: (id: string, reason: string) => post<Credential>(`/credentials/${enc(id)}/reject`, { reason }),
  archive: (id: string) => post<Credential>(`/credentials/${enc(id)}/archive`),
  restore: (id: string) => post<Credential>(`/credentials/${enc(id)}/restore`),
  deleteCredential: (id: string) => del(`/credentials/${enc(id)}`),
  bulk: (action: BulkAction, ids: string[]) => post<{ results: BulkResult[] }>('/credentials/bulk', { action, ids }),
  summary: () => get<Summary>('/credentials/summary'),

  uploadMedia: (file: File, onProgress?: (fraction: number) => void) => uploadFile<UploadedMedia>('/media', file, file.name, undefined, onProgress),

  /**
   * A bulk upload, dry or for real. A commit refused because of row errors answers 422 with the
   * same counts and the row errors: that comes back as an ImportResult too, with committed false.
   */
  importCredentials: (file: File, o: ImportOptions, onProgress?: (fraction: number) => void): Upload<ImportResult> => {
    const up = uploadFile<ImportResult>('/credential-imports', file, file.name, importQuery(o), onProgress);
    const promise = up.promise.catch((e) => {
      if (e instanceof ApiError && e.status === 422 && Array.isArray(e.body.errors) && typeof e.body.rows === 'number') {
        return { ...(e.body as unknown as ImportResult), committed: false };
      }
      throw e;
    });
    return { promise, abort: up.abort };
  },
  /** The file back with an `import_errors` column: a CSV the person can fix in place. */
  importReport: async (file: File, o: ImportOptions): Promise<Blob> => {
    const form = new FormData();
    form.append('file', file, file.name);
    const path = '/credential-imports';
    const res = await fetch(`/api/v1${path}${queryString(importQuery({ ...o, dry_run: true }, 'csv'))}`, { method: 'POST', credentials: 'same-origin', body: form }).catch(() => {
      throw new ApiError({ status: 0, detail: 'The server could not be reached. Check your connection and try again.' });
    });
    if (!res.ok) settle(res.status, res.statusText, await res.text(), path);
    return res.blob();
  },

  notificationSettings: (userId?: string) => get<NotificationSettings>(userId ? `/users/${enc(userId)}/notification-settings` : '/me/notification-settings'),
  updateNotificationSettings: (body: NotificationSettings, userId?: string) =>
    put<NotificationSettings>(userId ? `/users/${enc(userId)}/notification-settings` : '/me/notification-settings', body),

  /** The paths the server implements, from its OpenAPI document. */
  routes: () => get<{ paths: Record<string, unknown> }>('/openapi.json').then((d) => new Set(Object.keys(d.paths ?? {}))),

  groups: (q: { q?: string; cursor?: string; limit?: number } = {}) => get<Page<Group>>('/groups', q as Query),
  group: (id: string) => get<Group>(`/groups/${enc(id)}`),
  createGroup: (body: { name: string; description?: string }) => post<Group>('/groups', body),
  updateGroup: (id: string, body: { name?: string; description?: string }) => patch<Group>(`/groups/${enc(id)}`, body),
  deleteGroup: (id: string) => del(`/groups/${enc(id)}`),
  members: (groupId: string, q: { cursor?: string; limit?: number } = {}) =>
    get<Page<unknown> | unknown[]>(`/groups/${enc(groupId)}/members`, q as Query).then((p) => {
      const items = listItems(p).map(memberOf);
      return { items, next_cursor: Array.isArray(p) ? null : p.next_cursor ?? null } as Page<GroupMember>;
    }),
  addMembers: (groupId: string, user_ids: string[], since?: string) =>
    post<unknown>(`/groups/${enc(groupId)}/members`, since ? { user_ids, since } : { user_ids }),
  removeMember: (groupId: string, userId: string) => del(`/groups/${enc(groupId)}/members/${enc(userId)}`),
  requirements: (groupId: string) =>
    get<Page<Requirement> | Requirement[]>(`/groups/${enc(groupId)}/requirements`).then((p) => listItems(p).map(requirementOf)),
  createRequirement: (groupId: string, body: RequirementInput) =>
    post<Requirement>(`/groups/${enc(groupId)}/requirements`, body).then(requirementOf),
  updateRequirement: (id: string, body: Partial<RequirementInput>) => patch<Requirement>(`/requirements/${enc(id)}`, body).then(requirementOf),
  deleteRequirement: (id: string) => del(`/requirements/${enc(id)}`),
  exemptions: (requirementId: string) =>
    get<Page<Exemption> | Exemption[]>(`/requirements/${enc(requirementId)}/exemptions`).then((p) => listItems(p).map(exemptionOf)),
  grantExemption: (requirementId: string, body: { user_id: string; reason: string; expires_on?: string }) =>
    post<Exemption>(`/requirements/${enc(requirementId)}/exemptions`, body),
  revokeExemption: (id: string) => del(`/exemptions/${enc(id)}`),
  userCompliance: (userId?: string) => get<UserCompliance>(userId ? `/users/${enc(userId)}/compliance` : '/me/compliance'),
  groupCompliance: (groupId: string, q: { decision?: string[]; cursor?: string; limit?: number } = {}) =>
    get<Matrix>(`/groups/${enc(groupId)}/compliance`, q as Query),
  complianceSummary: () =>
    get<GroupSummary[] | { items?: GroupSummary[]; groups?: GroupSummary[] }>('/compliance/summary').then((d) => (Array.isArray(d) ? d : d.items ?? d.groups ?? [])),
  check: (body: { group_id: string; user_id?: string; email?: string }) => post<CheckResult>('/compliance/check', body),

  activity: (f: ActivityFilter) => get<Page<ActivityEntry>>('/activity', f as Query),

  notifications: (q: { unread?: boolean; cursor?: string; limit?: number } = {}) =>
    get<Page<AppNotification>>('/me/notifications', { unread: q.unread ? 'true' : undefined, cursor: q.cursor, limit: q.limit }),
  markRead: (id: string) => post<unknown>(`/me/notifications/${enc(id)}/read`),
  markAllRead: () => post<unknown>('/me/notifications/read-all'),
};

type Loose = Record<string, unknown>;

/** A member as {"user": {…}, "since"}, whether the server nests the user or not. */
function memberOf(x: unknown): GroupMember {
  const o = x as Loose;
  if (o.user && typeof o.user === 'object') return o as unknown as GroupMember;
  return {
    user: { id: String(o.user_id ?? o.id ?? ''), name: String(o.name ?? ''), email: String(o.email ?? '') },
    since: String(o.since ?? ''),
    status: o.status as GroupMember['status'],
  };
}

/** A requirement with `credential_types` as {id, name}; names left empty when only ids came. */
function requirementOf(x: Requirement): Requirement {
  const o = x as unknown as Loose;
  if (Array.isArray(o.credential_types)) return x;
  const ids = Array.isArray(o.credential_type_ids) ? (o.credential_type_ids as string[]) : [];
  return { ...x, credential_types: ids.map((id) => ({ id, name: '' })) };
}

/** An exemption with `user` and `granted_by` as {id, name}, whether nested or not. */
function exemptionOf(x: Exemption): Exemption {
  const o = x as unknown as Loose;
  const ref = (v: unknown, id: unknown, name: unknown) => (v && typeof v === 'object' ? (v as { id: string; name: string }) : id ? { id: String(id), name: String(name ?? '') } : null);
  return {
    ...x,
    user: ref(o.user, o.user_id, o.user_name) ?? { id: '', name: '' },
    granted_by: ref(o.granted_by, o.granted_by_id ?? (typeof o.granted_by === 'string' ? o.granted_by : undefined), o.granted_by_name),
    expires_on: (o.expires_on as string | null | undefined) ?? null,
  };
}

/** Lists come as {"items": [...]}; accept a bare array too. */
function listItems<T>(x: Page<T> | T[]): T[] {
  return Array.isArray(x) ? x : x.items;
}
