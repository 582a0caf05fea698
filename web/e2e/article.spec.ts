// The workflows of the help article "Manage credentials for users in your organization", in its
// words: delete from ⋯ with a confirming pop-up, add credential with a User field and Save, and the
// credential's tabs on the left.
import { expect, test, type Locator } from '@playwright/test';
import { ADMIN, addCredential, apiAs, json, newHolder, openOrgMenu, openUser, serverRoutes, signIn, typeId, unique } from './helpers';

test.beforeEach(async ({ request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/credentials'), 'waits for the credentials API (/api/v1/credentials)');
});

/** Text that does not fit its box: wider content than the box shows. */
async function clipped(l: Locator): Promise<boolean> {
  return l.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
}

async function openRowMenu(row: Locator) {
  await row.getByRole('button', { name: /^Actions for/ }).click();
}

test('delete any credential from ⋯ › Delete, confirmed in a pop-up that names it and offers Archive', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Devon Delete');
  const dl = await typeId(admin, "Driver's licence");
  const c = await addCredential(admin, { user_id: holder.id, type_id: dl, issue_date: '2024-01-01', expiry_date: '2030-01-01', credential_number: 'DL-77' });
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  const row = page.getByRole('row', { name: /Driver's licence/ });

  // Not archived, and Delete is there all the same.
  await openRowMenu(row);
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete credential?' });
  await expect(dialog).toContainText(`Driver's licence of ${holder.name}`);
  await expect(dialog).toContainText('cannot be undone');
  await expect(dialog).toContainText('Archive');
  // The sentence is whole: nothing of the row's layout leaks into the pop-up.
  for (const p of await dialog.locator('p').all()) expect(await clipped(p), await p.innerText()).toBe(false);
  expect(await dialog.locator('p').first().evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('normal');

  // Archive instead: the reversible choice, from the pop-up itself.
  await dialog.getByRole('button', { name: 'Archive instead' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  expect((await json<{ archived: boolean }>(await admin.get(`/api/v1/credentials/${c.id}`), 200)).archived).toBe(true);
  await json(await admin.post(`/api/v1/credentials/${c.id}/restore`), 200);

  await page.reload();
  await openRowMenu(row);
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await json(await admin.get(`/api/v1/credentials/${c.id}`), 404);
  await admin.dispose();
});

test('add credential from the Credentials list: Credential type, User (searched), Issue date, Expiration date, Save', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Uma User');
  const number = unique('UF').replace(' ', '-');
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Credentials');
  await page.getByRole('button', { name: 'Add credential' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add credential' });
  await dialog.getByLabel('Credential type').selectOption({ label: 'First aid certificate' });
  // Searchable by email as well as by name.
  await dialog.getByRole('combobox', { name: 'User' }).fill(holder.email.slice(0, -5));
  await dialog.getByRole('option', { name: new RegExp(holder.name) }).click();
  await expect(dialog.getByRole('combobox', { name: 'User' })).toHaveValue(holder.name);
  await dialog.getByLabel('Issue date').fill('2025-04-01');
  await dialog.getByLabel('Expiration date').fill('2028-04-01');
  await dialog.getByLabel('Credential number (optional)').fill(number);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel('Search').fill(number);
  await expect(page.locator('tbody tr')).toHaveCount(1);
  await expect(page.locator('tbody tr')).toContainText(holder.name);

  // Without a user, the form says so by the User field.
  await page.getByRole('button', { name: 'Add credential' }).click();
  await dialog.getByLabel('Credential type').selectOption({ label: 'First aid certificate' });
  await dialog.getByLabel('Issue date').fill('2025-04-01');
  await dialog.getByLabel('Expiration date').fill('2028-04-01');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog.getByRole('combobox', { name: 'User' })).toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // From a user's page the user is already chosen; every add and edit dialog says Save.
  await openUser(page, holder.name);
  await page.getByRole('button', { name: 'Add credential' }).click();
  const mine = page.getByRole('dialog', { name: /Add credential/ });
  await expect(mine.getByRole('combobox', { name: 'User' })).toHaveValue(holder.name);
  await expect(mine.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
  await mine.getByRole('button', { name: 'Cancel' }).click();
  const row = page.getByRole('row', { name: /First aid certificate/ });
  for (const item of ['Add version', 'Edit latest version']) {
    await openRowMenu(row);
    await page.getByRole('menuitem', { name: item }).click();
    const d = page.getByRole('dialog');
    await expect(d.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
    // Labels sit at the left of their fields, as in every form.
    const label = d.locator('label', { hasText: 'Issue date' });
    expect(await label.evaluate((el) => getComputedStyle(el).textAlign)).toMatch(/^(left|start)$/);
    await d.getByRole('button', { name: 'Cancel' }).click();
  }
  await admin.dispose();
});

test('a credential’s tabs, Details, History and Activity, are on the left on wide screens and on top on phones', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Tess Tabs');
  const c = await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'First aid certificate'), issue_date: '2025-01-01', expiry_date: '2028-01-01', credential_number: 'TAB-1' });
  await signIn(page, ADMIN);
  await page.goto(`/credentials/${c.id}`);
  const tabs = page.getByRole('tablist', { name: 'Credential' });
  await expect(tabs.getByRole('tab')).toHaveText(['Details', /^History/, 'Activity']);
  await expect(page.getByRole('tabpanel')).toContainText('TAB-1');
  const left = async () => {
    const t = (await tabs.boundingBox())!;
    const p = (await page.getByRole('tabpanel').boundingBox())!;
    return { beside: t.x + t.width <= p.x + 1, above: t.y + t.height <= p.y + 1 };
  };
  expect(await left()).toMatchObject({ beside: true });
  await expect(tabs).toHaveAttribute('aria-orientation', 'vertical');
  await tabs.getByRole('tab', { name: 'Activity' }).click();
  await expect(page.getByRole('tabpanel')).toContainText('Credential number');
  await expect(page).toHaveURL(/tab=activity/);

  await page.setViewportSize({ width: 390, height: 844 });
  expect(await left()).toMatchObject({ beside: false, above: true });
  await admin.dispose();
});
