import { expect, test } from '@playwright/test';
import { ADMIN, SAM, openOrgMenu, shot, signIn, signOut } from './helpers';

test('a wrong password is refused with the server’s message', async ({ page }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Bonafides' })).toBeVisible();
  await shot(page, 'sign-in');
  await page.getByLabel('Email').fill(ADMIN);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('The email, password or organisation is not right');
});

test('sign in, see the organisation menu, sign out', async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.locator('.org-button')).toContainText('Demo Constructions');
  await expect(page.locator('.org-button')).toContainText('Ada Administrator');
  await page.locator('.org-button').click();
  const nav = page.getByRole('navigation', { name: 'Organisation' });
  for (const item of ['Users', 'Credentials', 'Credential types', 'Activity', 'Settings']) {
    await expect(nav.getByRole('link', { name: item, exact: true })).toBeVisible();
  }
  await shot(page, 'organisation-menu');
  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
  await signOut(page);
  // The session is over on the server too.
  await page.goto('/users');
  await expect(page).toHaveURL(/\/login\?next=%2Fusers$/);
});

test('signing in returns to the page that was asked for', async ({ page }) => {
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings$/);
  await page.getByLabel('Email').fill(ADMIN);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
});

test('a standard user’s menu has no Users, Credentials or Activity', async ({ page }) => {
  await signIn(page, SAM);
  await page.locator('.org-button').click();
  const nav = page.getByRole('navigation', { name: 'Organisation' });
  await expect(nav.getByRole('link', { name: 'Settings' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Credentials', exact: true })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Activity' })).toHaveCount(0);
  await openOrgMenu(page, 'Sign out');
});

test('the whole sign-in is usable with the keyboard alone', async ({ page }) => {
  await page.goto('/login');
  // The email field has the focus from the start.
  await expect(page.getByLabel('Email')).toBeFocused();
  await page.keyboard.type(ADMIN);
  await page.keyboard.press('Tab');
  await page.keyboard.type('demo-password');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'My credentials' })).toBeVisible();
  // Skip link, brand, My credentials, then the organisation button.
  await page.locator('.org-button').focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Users' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
});
