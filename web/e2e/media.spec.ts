// Photos and PDFs of credentials (API.md "Media"): uploaded from the credential form by picker or
// drag and drop, previewed, kept or removed in a new version or an edit, and downloaded. Skipped,
// saying so, while the server's OpenAPI document has no /api/v1/media.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ADMIN, addCredential, apiAs, json, keepSettings, newHolder, openUser, pdfBytes, pngBytes, serverRoutes, shot, signIn, typeId, uploadMedia } from './helpers';

test.beforeEach(async ({ request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/media'), 'waits for the media API (/api/v1/media)');
});

const PHOTO = { name: 'card-front.png', mimeType: 'image/png', buffer: pngBytes(48, 30, [200, 60, 40]) };
const PDF = { name: 'licence.pdf', mimeType: 'application/pdf', buffer: pdfBytes('Licence 42') };

/** The image has arrived and decoded (not just an <img> whose request failed). */
async function expectLoaded(img: Locator) {
  await expect(img).toBeVisible();
  await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
}

/** Drops files on a drop zone the way a browser does: a drop event carrying a DataTransfer. */
async function dropFiles(page: Page, zone: Locator, files: { name: string; mimeType: string; buffer: Buffer }[]) {
  const dt = await page.evaluateHandle((fs) => {
    const d = new DataTransfer();
    for (const f of fs) d.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.mimeType }));
    return d;
  }, files.map((f) => ({ name: f.name, mimeType: f.mimeType, b64: f.buffer.toString('base64') })));
  await zone.dispatchEvent('dragenter', { dataTransfer: dt });
  await zone.dispatchEvent('drop', { dataTransfer: dt });
}

test('add a credential with a photo: refused formats explained, preview, full image and download', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Morgan Media');
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  await page.getByRole('button', { name: 'Add credential' }).click();
  const dialog = page.getByRole('dialog', { name: `Add credential for ${holder.name}` });
  await dialog.getByLabel('Credential type').selectOption({ label: 'First aid certificate' });
  await dialog.getByLabel('Issue date').fill('2025-04-01');
  await dialog.getByLabel('Expiration date').fill('2028-04-01');
  await expect(dialog.getByRole('group', { name: /Photos or PDFs/ })).toContainText('(optional)');

  // Not a photo or PDF, whatever its name: the server's 415 names the accepted formats.
  await dialog.getByLabel('Photos or PDFs').setInputFiles({ name: 'scan.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('just some text, not a JPEG\n') });
  const refused = dialog.getByRole('listitem').filter({ hasText: 'scan.jpg' });
  await expect(refused).toContainText('Not accepted');
  await expect(refused).toContainText(/JPEG, PNG, WebP, HEIC\/HEIF or PDF/);

  // The picker is a keyboard-reachable button; the photo uploads at once and shows its preview.
  const chooser = page.waitForEvent('filechooser');
  await dialog.getByRole('button', { name: 'Choose files…' }).focus();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(PHOTO);
  await expectLoaded(dialog.getByRole('img', { name: 'Preview of card-front.png' }));
  await expect(dialog.getByRole('listitem').filter({ hasText: 'card-front.png' })).toContainText('PNG');
  await refused.getByRole('button', { name: 'Dismiss scan.jpg' }).click();
  await expect(refused).toHaveCount(0);
  await shot(page, 'add-credential-media');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();

  // The credential's page: the preview, the full image, the download.
  await page.getByRole('link', { name: 'First aid certificate' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'First aid certificate' })).toBeVisible();
  const files = page.getByRole('list', { name: 'Files of version 1' });
  await expectLoaded(files.getByRole('img', { name: 'Preview of card-front.png' }));
  await shot(page, 'credential-media');
  await files.getByRole('button', { name: 'Open card-front.png' }).click();
  const viewer = page.getByRole('dialog', { name: 'card-front.png' });
  await expectLoaded(viewer.getByRole('img', { name: 'card-front.png', exact: true }));
  expect(await viewer.getByRole('img', { name: 'card-front.png', exact: true }).evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(48);
  await viewer.getByRole('button', { name: 'Close' }).click();
  const download = page.waitForEvent('download');
  await files.getByRole('link', { name: 'Download card-front.png' }).click();
  expect((await download).suggestedFilename()).toBe('card-front.png');
  await admin.dispose();
});

test('add a version keeping the photo and dropping in a PDF, then edit the latest version removing the photo', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Rowan Renewal');
  const photo = await uploadMedia(admin, PHOTO.name, PHOTO.mimeType, PHOTO.buffer);
  await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'High-risk work licence'), issue_date: '2023-05-01', expiry_date: '2026-05-01', media_ids: [photo.id] });
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  const row = page.getByRole('row', { name: /High-risk work licence/ });

  // Add version: a renewal starts with no files; the earlier photo is one click away.
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Add version' }).click();
  let dialog = page.getByRole('dialog', { name: 'Add version: High-risk work licence' });
  let uploads = dialog.getByRole('list', { name: 'Files of this version' });
  await expect(uploads).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Keep the file of version 1' }).click();
  await dropFiles(page, dialog.locator('.dropzone'), [PDF]);
  await expect(uploads.getByRole('listitem')).toHaveCount(2);
  await expect(uploads.getByRole('listitem').filter({ hasText: 'licence.pdf' })).toContainText('PDF');
  await expectLoaded(uploads.getByRole('img', { name: 'Preview of licence.pdf' }));
  await dialog.getByLabel('Issue date').fill('2026-04-20');
  await dialog.getByLabel('Expiration date').fill('2029-04-20');
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('v2');

  // Edit latest version: both files are there; the photo goes, the PDF stays.
  await row.getByRole('button', { name: /^Actions for/ }).click();
  await page.getByRole('menuitem', { name: 'Edit latest version' }).click();
  dialog = page.getByRole('dialog', { name: 'Edit version 2: High-risk work licence' });
  uploads = dialog.getByRole('list', { name: 'Files of this version' });
  await expect(uploads.getByRole('listitem')).toHaveCount(2);
  await dialog.getByRole('button', { name: 'Remove card-front.png' }).click();
  await expect(uploads.getByRole('listitem')).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(dialog).toBeHidden();

  // Version 2 holds the PDF (a preview of its first page, opening in a new tab); version 1 the photo.
  await page.getByRole('link', { name: 'High-risk work licence' }).click();
  const v2 = page.getByRole('list', { name: 'Files of version 2' });
  await expect(v2.getByRole('listitem')).toHaveCount(1);
  await expectLoaded(v2.getByRole('img', { name: 'Preview of licence.pdf' }));
  await expect(v2.getByRole('link', { name: 'Open licence.pdf (PDF, in a new tab)' })).toHaveAttribute('target', '_blank');
  await page.getByRole('tab', { name: /^History/ }).click();
  const history = page.getByRole('tabpanel');
  await expect(history.getByRole('row', { name: /Version 2/ })).toContainText('licence.pdf');
  await expect(history.getByRole('row', { name: /Version 1/ })).toContainText('card-front.png');
  await history.getByRole('button', { name: 'Version 1' }).click();
  const v1 = page.getByRole('list', { name: 'Files of version 1' });
  await expectLoaded(v1.getByRole('img', { name: 'Preview of card-front.png' }));
  await shot(page, 'credential-history-media');

  // The edit is in version 2's activity as a change of media.
  await page.getByRole('tab', { name: 'Activity' }).click();
  await page.getByLabel('Version', { exact: true }).selectOption('2');
  await expect(page.getByRole('tabpanel').getByRole('row', { name: /Media/ }).first()).toBeVisible();
  await admin.dispose();
});

