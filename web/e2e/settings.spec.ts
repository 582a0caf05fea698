import { expect, test } from '@playwright/test';
import { ADMIN, MANAGER, SAM, keepSettings, openOrgMenu, shot, signIn } from './helpers';

// Leave the organisation as the demo made it, for the tests that follow.
let restore: () => Promise<void>;
test.beforeEach(async ({ playwright, baseURL }) => {
  restore = await keepSettings(playwright, baseURL!);
});
test.afterEach(async () => restore());

test('an administrator changes the time zone, date format and credential settings', async ({ page }) => {
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await shot(page, 'settings');

  // An unknown zone: the server's 422 appears under the field.
  const tz = page.getByLabel('Time zone');
  await tz.fill('Mars/Olympus_Mons');
  await page.getByRole('button', { name: 'Save organisation' }).click();
  await expect(tz).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('not an IANA time zone: Mars/Olympus_Mons').first()).toBeVisible();

  await tz.fill('Europe/London');
  await page.getByLabel('Date format').selectOption('DD/MM/YYYY');
  await page.getByRole('button', { name: 'Save organisation' }).click();
  await expect(page.getByRole('status')).toHaveText('Organisation settings saved');
  await expect(tz).not.toHaveAttribute('aria-invalid', 'true');

  // Out of range: the server's message sits under "Expiring soon (days)".
  const days = page.getByLabel('Expiring soon (days)');
  await days.fill('99999');
  await page.getByRole('button', { name: 'Save credential settings' }).click();
  await expect(page.getByText('expiring_soon_days must be between 0 and 3650').first()).toBeVisible();
  await days.fill('45');
  const approvals = page.getByRole('switch', { name: 'New versions need approval' });
  const wanted = !(await approvals.isChecked());
  await approvals.setChecked(wanted);
  await page.getByRole('button', { name: 'Save credential settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Credential settings saved');

  // What was saved is what the server now says.
  await page.reload();
  await expect(page.getByLabel('Time zone')).toHaveValue('Europe/London');
  await expect(page.getByLabel('Date format')).toHaveValue('DD/MM/YYYY');
  await expect(page.getByLabel('Expiring soon (days)')).toHaveValue('45');
  await expect(page.getByRole('switch', { name: 'New versions need approval' })).toBeChecked({ checked: wanted });
});

test('a manager changes credential settings but not the organisation', async ({ page }) => {
  await signIn(page, MANAGER);
  await openOrgMenu(page, 'Settings');
  await expect(page.getByLabel('Time zone')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save organisation' })).toHaveCount(0);
  await expect(page.getByLabel('Expiring soon (days)')).toBeEnabled();
});

test('a standard user sees the settings and can change none', async ({ page }) => {
  await signIn(page, SAM);
  await openOrgMenu(page, 'Settings');
  await expect(page.getByLabel('Time zone')).toBeDisabled();
  await expect(page.getByLabel('Expiring soon (days)')).toBeDisabled();
  await expect(page.getByRole('switch', { name: 'New versions need approval' })).toBeDisabled();
  await expect(page.getByRole('button', { name: /^Save/ })).toHaveCount(0);
});
