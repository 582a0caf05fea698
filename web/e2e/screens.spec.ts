// The main screens at a phone's width (375 px) and the desktop width (1440 px, the default):
// nothing is cut off, everything is reachable, and a screenshot of each is kept for the docs.
import { expect, test } from '@playwright/test';
import { ADMIN, SAM, openOrgMenu, serverRoutes, shot, signIn } from './helpers';

test.describe('at 375 px', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test('sign-in, menu, users and settings fit a phone', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Sign in to Bonafides' })).toBeVisible();
    await shot(page, 'mobile-sign-in');
    await signIn(page, ADMIN);
    await page.locator('.org-button').click();
    await expect(page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Users' })).toBeInViewport();
    await shot(page, 'mobile-menu');
    await page.getByRole('navigation', { name: 'Organisation' }).getByRole('link', { name: 'Users' }).click();
    await expect(page.getByRole('link', { name: 'Sam Worker' })).toBeVisible();
    await shot(page, 'mobile-users');
    await openOrgMenu(page, 'Settings');
    await expect(page.getByLabel('Time zone')).toBeInViewport();
    await shot(page, 'mobile-settings');
    // No sideways scrolling anywhere.
    for (const path of ['/me', '/users', '/credential-types', '/settings']) {
      await page.goto(path);
      await expect(page.locator('main h1')).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    }
  });

  test('credentials fit a phone', async ({ page, request }) => {
    test.skip(!(await serverRoutes(request)).has('/api/v1/credentials'), 'waits for the credentials API (/api/v1/credentials)');
    await signIn(page, SAM);
    await shot(page, 'mobile-my-credentials');
    await page.getByRole('button', { name: 'Add credential' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add credential' });
    await dialog.getByLabel('Credential type').selectOption({ label: 'First aid certificate' });
    await dialog.getByLabel('Issue date').fill('2025-06-01');
    await dialog.getByLabel('Expiration date').fill('2028-06-01');
    await dialog.getByLabel('Credential number (optional)').fill('M-375');
    await shot(page, 'mobile-add-credential');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole('link', { name: 'First aid certificate' }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'First aid certificate' })).toBeVisible();
    await shot(page, 'mobile-credential');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().clearCookies();
    await signIn(page, ADMIN);
    await openOrgMenu(page, 'Credentials');
    await expect(page.locator('.summary')).toBeVisible();
    await shot(page, 'mobile-credentials');
  });
});
