import { expect, type APIRequestContext, type Download, type Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
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

export interface Cred {
  id: string;
  version: number;
  approval_status: string;
  media?: { id: string; filename: string; content_type: string; size: number }[];
}

/** A fresh standard user, made through the API; their page is where a test adds credentials. */
export async function newHolder(admin: APIRequestContext, first: string): Promise<{ id: string; name: string; email: string }> {
  const name = unique(first);
  const email = `${name.split(' ').pop()}@demo.example`;
  const sets = await json<{ items: { id: string; name: string }[] }>(await admin.get('/api/v1/permission-sets'), 200);
  const standard = sets.items.find((s) => s.name === 'standard')!.id;
  const u = await json<{ id: string }>(await admin.post('/api/v1/users', { data: { name, email, permission_set_id: standard, password: 'demo-password' } }), 201);
  return { id: u.id, name, email };
}

export async function addCredential(ctx: APIRequestContext, body: Record<string, unknown>): Promise<Cred> {
  return json<Cred>(await ctx.post('/api/v1/credentials', { data: body }), 201);
}

/** Finds a user through the Users page and opens theirs. */
export async function openUser(page: Page, name: string) {
  await openOrgMenu(page, 'Users');
  await page.getByLabel('Search').fill(name);
  await page.getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** A small PNG of one colour, made here so that no binary fixture is needed. */
export function pngBytes(width: number, height: number, rgb: [number, number, number] = [31, 95, 191]): Buffer {
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, i) => rgb[i % 3])]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A one-page PDF with a line of text, complete with its cross-reference table; with null, a
 * well-formed PDF of no pages, of which no preview can be made.
 */
export function pdfBytes(text: string | null): Buffer {
  const stream = `BT /F1 18 Tf 20 60 Td (${(text ?? '').replace(/[()\\]/g, '')}) Tj ET`;
  const objects =
    text === null
      ? ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']
      : [
          '<< /Type /Catalog /Pages 2 0 R >>',
          '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
          '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 120] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
          `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
          '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
        ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Uploads a file through the API; its id is what media_ids takes. */
export async function uploadMedia(ctx: APIRequestContext, name: string, mimeType: string, buffer: Buffer): Promise<{ id: string }> {
  return json<{ id: string }>(await ctx.post('/api/v1/media', { multipart: { file: { name, mimeType, buffer } } }), 201);
}

/** The text of a file the page downloaded. */
export async function downloadedText(download: Download): Promise<string> {
  return readFile(await download.path(), 'utf8');
}
