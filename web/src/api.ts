// The one place that talks to the server: same-origin fetches of /api/v1, problem+json turned
// into ApiError. Every call goes through request(), so a lapsed session is noticed in one spot.
import type {
  ActivityEntry,
  AppNotification,
  BulkAction,
  BulkResult,
  Credential,
  CredentialSettings,
  CredentialType,
  FieldProblem,
  Organization,
  Page,
  PermissionSet,
  Problem,
  Summary,
  User,
  Version,
  VersionActivity,
} from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldProblem[];

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `request failed (${problem.status})`);
    this.status = problem.status;
    this.code = problem.code ?? '';
    this.detail = problem.detail || problem.title || `The server answered ${problem.status}.`;
    this.errors = problem.errors ?? [];
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
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const problem: Problem =
      data && typeof data === 'object' ? { status: res.status, ...(data as object) } : { status: res.status, title: res.statusText };
    if (res.status === 401 && path !== '/auth/login') onUnauthenticated();
    throw new ApiError(problem);
  }
  return data as T;
}

const get = <T>(path: string, query?: Query) => request<T>('GET', path, undefined, query);
const post = <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {});
const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);
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

  activity: (f: ActivityFilter) => get<Page<ActivityEntry>>('/activity', f as Query),

  notifications: (q: { unread?: boolean; cursor?: string; limit?: number } = {}) =>
    get<Page<AppNotification>>('/me/notifications', { unread: q.unread ? 'true' : undefined, cursor: q.cursor, limit: q.limit }),
  markRead: (id: string) => post<unknown>(`/me/notifications/${enc(id)}/read`),
  markAllRead: () => post<unknown>('/me/notifications/read-all'),
};

/** Lists come as {"items": [...]}; accept a bare array too. */
function listItems<T>(x: Page<T> | T[]): T[] {
  return Array.isArray(x) ? x : x.items;
}
