// Workflows on credentials. They need /api/v1/credentials (API.md "Credentials" and "Activity
// log"): each test is skipped, saying so, while the server's OpenAPI document lacks those routes.
import { expect, test } from '@playwright/test';
import { ADMIN, MANAGER, PRIYA, SAM, addCredential, type Cred, apiAs, json, keepSettings, newHolder, openOrgMenu, openUser, serverRoutes, shot, signIn, typeId, unique, userId } from './helpers';

test.beforeEach(async ({ request }) => {
  const routes = await serverRoutes(request);
  test.skip(!routes.has('/api/v1/credentials'), 'waits for the credentials API (/api/v1/credentials)');
});

test('add a credential, add a version, edit the latest, see its history and activity', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Harper Holder');
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  await expect(page.getByText('No current credentials.')).toBeVisible();

  // Add credential: type, issue date, expiry date, number.
  await page.getByRole('button', { name: 'Add credential' }).click();
  let dialog = page.getByRole('dialog', { name: `Add credential for ${holder.name}` });
  await dialog.getByLabel('Credential type').selectOption({ label: 'First aid certificate' });
  await dialog.getByLabel('Issue date').fill('2025-03-01');
  await dialog.getByLabel('Expiration date').fill('2028-03-01');
  await dialog.getByLabel('Credential number (optional)').fill('FA-100');
  await shot(page, 'add-credential');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /First aid certificate/ });
  await expect(row).toContainText('FA-100');
  await expect(row).toContainText('2028-03-01');
  await expect(row).toContainText('Valid');

  // A type that never expires hides the expiry date.
  await page.getByRole('button', { name: 'Add credential' }).click();
  dialog = page.getByRole('dialog', { name: `Add credential for ${holder.name}` });
  await dialog.getByLabel('Credential type').selectOption({ label: 'Site induction' });
  await expect(dialog.getByLabel('Expiration date')).toHaveCount(0);
  await expect(dialog).toContainText('Site induction does not expire.');
  await dialog.getByLabel('Issue date').fill('2024-07-15');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: /Site induction/ })).toContainText('No expiry');

  // Add version, first with an expiry before the issue date: the server's message is by the field.
  await row.getByRole('button', { name: /^Actions for First aid certificate/ }).click();
  await page.getByRole('menuitem', { name: 'Add version' }).click();
  dialog = page.getByRole('dialog', { name: 'Add version: First aid certificate' });
  await dialog.getByLabel('Issue date').fill('2026-03-01');
  await dialog.getByLabel('Expiration date').fill('2026-02-01');
  await dialog.getByLabel('Credential number (optional)').fill('FA-200');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByLabel('Expiration date')).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByLabel('Expiration date').fill('2029-03-01');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('v2');
  await expect(row).toContainText('FA-200');

  // Edit latest version: a correction of the number.
  await row.getByRole('button', { name: /^Actions for First aid certificate/ }).click();
  await page.getByRole('menuitem', { name: 'Edit latest version' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit version 2: First aid certificate' });
  await expect(dialog.getByLabel('Credential number (optional)')).toHaveValue('FA-200');
  await dialog.getByLabel('Credential number (optional)').fill('FA-201');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('FA-201');

  // View history: every version, each selectable.
  await row.getByRole('button', { name: /^Actions for First aid certificate/ }).click();
  await page.getByRole('menuitem', { name: 'View history' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'First aid certificate' })).toBeVisible();
  // The History tab; choosing a version shows its details.
  await expect(page.getByRole('tab', { name: /^History/ })).toHaveAttribute('aria-selected', 'true');
  const history = page.getByRole('tabpanel');
  await expect(history.getByRole('button', { name: 'Version 2 (latest)' })).toBeVisible();
  await shot(page, 'credential-history');
  await expect(history.getByRole('row')).toHaveCount(3); // header + 2 versions
  await history.getByRole('button', { name: 'Version 1' }).click();
  await expect(page.getByRole('heading', { name: 'Version 1', exact: true })).toBeVisible();
  await expect(page.locator('.details')).toContainText('FA-100');
  await expect(page.locator('.details')).toContainText('2028-03-01');

  // Activity of version 2: who, when, old → new.
  await page.getByRole('tab', { name: 'Activity' }).click();
  await page.getByLabel('Version', { exact: true }).selectOption('2');
  const change = page.getByRole('tabpanel').getByRole('row', { name: /Credential number/ }).filter({ hasText: 'FA-201' });
  await expect(change).toContainText('FA-200');
  await expect(change).toContainText('FA-201');
  await expect(change).toContainText('Ada Administrator');
  await shot(page, 'credential-activity');
  await admin.dispose();
});

