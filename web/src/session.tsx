// Who is signed in, their organisation and its credential settings, for every page.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { CredentialSettings, Organization, Permission, User } from './types';

export interface Session {
  me: User;
  org: Organization;
  settings: CredentialSettings;
  can: (p: Permission) => boolean;
  /** Does the server implement this route (a path of its OpenAPI document, as "/api/v1/media")? */
  has: (route: string) => boolean;
  setOrg: (o: Organization) => void;
  setSettings: (s: CredentialSettings) => void;
  setMe: (u: User) => void;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

/** May the signed-in user change this holder's credentials (add, edit, archive, delete)? */
export function canManageFor(s: Session, holderId: string): boolean {
  return s.me.id === holderId || s.can('users.manage');
}

/** May the signed-in user approve or reject this holder's credentials? */
export function canApproveFor(s: Session, holderId: string): boolean {
  return s.can('credentials.manage') && s.me.id !== holderId;
}
