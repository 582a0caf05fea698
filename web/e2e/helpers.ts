import { expect, type APIRequestContext, type Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PASSWORD = 'demo-password';
export const ADMIN = 'admin@demo.example';
export const MANAGER = 'manager@demo.example';
export const SAM = 'sam@demo.example';
export const PRIYA = 'priya@demo.example';
export const LEE = 'lee@demo.example';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A name nobody else in this run uses. */
export function unique(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My credentials' })).toBeVisible();
}

/** Opens the menu under the organisation's name and follows one of its links. */
export async function openOrgMenu(page: Page, item: string) {
  const button = page.locator('.org-button');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  const nav = page.getByRole('navigation', { name: 'Organisation' });
  await nav.getByRole(item === 'Sign out' ? 'button' : 'link', { name: item, exact: true }).click();
}

export async function signOut(page: Page) {
  await openOrgMenu(page, 'Sign out');
  await expect(page.getByRole('heading', { name: 'Sign in to Bonafides' })).toBeVisible();
}

/** A screenshot for the docs, at the current viewport. */
export async function shot(page: Page, name: string) {
  await page.evaluate(() => document.fonts?.ready);
  await page.screenshot({ path: path.join(here, 'screenshots', `${name}.png`), fullPage: false });
}

/** The routes the running server implements, from its OpenAPI document. */
export async function serverRoutes(request: APIRequestContext): Promise<Set<string>> {
  const res = await request.get('/api/v1/openapi.json');
  const doc = (await res.json()) as { paths: Record<string, unknown> };
  return new Set(Object.keys(doc.paths));
}

/** An API session of its own (cookies apart from the page's), for setting up data quickly. */
export async function apiAs(playwright: { request: { newContext(o: object): Promise<APIRequestContext> } }, baseURL: string, email: string) {
  const ctx = await playwright.request.newContext({ baseURL });
  const res = await ctx.post('/api/v1/auth/login', { data: { email, password: PASSWORD } });
  expect(res.status(), `sign in ${email}`).toBe(200);
  return ctx;
}

export async function json<T>(res: { status(): number; json(): Promise<unknown>; url(): string }, status: number): Promise<T> {
  const body = await res.json().catch(() => undefined);
  expect(res.status(), `${res.url()} → ${JSON.stringify(body)}`).toBe(status);
  return body as T;
}

export async function typeId(ctx: APIRequestContext, name: string): Promise<string> {
  const list = await json<{ items: { id: string; name: string }[] }>(await ctx.get('/api/v1/credential-types'), 200);
  const t = list.items.find((x) => x.name === name);
  if (!t) throw new Error(`no credential type ${name}`);
  return t.id;
}

export async function userId(ctx: APIRequestContext, email: string): Promise<string> {
  const list = await json<{ items: { id: string; email: string }[] }>(await ctx.get(`/api/v1/users?q=${encodeURIComponent(email)}`), 200);
  const u = list.items.find((x) => x.email === email);
  if (!u) throw new Error(`no user ${email}`);
  return u.id;
}

type Pw = { request: { newContext(o: object): Promise<APIRequestContext> } };

/**
 * Remembers the organisation's settings and credential settings; the function it returns puts
 * them back, so a test that changes them leaves the demo as it found it.
 */
export async function keepSettings(playwright: Pw, baseURL: string): Promise<() => Promise<void>> {
  const admin = await apiAs(playwright, baseURL, ADMIN);
  const org = await json<Record<string, unknown>>(await admin.get('/api/v1/organization'), 200);
  const cs = await json<Record<string, unknown>>(await admin.get('/api/v1/settings/credentials'), 200);
  await admin.dispose();
  return async () => {
    const a = await apiAs(playwright, baseURL, ADMIN);
    await json(await a.patch('/api/v1/organization', { data: { name: org.name, timezone: org.timezone, date_format: org.date_format } }), 200);
    await json(await a.patch('/api/v1/settings/credentials', { data: cs }), 200);
    await a.dispose();
  };
}