test('archive, then delete after a confirmation that names the credential', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Avery Archive');
  await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, "Driver's licence"), issue_date: '2024-01-01', expiry_date: '2030-01-01', credential_number: 'DL-9' });
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  const row = page.getByRole('row', { name: /Driver's licence/ });
  await row.getByRole('button', { name: /^Actions for/ }).click();
  // Delete is offered before archiving too (article.spec.ts); here, an archived one.
  await expect(page.getByRole('menuitem', { name: 'Delete' })).toBeVisible();
  await page.getByRole('menuitem', { name: 'Archive' }).click();
  await expect(row).toHaveCount(0);

  await page.getByLabel('Show archived').check();
  await expect(row).toContainText('Archived');
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await expect(page.getByRole('menuitem', { name: 'Restore' })).toBeVisible();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete credential?' });
  await expect(dialog).toContainText(`Driver's licence of ${holder.name}`);
  await expect(dialog).toContainText('Deleting cannot be undone.');
  // Already archived: no "Archive instead".
  await expect(dialog.getByRole('button', { name: 'Archive instead' })).toHaveCount(0);
  await shot(page, 'delete-credential');
  // Cancel keeps it; Delete removes it.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await expect(page.getByText('No credentials.')).toBeVisible();
  await admin.dispose();
});

test.describe('with approvals on', () => {
  let restore: () => Promise<void>;
  test.beforeEach(async ({ playwright, baseURL }) => {
    restore = await keepSettings(playwright, baseURL!);
  });
  test.afterEach(async () => restore());

  test('a manager approves one credential and rejects another with a reason', async ({ page, playwright, baseURL }) => {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    await json(await admin.patch('/api/v1/settings/credentials', { data: { approvals_required: true } }), 200);
    const holder = await newHolder(admin, 'Parker Pending');
    const holderApi = await apiAs(playwright, baseURL!, holder.email);
    const wwc = await addCredential(holderApi, { type_id: await typeId(admin, 'Working with children check'), issue_date: '2025-05-01', expiry_date: '2030-05-01', credential_number: 'WWC-1' });
    const hrw = await addCredential(holderApi, { type_id: await typeId(admin, 'High-risk work licence'), issue_date: '2025-05-01', expiry_date: '2030-05-01', credential_number: 'HRW-1' });
    expect(wwc.approval_status).toBe('pending');

    await signIn(page, MANAGER);
    await openOrgMenu(page, 'Credentials');
    const pendingCard = page.getByRole('button', { name: /Pending approval/ }).first();
    await expect(pendingCard).toBeVisible();
    await expect(page.locator('.summary')).toContainText('Expiring soon');
    await page.getByRole('tab', { name: 'Pending approval' }).click();
    await expect(page.getByText(`Working with children check · ${holder.name}`)).toBeVisible();
    await shot(page, 'pending-approval');

    await page.getByRole('button', { name: `Approve Working with children check of ${holder.name}` }).click();
    await expect(page.getByText(`Working with children check · ${holder.name}`)).toHaveCount(0);

    await page.getByRole('button', { name: `Reject High-risk work licence of ${holder.name}` }).click();
    const dialog = page.getByRole('dialog', { name: 'Reject credential' });
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await expect(dialog.getByLabel('Reason')).toHaveAttribute('aria-invalid', 'true');
    await dialog.getByLabel('Reason').fill('The photo is unreadable; please upload a clearer one.');
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText(`High-risk work licence · ${holder.name}`)).toHaveCount(0);

    // The server agrees.
    expect((await json<Cred>(await admin.get(`/api/v1/credentials/${wwc.id}`), 200)).approval_status).toBe('approved');
    expect((await json<Cred>(await admin.get(`/api/v1/credentials/${hrw.id}`), 200)).approval_status).toBe('rejected');

    // The holder sees both statuses, and the reason.
    await page.context().clearCookies();
    await signIn(page, holder.email);
    await expect(page.getByRole('row', { name: /Working with children check/ })).toContainText('Approved');
    await expect(page.getByRole('row', { name: /High-risk work licence/ })).toContainText('Rejected');
    await page.getByRole('link', { name: 'High-risk work licence' }).click();
    await expect(page.locator('.details')).toContainText('The photo is unreadable');
    // A holder cannot approve their own credential: no Approve button.
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

    // The rejection is also an in-app notification (once the server has them).
    if ((await serverRoutes(page.request)).has('/api/v1/me/notifications')) {
      const link = page.getByRole('navigation', { name: 'Personal' }).getByRole('link', { name: /Notifications/ });
      await expect(link).toContainText('unread');
      await link.click();
      await expect(page.getByRole('heading', { level: 3, name: /High-risk work licence is requested for resubmission/ })).toBeVisible();
      await shot(page, 'notifications');
      await page.getByRole('button', { name: 'Mark all read' }).click();
      await expect(page.getByRole('button', { name: 'Mark all read' })).toHaveCount(0);
      await expect(link).not.toContainText('unread');
    }
    await holderApi.dispose();
    await admin.dispose();
  });

  test('a new version is pending, and is approved from the credential’s page', async ({ page, playwright, baseURL }) => {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    await json(await admin.patch('/api/v1/settings/credentials', { data: { approvals_required: true } }), 200);
    const holder = await newHolder(admin, 'Quinn Queue');
    const c = await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'First aid certificate'), issue_date: '2025-01-01', expiry_date: '2027-01-01' });
    await signIn(page, MANAGER);
    await page.goto(`/credentials/${c.id}`);
    await expect(page.locator('.page-head')).toContainText('Pending approval');
    await page.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(page.locator('.page-head')).toContainText('Approved');
    await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
    await admin.dispose();
  });
});

