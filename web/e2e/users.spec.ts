import { expect, test } from '@playwright/test';
import { ADMIN, SAM, openOrgMenu, shot, signIn, unique } from './helpers';

test('an administrator adds a user, with the server’s errors shown by the fields', async ({ page }) => {
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sam Worker' })).toBeVisible();
  await shot(page, 'users');

  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Name').fill('Not An Email');
  await dialog.getByLabel('Email').fill('nope');
  await dialog.getByRole('button', { name: 'Add user' }).click();
  // 422 invalid_email: the message sits under the Email field, which is marked invalid.
  const email = dialog.getByLabel('Email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.locator('.field-error')).toHaveText('Not a valid email address');

  await email.fill(SAM);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog.getByRole('alert')).toContainText('A user with this email already exists');

  const name = unique('Casey Crane');
  const address = `${name.split(' ').pop()}@demo.example`;
  await dialog.getByLabel('Name').fill(name);
  await email.fill(address);
  await dialog.getByLabel('Permission set').selectOption({ label: 'standard' });
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await expect(page.getByText(address)).toBeVisible();

  // The new user is found by the search.
  await openOrgMenu(page, 'Users');
  await page.getByLabel('Search').fill(address.slice(0, 10));
  await expect(page.getByRole('link', { name })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sam Worker' })).toHaveCount(0);
  await expect(page).toHaveURL(/q=/);
});

test('an administrator deactivates a user from the user’s page', async ({ page }) => {
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Users');
  await page.getByRole('button', { name: 'Add user' }).click();
  const name = unique('Dana Leaver');
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Email').fill(`${name.split(' ').pop()}@demo.example`);
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  await page.getByRole('button', { name: 'Edit user' }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${name}` });
  await edit.getByLabel('Status').selectOption('deactivated');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(page.locator('.page-head')).toContainText('Deactivated');
});
