// Nothing is cut off, covered or out of reach: menus at the bottom of a table, long names on a
// phone, dates in a row with a rejection reason, the sort control, the toast.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { ADMIN, addCredential, apiAs, json, keepSettings, newHolder, openOrgMenu, openUser, serverRoutes, signIn, typeId, unique } from './helpers';

test.beforeEach(async ({ request }) => {
  test.skip(!(await serverRoutes(request)).has('/api/v1/credentials'), 'waits for the credentials API (/api/v1/credentials)');
});

type Box = { x: number; y: number; width: number; height: number };
function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Every item of the open menu is inside the viewport and is what a click at its centre hits. */
async function expectMenuFullyVisible(page: Page) {
  const items = page.getByRole('menuitem');
  await expect(items.first()).toBeVisible();
  for (const item of await items.all()) {
    const seen = await item.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const inside = r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return inside && !!hit && el.contains(hit);
    });
    expect(seen, `${await item.innerText()} is fully visible`).toBe(true);
  }
}

/** How many lines the text of an element takes. */
async function lines(l: Locator): Promise<number> {
  return l.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
    return tops.size;
  });
}

test('the ⋯ menu of the last rows opens fully visible, upward when there is no room below', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const holder = await newHolder(admin, 'Mina Menu');
  for (const [t, n] of [["Driver's licence", 'M-1'], ['First aid certificate', 'M-2'], ['High-risk work licence', 'M-3']]) {
    await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, t), issue_date: '2025-01-01', expiry_date: '2030-01-01', credential_number: n });
  }
  await signIn(page, ADMIN);
  await openUser(page, holder.name);
  const last = page.locator('tbody tr').last();
  await last.getByRole('button', { name: /^Actions for/ }).click();
  await expectMenuFullyVisible(page);
  await page.keyboard.press('Escape');

  // The row at the very bottom of the window: the menu opens upward.
  await page.setViewportSize({ width: 1440, height: 500 });
  await last.evaluate((el) => el.scrollIntoView({ block: 'end' }));
  await last.getByRole('button', { name: /^Actions for/ }).click();
  await expectMenuFullyVisible(page);
  await expect(page.getByRole('menuitem', { name: 'Delete' })).toBeVisible();
  await admin.dispose();
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('the ⋯ button does not cover a long credential name', async ({ page, playwright, baseURL }) => {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    const holder = await newHolder(admin, 'Lou Long');
    const name = unique('Occupational first aid and advanced resuscitation certificate');
    const t = await json<{ id: string }>(await admin.post('/api/v1/credential-types', { data: { name } }), 201);
    await addCredential(admin, { user_id: holder.id, type_id: t.id, issue_date: '2025-01-01', expiry_date: '2030-01-01' });
    await signIn(page, ADMIN);
    await openUser(page, holder.name);
    const link = page.getByRole('link', { name });
    const button = page.getByRole('button', { name: /^Actions for/ });
    const rects = await link.evaluate((el) => Array.from(el.getClientRects()).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })));
    const b = (await button.boundingBox())!;
    for (const r of rects) expect(overlap(r, b), 'the name runs under the ⋯ button').toBe(false);
    await admin.dispose();
  });

  // The phone layout spreads the sidebar's primary navigation over a row of its own; that rule
  // once matched every button.primary too, stretching "New group" across the screen.
  test('a primary button keeps its size', async ({ page }) => {
    await signIn(page, ADMIN);
    await page.goto('/groups');
    const button = page.getByRole('button', { name: 'New group' });
    await expect(button).toBeVisible();
    const b = (await button.boundingBox())!;
    expect(b.width, 'New group is as wide as the screen').toBeLessThan(250);
  });

  test('a toast does not cover the table', async ({ page, playwright, baseURL }) => {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    const holder = await newHolder(admin, 'Tobi Toast');
    const types = ["Driver's licence", 'First aid certificate', 'High-risk work licence', 'Working with children check', "Driver's licence"];
    for (const [i, t] of types.entries()) {
      await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, t), issue_date: '2025-01-01', expiry_date: `203${i}-01-01` });
    }
    await signIn(page, ADMIN);
    await openUser(page, holder.name);
    const first = page.locator('tbody tr').first();
    await first.getByRole('button', { name: /^Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Archive' }).click();
    const toast = page.locator('.toast.show');
    await expect(toast).toContainText('Archived');
    await page.waitForTimeout(300); // the toast slides in
    const t = (await toast.boundingBox())!;
    for (const row of await page.locator('tbody tr').all()) {
      const r = (await row.boundingBox())!;
      if (r.y > 844 || r.y + r.height < 0) continue;
      expect(overlap(t, r), 'the toast covers a row').toBe(false);
    }
    await admin.dispose();
  });
});

test('dates stay on one line and the status does not stack beside a rejection reason', async ({ page, playwright, baseURL }) => {
  const restore = await keepSettings(playwright, baseURL!);
  try {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    await json(await admin.patch('/api/v1/settings/credentials', { data: { approvals_required: true } }), 200);
    const holder = await newHolder(admin, 'Rory Reason');
    const c = await addCredential(admin, { user_id: holder.id, type_id: await typeId(admin, 'First aid certificate'), issue_date: '2021-12-01', expiry_date: '2031-12-01', credential_number: 'FA-REJ-2021' });
    const reason = 'The photo is blurred and the expiry date cannot be read; please upload a sharper photo of both sides of the card.';
    await json(await admin.post(`/api/v1/credentials/${c.id}/reject`, { data: { reason } }), 200);
    await page.setViewportSize({ width: 1024, height: 768 });
    await signIn(page, ADMIN);
    await openUser(page, holder.name);
    const row = page.getByRole('row', { name: /First aid certificate/ });
    await expect(row).toContainText('resubmission');
    for (const label of ['Issued', 'Expires']) expect(await lines(row.locator(`td[data-label="${label}"]`)), `${label} wraps`).toBe(1);
    const status = row.locator('td[data-label="Status"]');
    expect(await lines(status.locator('.badge').first())).toBe(1);
    await admin.dispose();
  } finally {
    await restore();
  }
});

test('"Sort by: Recently changed" shows whole', async ({ page }) => {
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Credentials');
  const sort = page.getByLabel('Sort by');
  for (const w of [1440, 1024, 390]) {
    await page.setViewportSize({ width: w, height: 844 });
    for (const option of ['Recently changed', 'Expiration date, soonest first']) {
      await sort.selectOption({ label: option });
      const fits = await sort.evaluate((el: HTMLSelectElement) => {
        const cs = getComputedStyle(el);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = ctx.measureText(el.selectedOptions[0].text).width;
        // Chromium's arrow takes about 20 px beside the padding.
        return text + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) + 20 <= el.clientWidth;
      });
      expect(fits, `${option} at ${w} px`).toBe(true);
    }
  }
});