test('the credentials table: counts, filters and bulk archive, restore and delete', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Blake Bulk');
  const tag = unique('BLK').split(' ').pop()!;
  const dl = await typeId(admin, "Driver's licence");
  await addCredential(admin, { user_id: holder.id, type_id: dl, issue_date: '2019-01-01', expiry_date: '2021-01-01', credential_number: `${tag}-old` });
  await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'First aid certificate'), issue_date: '2025-01-01', expiry_date: '2031-01-01', credential_number: `${tag}-new` });

  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Credentials');
  await expect(page.getByRole('heading', { level: 1, name: 'Credentials' })).toBeVisible();
  for (const card of ['Pending approval', 'Expired', 'Expiring soon', 'Total']) await expect(page.locator('.summary')).toContainText(card);
  await shot(page, 'credentials');

  await page.getByLabel('Search').fill(tag);
  const rows = page.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await page.getByLabel('Expiration status').selectOption('expired');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag}-old`);
  await expect(rows.first()).toContainText('Expired');
  await page.getByLabel('Expiration status').selectOption('');
  await page.getByLabel('Type').selectOption({ label: 'First aid certificate' });
  await expect(rows).toHaveCount(1);
  await page.getByLabel('Type').selectOption('');
  await expect(rows).toHaveCount(2);

  await page.getByLabel('Select all shown').check();
  await expect(page.locator('.bulk-bar')).toContainText('2 selected');
  await page.locator('.bulk-bar').getByRole('button', { name: 'Archive' }).click();
  await expect(page.locator('.report')).toContainText('Archived 2 credentials.');
  await expect(rows).toHaveCount(0);

  await page.getByLabel('Archived').selectOption('true');
  await expect(rows).toHaveCount(2);
  await page.getByRole('checkbox', { name: new RegExp(`Select Driver's licence of ${holder.name}`) }).check();
  await page.locator('.bulk-bar').getByRole('button', { name: 'Restore' }).click();
  await expect(page.locator('.report')).toContainText('Restored 1 credential.');
  await expect(rows).toHaveCount(1);

  await page.getByLabel('Select all shown').check();
  await page.locator('.bulk-bar').getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete 1 credential?' });
  await expect(dialog).toContainText(`First aid certificate of ${holder.name}`);
  await expect(dialog).toContainText('This cannot be undone.');
  await dialog.getByRole('button', { name: 'Delete 1 credential' }).click();
  await expect(page.locator('.report')).toContainText('Deleted 1 credential.');
  await expect(rows).toHaveCount(0);
  await admin.dispose();
});

