// What the interface says: one message per problem that goes once fixed, one primary status, a
// question before a second credential of a type, and an activity log in words.
import { expect, test } from '@playwright/test';
import { ADMIN, addCredential, apiAs, json, keepSettings, newHolder, openOrgMenu, openUser, serverRoutes, signIn, typeId } from './helpers';

test.beforeEach(async ({ request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/credentials'), 'waits for the credentials API (/api/v1/credentials)');
});

test('a field’s error is said once, in a sentence, and goes as soon as the field changes', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Erin Error');
  await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'First aid certificate'), issue_date: '2025-01-01', expiry_date: '2028-01-01' });
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  await page.getByRole('row', { name: /First aid certificate/ }).getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Add version' }).click();
  const dialog = page.getByRole('dialog', { name: /Add version/ });
  await dialog.getByLabel('Issue date').fill('2026-03-01');
  await dialog.getByLabel('Expiration date').fill('2026-02-01');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const expiry = dialog.getByLabel('Expiration date');
  await expect(expiry).toHaveAttribute('aria-invalid', 'true');
  const message = (await dialog.locator('.field-error').innerText()).replace(/^⚠\s*/, '');
  expect(message.charAt(0), message).toMatch(/[A-Z]/);
  // Said once: not again in a banner above the form.
  const said = await dialog.evaluate((el, m) => (el as HTMLElement).innerText.split(m).length - 1, message);
  expect(said, `"${message}" appears ${said} times`).toBe(1);
  // Fixing the value clears it at once, before the next Save.
  await expiry.fill('2029-03-01');
  await expect(expiry).not.toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.locator('.field-error')).toHaveCount(0);
  await admin.dispose();
});

test('one primary status: a rejected credential that has not expired reads Rejected, with its expiry as secondary text', async ({ page, playwright, baseURL }) => {
  const restore = await keepSettings(playwright, baseURL!);
  try {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    await json(await admin.patch('/api/v1/settings/credentials', { data: { approvals_required: true } }), 200);
    const holder = await newHolder(admin, 'Remy Rejected');
    const c = await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'Working with children check'), issue_date: '2025-01-01', expiry_date: '2031-01-01', credential_number: 'WWC-PRIMARY' });
    await json(await admin.post(`/api/v1/credentials/${c.id}/reject`, { data: { reason: 'Unreadable.' } }), 200);
    await signIn(page, ADMIN);
    const oneBadge = async (where: import('@playwright/test').Locator) => {
      await expect(where.locator('.badge')).toHaveCount(1);
      await expect(where.locator('.badge')).toHaveText('Rejected');
      await expect(where).toContainText('Valid');
    };
    await openUser(page, holder.name);
    await oneBadge(page.getByRole('row', { name: /Working with children check/ }));
    await openOrgMenu(page, 'Credentials');
    await page.getByLabel('Search').fill('WWC-PRIMARY');
    await expect(page.locator('tbody tr')).toHaveCount(1);
    await oneBadge(page.locator('tbody tr'));
    await page.goto(`/credentials/${c.id}`);
    await oneBadge(page.locator('.page-head'));
    await admin.dispose();
  } finally {
    await restore();
  }
});

test('adding a second credential of a type the user holds offers a version instead', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Dana Double');
  const fa = await typeId(admin, 'First aid certificate');
  await addCredential(admin, { user_id: holder.id, type_id: fa, issue_date: '2025-01-01', expiry_date: '2028-01-01' });
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  const add = async (held: string) => {
    await page.getByRole('button', { name: 'Add credential' }).click();
    const dialog = page.getByRole('dialog', { name: /Add credential/ });
    await dialog.getByLabel('Credential type').selectOption({ label: 'First aid certificate' });
    await dialog.getByLabel('Issue date').fill('2026-01-01');
    await dialog.getByLabel('Expiration date').fill('2029-01-01');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toContainText(`This user already has a First aid certificate (expires ${held}). Add a version to it instead?`);
    return dialog;
  };
  let dialog = await add('2028-01-01');
  await dialog.getByRole('button', { name: 'Add a version' }).click();
  await expect(dialog).toBeHidden();
  const rows = page.getByRole('row', { name: /First aid certificate/ });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('v2');

  dialog = await add('2029-01-01');
  await dialog.getByRole('button', { name: 'Add a separate credential' }).click();
  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(2);
  await admin.dispose();
});

test('the activity log speaks in words, hides sign-ins and previews unless asked, and reads its arrows aloud', async ({ page, playwright, baseURL, request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/activity'), 'waits for the activity API (/api/v1/activity)');
  const restore = await keepSettings(playwright, baseURL!);
  try {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    const before = await json<{ approvals_required: boolean }>(await admin.get('/api/v1/settings/credentials'), 200);
    await json(await admin.patch('/api/v1/settings/credentials', { data: { approvals_required: !before.approvals_required } }), 200);
    await signIn(page, ADMIN);
    await openOrgMenu(page, 'Activity');
    const table = page.locator('table.activity');
    const change = table.getByRole('row', { name: /Approvals required/ }).first();
    await expect(change).toBeVisible();
    await expect(change).not.toContainText(/\b(true|false)\b/);
    await expect(change).toContainText(before.approvals_required ? /Yes.*No/ : /No.*Yes/);
    await expect(change).toContainText('changed to');
    expect(await change.locator('[aria-label="changed to"]').count()).toBe(0);
    // One spelling.
    await expect(page.locator('main')).not.toContainText('Organization');
    expect((await page.getByLabel('Action').locator('option').allInnerTexts()).join('|')).not.toContain('Organization');
    // Sign-ins are hidden by default; the toggle shows them.
    await expect(table.getByRole('row', { name: /Signed in|Session created/ })).toHaveCount(0);
    await page.getByLabel('Show sign-ins and file previews').check();
    await expect(table.getByRole('row', { name: /Signed in/ }).first()).toBeVisible();
    await admin.dispose();
  } finally {
    await restore();
  }
});
