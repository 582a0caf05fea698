// Notification settings (API.md "Notifications"): one's own on the profile, a user's on their page
// for users.manage; the server's refusals shown by their fields. Skipped, saying so, while the
// server's OpenAPI document lacks the routes.
import { expect, test } from '@playwright/test';
import { ADMIN, MANAGER, apiAs, json, newHolder, openUser, serverRoutes, shot, signIn } from './helpers';

test.beforeEach(async ({ request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/me/notification-settings'), 'waits for the notification settings API (/api/v1/me/notification-settings)');
});

test('a worker saves their notification settings, and a bad value is refused by its field', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const worker = await newHolder(admin, 'Noel Notify');
  await signIn(page, worker.email);
  const card = page.getByRole('region', { name: 'Notification settings' });
  await expect(card.getByLabel('Days before expiry')).toHaveValue('30, 7, 1');
  // The manager digest is not offered to a standard user.
  await expect(card.getByRole('switch', { name: /digest/ })).toHaveCount(0);

  // Out of range: the server's 422 sits under the field.
  const days = card.getByLabel('Days before expiry');
  await days.fill('0, 7');
  await card.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(card.locator('.field-error')).toContainText(/days_before must be between 1 and 3650/i);
  // Not numbers at all: refused before sending.
  await days.fill('soon');
  await card.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(card.locator('.field-error')).toContainText('Write whole numbers of days');

  await days.fill('14, 3');
  await card.getByRole('switch', { name: 'Email' }).uncheck();
  await card.getByRole('switch', { name: 'A notice on the day of expiry' }).uncheck();
  await card.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Notification settings saved');
  await expect(days).not.toHaveAttribute('aria-invalid', 'true');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'notification-settings');

  await page.reload();
  await expect(card.getByLabel('Days before expiry')).toHaveValue('14, 3');
  await expect(card.getByRole('switch', { name: 'Email' })).not.toBeChecked();
  await expect(card.getByRole('switch', { name: 'In the app' })).toBeChecked();
  await expect(card.getByRole('switch', { name: 'A notice on the day of expiry' })).not.toBeChecked();

  // An administrator (users.manage) sees and changes them on the worker's page.
  await page.context().clearCookies();
  await signIn(page, ADMIN);
  await openUser(page, worker.name);
  const theirs = page.getByRole('region', { name: 'Notification settings' });
  await expect(theirs).toContainText(`How ${worker.name} hears`);
  await expect(theirs.getByLabel('Days before expiry')).toHaveValue('14, 3');
  await theirs.getByLabel('Days before expiry').fill('60, 14');
  await theirs.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Notification settings saved');
  const saved = await json<{ days_before: number[]; email: boolean }>(await admin.get(`/api/v1/users/${worker.id}/notification-settings`), 200);
  expect(saved.days_before).toEqual([60, 14]);
  expect(saved.email).toBe(false);
  await admin.dispose();
});

test('a manager turns on the daily digest', async ({ page }) => {
  await signIn(page, MANAGER);
  const card = page.getByRole('region', { name: 'Notification settings' });
  const digest = card.getByRole('switch', { name: 'Daily digest of pending approvals and expiring credentials' });
  const wanted = !(await digest.isChecked());
  await digest.setChecked(wanted);
  await card.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Notification settings saved');
  await page.reload();
  await expect(digest).toBeChecked({ checked: wanted });
  // Put it back for whoever runs next on this database.
  await digest.setChecked(!wanted);
  await card.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(page.getByRole('status')).toHaveText('Notification settings saved');
});
