import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, setUnauthenticatedHandler } from './api';
import { Loading } from './components/ui';
import { Notices } from './notice';
import { Link, match, navigate, useLocation } from './router';
import { SessionContext, type Session } from './session';
import type { CredentialSettings, Organization, Permission, User } from './types';
import { LoginPage } from './pages/login';
import { ProfilePage } from './pages/profile';
import { UsersPage } from './pages/users';
import { UserPage } from './pages/user';
import { CredentialsPage } from './pages/credentials';
import { CredentialPage } from './pages/credential';
import { CredentialTypesPage } from './pages/credential-types';
import { ActivityPage } from './pages/activity';
import { SettingsPage } from './pages/settings';
import { NotificationsPage } from './pages/notifications';
import { BulkUploadPage } from './pages/bulk-upload';
import { GroupsPage } from './pages/groups';
import { GroupPage } from './pages/group';
import { CheckPage } from './pages/check';

type Boot = { state: 'loading' } | { state: 'signed-out' } | { state: 'failed'; error: ApiError } | { state: 'in'; me: User; org: Organization; settings: CredentialSettings; routes: Set<string> };

async function loadSession(): Promise<Boot> {
  try {
    const me = await api.me();
    // The routes tell which workflows this server offers yet (media, bulk upload, notifications).
    const [org, settings, routes] = await Promise.all([api.organization(), api.credentialSettings(), api.routes().catch(() => new Set<string>())]);
    return { state: 'in', me, org, settings, routes };
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return { state: 'signed-out' };
    return { state: 'failed', error: e instanceof ApiError ? e : new ApiError({ status: 0, detail: String(e) }) };
  }
}

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const loc = useLocation();

  useEffect(() => {
    setUnauthenticatedHandler(() => setBoot({ state: 'signed-out' }));
    loadSession().then(setBoot);
  }, []);

  const signedIn = useCallback(() => {
    setBoot({ state: 'loading' });
    loadSession().then((b) => {
      setBoot(b);
      const next = new URLSearchParams(location.search).get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    });
  }, []);

  if (boot.state === 'loading') return <Loading />;
  if (boot.state === 'failed')
    return (
      <main class="center-page">
        <h1>Bonafides</h1>
        <p role="alert">{boot.error.detail}</p>
        <button type="button" onClick={() => loadSession().then(setBoot)}>
          Try again
        </button>
      </main>
    );
  if (boot.state === 'signed-out') {
    if (loc.path !== '/login') {
      const here = loc.path + (loc.query.toString() ? `?${loc.query}` : '');
      history.replaceState(null, '', here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`);
    }
    return (
      <>
        <LoginPage onSignedIn={signedIn} />
        <Notices />
      </>
    );
  }

  const session: Session = {
    me: boot.me,
    org: boot.org,
    settings: boot.settings,
    can: (p: Permission) => (boot.me.permissions ?? []).includes(p),
    has: (route: string) => boot.routes.has(route),
    setOrg: (org) => setBoot({ ...boot, org }),
    setSettings: (settings) => setBoot({ ...boot, settings }),
    setMe: (me) => setBoot({ ...boot, me: { ...me, permissions: me.permissions ?? boot.me.permissions } }),
    signOut: async () => {
      try {
        await api.logout();
      } catch {
        // The session is gone either way.
      }
      history.replaceState(null, '', '/login');
      setBoot({ state: 'signed-out' });
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} path={loc.path} />
      <Notices />
    </SessionContext.Provider>
  );
}

function Routes({ path, onNotificationsChanged }: { path: string; onNotificationsChanged: () => void }) {
  let m: Record<string, string> | null;
  if (path === '/' || path === '/me' || path === '/login') return <ProfilePage />;
  if (path === '/users') return <UsersPage />;
  if ((m = match('/users/:id', path))) return <UserPage id={m.id} />;
  if (path === '/credentials') return <CredentialsPage />;
  if (path === '/credentials/bulk-upload') return <BulkUploadPage />;
  if ((m = match('/credentials/:id', path))) return <CredentialPage id={m.id} />;
  if (path === '/credential-types') return <CredentialTypesPage />;
  if (path === '/groups') return <GroupsPage />;
  if ((m = match('/groups/:id', path))) return <GroupPage id={m.id} />;
  if (path === '/check') return <CheckPage />;
  if (path === '/activity') return <ActivityPage />;
  if (path === '/settings') return <SettingsPage />;
  if (path === '/notifications') return <NotificationsPage onChanged={onNotificationsChanged} />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link href="/">Go to my credentials</Link>.
      </p>
    </section>
  );
}

interface NavItem {
  href: string;
  label: string;
  show: boolean;
  /** Shown indented, under the item before it. */
  sub?: boolean;
}

function Shell({ session, path }: { session: Session; path: string }) {
  const { me, org, can } = session;
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const seesOthers = can('users.manage') || can('credentials.manage');
  const items: NavItem[] = [
    { href: '/users', label: 'Users', show: seesOthers },
    { href: '/credentials', label: 'Credentials', show: seesOthers },
    { href: '/credentials/bulk-upload', label: 'Bulk upload', show: can('credentials.manage') && session.has('/api/v1/credential-imports'), sub: true },
    { href: '/credential-types', label: 'Credential types', show: true },
    { href: '/groups', label: 'Groups', show: seesOthers && session.has('/api/v1/groups') },
    { href: '/check', label: 'Check a person', show: seesOthers && session.has('/api/v1/compliance/check'), sub: true },
    { href: '/activity', label: 'Activity', show: can('credentials.manage') },
    { href: '/settings', label: 'Settings', show: true },
  ];
  // Unread in-app notifications; null while the server has no notifications API.
  const [unread, setUnread] = useState<number | null>(null);
  const countUnread = useCallback(() => {
    api.notifications({ unread: true, limit: 100 }).then(
      (p) => setUnread((p as { unread_count?: number }).unread_count ?? p.items.length),
      () => setUnread(null),
    );
  }, []);
  const first = useRef(true);
  useEffect(() => {
    setOpen(false);
    countUnread();
    // After a navigation, put the keyboard and screen reader at the new page's content.
    if (first.current) first.current = false;
    else document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  useEffect(() => {
    if (!open) return;
    const onDoc = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDoc);
    return () => document.removeEventListener('mousedown', onDoc);
  }, [open]);
  // The longest item that holds the path is the current one (Bulk upload, not Credentials too).
  const holds = (href: string) => path === href || path.startsWith(href + '/');
  const best = items.filter((i) => i.show && holds(i.href)).sort((a, b) => b.href.length - a.href.length)[0];
  const current = (href: string) => (best?.href === href ? 'page' : undefined);
  return (
    <div class="layout">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="sidebar">
        <Link class="brand" href="/" aria-label="Bonafides: my credentials">
          <span class="logo" aria-hidden="true">
            ✓
          </span>
          <span class="brand-text">Bonafides</span>
        </Link>
        <nav class="primary" aria-label="Personal">
          <Link href="/me" aria-current={path === '/' || path === '/me' ? 'page' : undefined}>
            My credentials
          </Link>
          {unread !== null && (
            <Link href="/notifications" aria-current={path === '/notifications' ? 'page' : undefined}>
              Notifications
              {unread > 0 && (
                <span class="count-pill">
                  {unread}
                  <span class="visually-hidden"> unread</span>
                </span>
              )}
            </Link>
          )}
        </nav>
        <div
          class="org-menu"
          ref={box}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && open) {
              setOpen(false);
              button.current?.focus();
            }
          }}
        >
          <button ref={button} type="button" class="org-button" aria-expanded={open} aria-controls="org-nav" onClick={() => setOpen(!open)}>
            <span class="org-name">{org.name}</span>
            <span class="org-user">{me.name}</span>
            <span class="chevron" aria-hidden="true">
              ▴
            </span>
          </button>
          <nav id="org-nav" class="org-nav" aria-label="Organisation" hidden={!open}>
            <ul>
              {items
                .filter((i) => i.show)
                .map((i) => (
                  <li key={i.href} class={i.sub ? 'sub' : undefined}>
                    <Link href={i.href} aria-current={current(i.href)}>
                      {i.label}
                    </Link>
                  </li>
                ))}
              <li class="sep">
                <Link href="/me">My profile</Link>
              </li>
              <li>
                {/* A page the server renders itself, not a route of this app: a full page load. */}
                <a href="/api/docs">API reference</a>
              </li>
              <li>
                <button type="button" class="link-button" onClick={() => session.signOut()}>
                  Sign out
                </button>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Routes path={path} onNotificationsChanged={countUnread} />
      </main>
    </div>
  );
}
