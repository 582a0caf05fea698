import { expect, test } from '@playwright/test';
import { ADMIN, SAM, openOrgMenu, shot, signIn, unique } from './helpers';

test('create, rename, describe, stop expiring and delete a credential type', async ({ page }) => {
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Credential types');
  await expect(page.getByRole('heading', { level: 1, name: 'Credential types' })).toBeVisible();
  await expect(page.getByRole('row', { name: /Site induction/ })).toContainText('Never expires');
  await shot(page, 'credential-types');

  const name = unique('Forklift ticket');
  await page.getByRole('button', { name: 'New credential type' }).click();
  let dialog = page.getByRole('dialog', { name: 'New credential type' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Description (optional)').fill('LF class');
  await dialog.getByLabel('Reminder days (optional)').fill('60, 14');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('LF class');
  await expect(row).toContainText('60, 14 days before');
  await expect(row).toContainText('Expires');

  // A second type of the same name, in other case, is refused by the server (409 name_taken).
  await page.getByRole('button', { name: 'New credential type' }).click();
  dialog = page.getByRole('dialog', { name: 'New credential type' });
  await dialog.getByLabel('Name').fill(name.toUpperCase());
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog.getByRole('alert')).toContainText('A credential type with this name exists');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Rename, describe, and switch "expires" off: all from the keyboard-reachable row menu.
  const renamed = `${name} (LF)`;
  await row.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Edit' }).click();
  dialog = page.getByRole('dialog', { name: `Edit ${name}` });
  await dialog.getByLabel('Name').fill(renamed);
  await dialog.getByLabel('Description (optional)').fill('Licence to operate a forklift truck');
  await dialog.getByRole('switch', { name: 'Credentials of this type expire' }).uncheck();
  await expect(dialog.getByLabel('Reminder days (optional)')).toBeDisabled();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  const renamedRow = page.getByRole('row', { name: new RegExp(renamed.replace(/[()]/g, '\\$&')) });
  await expect(renamedRow).toContainText('Never expires');
  await expect(renamedRow).toContainText('Licence to operate a forklift truck');

  await renamedRow.getByRole('button', { name: /Actions for/ }).click();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Delete' })).toBeFocused();
  await page.keyboard.press('Enter');
  dialog = page.getByRole('dialog', { name: 'Delete credential type?' });
  await expect(dialog).toContainText(renamed);
  await dialog.getByRole('button', { name: 'Delete type' }).click();
  await expect(dialog).toBeHidden();
  await expect(renamedRow).toHaveCount(0);
});

test('a standard user sees the types but cannot change them', async ({ page }) => {
  await signIn(page, SAM);
  await openOrgMenu(page, 'Credential types');
  await expect(page.getByRole('row', { name: /Driver's licence/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New credential type' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Actions for/ })).toHaveCount(0);
});
