// axe-core over the main screens: no serious or critical violation on credentials, a user, a
// credential's three tabs, the add dialog, bulk upload and settings.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, addCredential, apiAs, newHolder, openOrgMenu, serverRoutes, signIn, typeId } from './helpers';

async function expectNoSeriousViolations(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  expect(summary, screen).toEqual([]);
}

test('the main screens have no serious or critical accessibility violation', async ({ page, playwright, baseURL, request }) => {
  // Nine screens, each a full axe run.
  test.setTimeout(120_000);
  const routes = await serverRoutes(request);
  test.skip(!routes.has('/api/v1/credentials'), 'waits for the credentials API (/api/v1/credentials)');
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Alex Axe');
  const c = await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'First aid certificate'), issue_date: '2025-01-01', expiry_date: '2028-01-01', credential_number: 'AXE-1' });
  await signIn(page, ADMIN);

  await openOrgMenu(page, 'Credentials');
  await expect(page.locator('tbody tr').first()).toBeVisible();
  await expectNoSeriousViolations(page, 'credentials');
  await page.getByRole('button', { name: 'Add credential' }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await expectNoSeriousViolations(page, 'the add dialog');
  await page.keyboard.press('Escape');

  await page.goto(`/users/${holder.id}`);
  await expect(page.getByRole('row', { name: /First aid certificate/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'a user');

  for (const tab of ['details', 'history', 'activity']) {
    await page.goto(`/credentials/${c.id}?tab=${tab}`);
    await expect(page.getByRole('tabpanel')).toBeVisible();
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    await expectNoSeriousViolations(page, `a credential's ${tab}`);
  }
  if (routes.has('/api/v1/credential-imports')) {
    await page.goto('/credentials/bulk-upload');
    await expect(page.locator('main h1')).toBeVisible();
    await expectNoSeriousViolations(page, 'bulk upload');
  }
  await page.goto('/settings');
  await expect(page.getByLabel('Time zone')).toBeVisible();
  await expectNoSeriousViolations(page, 'settings');
  await admin.dispose();
});