test.describe('with media required', () => {
  let restore: (() => Promise<void>) | undefined;
  test.beforeEach(async ({ playwright, baseURL }) => {
    restore = await keepSettings(playwright, baseURL!);
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    await json(await admin.patch('/api/v1/settings/credentials', { data: { media_required: true } }), 200);
    await admin.dispose();
  });
  // Runs after a skipped test too, when there is nothing to put back.
  test.afterEach(async () => {
    await restore?.();
    restore = undefined;
  });

  test('the form says a file is required, refuses none, and shows the size limit', async ({ page, playwright, baseURL }) => {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    const holder = await newHolder(admin, 'Reese Required');
    await signIn(page, ADMIN);
    await openUser(page, holder.name);
    await page.getByRole('button', { name: 'Add credential' }).click();
    const dialog = page.getByRole('dialog', { name: `Add credential for ${holder.name}` });
    const group = dialog.getByRole('group', { name: /Photos or PDFs/ });
    await expect(group).toContainText('(required)');
    await dialog.getByLabel('Credential type').selectOption({ label: 'Site induction' });
    await dialog.getByLabel('Issue date').fill('2025-08-01');
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(group).toContainText('Add at least one photo or PDF');

    // Over the server's limit (20 MiB by default): its 413 says what the limit is.
    // Made in the page and dropped, rather than sent through Playwright: quicker.
    const huge = await page.evaluateHandle((head) => {
      const d = new DataTransfer();
      const bytes = Uint8Array.from(atob(head), (c) => c.charCodeAt(0));
      d.items.add(new File([bytes, new Uint8Array(21 * 1024 * 1024)], 'huge.png', { type: 'image/png' }));
      return d;
    }, pngBytes(4, 4).toString('base64'));
    await dialog.locator('.dropzone').dispatchEvent('drop', { dataTransfer: huge });
    const tooBig = dialog.getByRole('listitem').filter({ hasText: 'huge.png' });
    await expect(tooBig).toContainText('Too large', { timeout: 15_000 });
    await expect(tooBig).toContainText(/limit of \d+ MiB/);

    // A PDF the server stores but cannot preview (no pages): a PDF icon stands in.
    await dialog.getByLabel('Photos or PDFs').setInputFiles({ name: 'blank.pdf', mimeType: 'application/pdf', buffer: pdfBytes(null) });
    await expect(dialog.getByRole('img', { name: 'PDF file blank.pdf' })).toBeVisible();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('row', { name: /Site induction/ })).toBeVisible();
    await admin.dispose();
  });
});
