// Bulk upload and export (API.md "Bulk upload and export", CSV.md): the template, a file with one
// bad row reviewed by row and column, the report, the corrected file, the import with "approve
// all", and the export of the filtered table. Skipped, saying so, while the server's OpenAPI
// document lacks the routes.
import { expect, test } from '@playwright/test';
import { ADMIN, SAM, apiAs, downloadedText, json, newHolder, openOrgMenu, serverRoutes, shot, signIn, type Cred } from './helpers';

test('upload a CSV with one bad row, see the error by row and column, correct it, import with approve all', async ({ page, playwright, baseURL, request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/credential-imports'), 'waits for the bulk upload API (/api/v1/credential-imports)');
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const a = await newHolder(admin, 'Bailey Bulk');
  const b = await newHolder(admin, 'Casey Csv');
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Bulk upload');
  await expect(page.getByRole('heading', { level: 1, name: 'Bulk upload' })).toBeVisible();

  // The template: the header row and an example.
  let download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the template' }).click();
  const template = await downloadedText(await download);
  expect(template).toContain('email,credential_type,issue_date,expiry_date,credential_number');

  // Row 3 has a date that does not exist.
  const header = 'email,credential_type,issue_date,expiry_date,credential_number';
  const rows = (bDate: string) =>
    [header, `${a.email},First aid certificate,2025-01-10,2028-01-10,BU-A1`, `${b.email},Driver's licence,${bDate},2030-02-01,BU-B1`, `${b.email},Site induction,2024-05-01,,`, ''].join('\n');
  await page.getByLabel('CSV file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('2025-02-30')) });
  const review = page.getByRole('region', { name: '3. Review staff.csv' });
  await expect(review).toBeVisible();
  await expect(review.locator('.import-counts')).toContainText('Rows3');
  await expect(review).toContainText('1 error in this file');
  const errors = review.getByRole('table');
  await expect(errors.getByRole('row')).toHaveCount(2); // header + one error
  const bad = errors.getByRole('row').nth(1);
  await expect(bad.getByRole('cell').nth(0)).toHaveText('3');
  await expect(bad.getByRole('cell').nth(1)).toHaveText('issue_date');
  await expect(bad.getByRole('cell').nth(2)).toContainText('2025-02-30');
  await expect(review.getByRole('button', { name: /^Import/ })).toHaveCount(0);
  await review.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'bulk-upload-review');

  // The report: the file back with an import_errors column.
  download = page.waitForEvent('download');
  await review.getByRole('button', { name: 'Download the report (CSV)' }).click();
  const report = await downloadedText(await download);
  expect(report.split(/\r?\n/)[0]).toContain('import_errors');
  expect(report).toContain('2025-02-30');

  // The corrected file: no errors, three to create; import, approving all.
  await page.getByLabel('CSV file').setInputFiles({ name: 'staff-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('2025-02-28')) });
  const fixed = page.getByRole('region', { name: '3. Review staff-fixed.csv' });
  await expect(fixed).toContainText('No errors: the file is ready to import.');
  await expect(fixed.locator('.import-counts')).toContainText('To create3');
  await fixed.getByRole('switch', { name: 'Approve all 3 imported versions' }).check();
  await fixed.getByRole('button', { name: 'Import 3 rows' }).click();
  const done = page.getByRole('region', { name: 'Imported staff-fixed.csv' });
  await expect(done).toContainText('Created3');
  await expect(done).toContainText('Approved3');
  await shot(page, 'bulk-upload-done');

  const theirs = await json<{ items: (Cred & { credential_number: string | null })[] }>(await admin.get(`/api/v1/credentials?user_id=${b.id}`), 200);
  expect(theirs.items.map((c) => c.approval_status).sort()).toEqual(['approved', 'approved']);

  // Uploading the same file again changes nothing.
  await page.getByLabel('CSV file').setInputFiles({ name: 'staff-fixed.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('2025-02-28')) });
  await expect(page.getByRole('region', { name: '3. Review staff-fixed.csv' })).toContainText('nothing to import');

  // At a phone's width the review stays within the screen.
  await page.setViewportSize({ width: 375, height: 812 });
  await page.getByLabel('CSV file').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(rows('2025-02-30')) });
  await expect(page.getByRole('region', { name: '3. Review staff.csv' })).toContainText('1 error');
  await shot(page, 'mobile-bulk-upload');
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await admin.dispose();
});

test('the credentials table downloads as CSV with its filters', async ({ page, playwright, baseURL, request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/credentials/export.csv'), 'waits for the export API (/api/v1/credentials/export.csv)');
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const h = await newHolder(admin, 'Emery Export');
  const types = await json<{ items: { id: string; name: string }[] }>(await admin.get('/api/v1/credential-types'), 200);
  const id = (name: string) => types.items.find((t) => t.name === name)!.id;
  await json(await admin.post('/api/v1/credentials', { data: { user_id: h.id, type_id: id("Driver's licence"), issue_date: '2025-01-01', expiry_date: '2030-01-01', credential_number: 'EX-DL' } }), 201);
  await json(await admin.post('/api/v1/credentials', { data: { user_id: h.id, type_id: id('First aid certificate'), issue_date: '2025-01-01', expiry_date: '2030-01-01', credential_number: 'EX-FA' } }), 201);
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Credentials');
  await page.getByLabel('Search').fill(h.name);
  await page.getByLabel('Type', { exact: true }).selectOption({ label: "Driver's licence" });
  await expect(page).toHaveURL(/[?&]q=/); // the search is applied once typing stops
  await expect(page.getByRole('row', { name: /EX-DL/ })).toBeVisible();
  await expect(page.getByRole('row', { name: /EX-FA/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', /type_id=.*q=|q=.*type_id=/);
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const csv = await downloadedText(await download);
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toContain('email,credential_type,issue_date,expiry_date,credential_number,credential_id');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('EX-DL');
  await admin.dispose();
});

test('a standard user has no bulk upload', async ({ page, request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/credential-imports'), 'waits for the bulk upload API (/api/v1/credential-imports)');
  await signIn(page, SAM);
  await page.locator('.org-button').click();
  await expect(page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Bulk upload' })).toHaveCount(0);
  await page.goto('/credentials/bulk-upload');
  await expect(page.getByText('Bulk upload is for people who manage credentials')).toBeVisible();
});
