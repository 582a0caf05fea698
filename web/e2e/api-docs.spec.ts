// The API reference (/api/docs): reached from the organisation menu, rendered by the server's
// own copy of Redoc from /api/v1/openapi.json, with no request to any other origin and no
// breach of the page's Content-Security-Policy.
import { expect, test } from '@playwright/test';
import { openOrgMenu, serverRoutes, signIn, ADMIN } from './helpers';

test.beforeEach(async ({ request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/docs'), 'waits for the API reference (/api/docs)');
});

test('the API reference shows every operation with its schemas, from this server alone', async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const elsewhere: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['data:', 'blob:'].includes(url.protocol) && url.origin !== origin) elsewhere.push(r.url());
  });
  const breaches: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) breaches.push(m.text());
  });
  page.on('pageerror', (e) => breaches.push(`uncaught: ${e.message}`));

  await signIn(page, ADMIN);
  await openOrgMenu(page, 'API reference');
  await expect(page).toHaveURL(/\/api\/docs$/);
  await expect(page).toHaveTitle('Bonafides API reference');
  // Redoc has rendered the document: its title, an operation by its summary, and its id.
  await expect(page.getByRole('heading', { name: /Bonafides API/ }).first()).toBeVisible({ timeout: 15_000 });
  const list = page.locator('[id="operation/listCredentials"]');
  await expect(list).toBeAttached();
  await expect(list.getByRole('heading', { name: 'List credentials with filters' })).toBeVisible();
  // Its query parameters and its answer's schema are there too.
  await expect(list.getByText('expiring_before', { exact: true }).first()).toBeAttached();
  await expect(list.getByText('next_cursor').first()).toBeAttached();
  // Every operation of the document has its section.
  const doc = (await (await page.request.get('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, { operationId: string }>> };
  const ids = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
  expect(ids.length).toBeGreaterThan(50);
  for (const id of ids) await expect(page.locator(`[id="operation/${id}"]`), id).toBeAttached();

  // The search (Redoc's worker) finds an operation by its summary.
  await page.getByPlaceholder('Search...').fill('approve the latest');
  await expect(page.locator('[role=search]').getByText('Approve the latest version')).toBeVisible();

  expect(elsewhere, 'requests to other origins').toEqual([]);
  expect(breaches, 'Content-Security-Policy breaches and errors').toEqual([]);
});