test('a credential type in use cannot be deleted, and the server says why', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Tatum Type');
  const name = unique('Crane licence');
  const t = await json<{ id: string }>(await admin.post('/api/v1/credential-types', { data: { name } }), 201);
  await addCredential(admin, { user_id: holder.id, type_id: t.id, issue_date: '2025-01-01', expiry_date: '2030-01-01' });
  const refusal = await json<{ detail: string; code: string }>(await admin.delete(`/api/v1/credential-types/${t.id}`), 409);
  expect(refusal.code).toBe('type_in_use');

  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Credential types');
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('1 credential');
  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete credential type?' });
  await dialog.getByRole('button', { name: 'Delete type' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(refusal.detail);
  await expect(dialog.getByRole('button', { name: 'Delete type' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toBeVisible();
  await admin.dispose();
});

test('a standard user sees only their own credentials', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const sam = await userId(admin, SAM);
  const priya = await userId(admin, PRIYA);
  const dl = await typeId(admin, "Driver's licence");
  const tag = unique('OWN').split(' ').pop()!;
  const samNo = `SAM-${tag}`;
  const priyaNo = `PRIYA-${tag}`;
  const mine = await addCredential(admin, { user_id: sam, type_id: dl, issue_date: '2024-02-02', expiry_date: '2034-02-02', credential_number: samNo });
  const theirs = await addCredential(admin, { user_id: priya, type_id: dl, issue_date: '2024-02-02', expiry_date: '2034-02-02', credential_number: priyaNo });

  await signIn(page, SAM);
  await expect(page.getByRole('row', { name: new RegExp(samNo) })).toBeVisible();
  await expect(page.getByText(priyaNo)).toHaveCount(0);
  await shot(page, 'my-credentials');

  // The list of everyone's credentials holds only Sam's too.
  await page.goto('/credentials');
  await expect(page.getByText(samNo)).toBeVisible();
  await expect(page.getByText(priyaNo)).toHaveCount(0);

  // Priya's credential is not Sam's to see: the server's refusal is shown.
  await page.goto(`/credentials/${theirs.id}`);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByText(priyaNo)).toHaveCount(0);

  // Sam manages his own: add a version from his page.
  await page.goto(`/credentials/${mine.id}`);
  await page.getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Add version' }).click();
  const dialog = page.getByRole('dialog', { name: /Add version/ });
  await dialog.getByLabel('Issue date').fill('2025-02-02');
  await dialog.getByLabel('Expiration date').fill('2035-02-02');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.locator('.page-head')).toContainText('version 2');
  await admin.dispose();
});

test('the activity log lists credential changes', async ({ page, playwright, baseURL, request }) => {
  const routes = await serverRoutes(request);
  test.skip(!routes.has('/api/v1/activity'), 'waits for the activity API (/api/v1/activity)');
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Logan Log');
  await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'First aid certificate'), issue_date: '2025-01-01', expiry_date: '2030-01-01' });
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Activity');
  await expect(page.getByRole('heading', { level: 1, name: 'Activity' })).toBeVisible();
  await page.getByLabel('Action').selectOption('credential.created');
  await expect(page.getByRole('row', { name: new RegExp(holder.name) }).first()).toContainText('Credential added');
  await shot(page, 'activity');
  await admin.dispose();
});

test.describe('in DD/MM/YYYY', () => {
  let restore: () => Promise<void>;
  test.beforeEach(async ({ playwright, baseURL }) => {
    restore = await keepSettings(playwright, baseURL!);
  });
  test.afterEach(async () => restore());

  test('dates are shown and typed in the organisation’s date format', async ({ page, playwright, baseURL }) => {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    await json(await admin.patch('/api/v1/organization', { data: { date_format: 'DD/MM/YYYY' } }), 200);
    const holder = await newHolder(admin, 'Drew Dates');
    await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, "Driver's licence"), issue_date: '2025-03-04', expiry_date: '2030-11-12' });
    await signIn(page, ADMIN);
    await openUser(page, holder.name);
    const row = page.getByRole('row', { name: /Driver's licence/ });
    await expect(row).toContainText('04/03/2025');
    await expect(row).toContainText('12/11/2030');

    await row.getByRole('button', { name: /^Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Add version' }).click();
    const dialog = page.getByRole('dialog', { name: /Add version/ });
    await expect(dialog.getByLabel('Issue date')).toHaveAttribute('placeholder', 'DD/MM/YYYY');
    await dialog.getByLabel('Issue date').fill('31/02/2026');
    await dialog.getByLabel('Expiration date').fill('01/05/2031');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog.getByLabel('Issue date')).toHaveAttribute('aria-invalid', 'true');
    await expect(dialog).toContainText('Enter the date as DD/MM/YYYY.');
    await dialog.getByLabel('Issue date').fill('15/04/2026');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(row).toContainText('15/04/2026');
    await expect(row).toContainText('01/05/2031');
    await admin.dispose();
  });
});
