// Role requirements in the browser (spec/REQUIREMENTS.md "Interface"): a manager builds a group,
// sees who may not start, exempts one person from a cell; the other adds what is missing from
// their Requirements card and is allowed; a gate checks people on a phone. Real server, real
// Chromium, no mocked API.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, MANAGER, apiAs, downloadedText, json, newHolder, openOrgMenu, serverRoutes, shot, signIn, signOut, typeId, unique, type Cred } from './helpers';

test.beforeEach(async ({ request }) => {
  const routes = await serverRoutes(request);
  for (const r of ['/api/v1/groups', '/api/v1/groups/{id}/compliance', '/api/v1/me/compliance', '/api/v1/compliance/check']) {
    test.skip(!routes.has(r), `waits for the requirements API (${r})`);
  }
});

async function expectNoSeriousViolations(page: Page, screen: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
  expect(summary, screen).toEqual([]);
}

/** Picks a person in the combobox of the Add members dialog. */
async function pickPerson(page: Page, name: string) {
  const box = page.getByRole('dialog').getByRole('combobox', { name: 'Person' });
  await box.fill(name);
  await page.getByRole('option', { name: new RegExp(name) }).click();
}

/** A change through the API that must succeed (200, 201 or 204, whichever the route answers). */
async function ok(res: { status(): number; text(): Promise<string>; url(): string }) {
  expect(res.status(), `${res.url()} → ${await res.text()}`).toBeGreaterThanOrEqual(200);
  expect(res.status(), `${res.url()} → ${await res.text()}`).toBeLessThan(300);
}

/** Approves a credential as the administrator (the demo requires approvals). */
async function approve(admin: APIRequestContext, id: string) {
  await ok(await admin.post(`/api/v1/credentials/${id}/approve`, { data: {} }));
}

test('a manager builds a group, exempts one person from a cell, and the other adds what is missing', async ({ page, playwright, baseURL }) => {
  test.setTimeout(120_000);
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const wendy = await newHolder(admin, 'Wendy Worker');
  const xavier = await newHolder(admin, 'Xavier Exempt');
  const group = unique('Scaffolders');

  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Groups');
  await expect(page.getByRole('heading', { level: 1, name: 'Groups' })).toBeVisible();
  await page.getByRole('button', { name: 'New group' }).click();
  const create = page.getByRole('dialog', { name: 'New group' });
  await create.getByLabel('Name').fill(group);
  await create.getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { level: 1, name: group })).toBeVisible();

  // Members: two people found by name, added at once.
  await expect(page.getByRole('tab', { name: 'Members' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: 'Add members' }).click();
  await pickPerson(page, wendy.name);
  await pickPerson(page, xavier.name);
  await expect(page.getByRole('list', { name: 'People to add' }).getByRole('listitem')).toHaveCount(2);
  await page.getByRole('dialog').getByRole('button', { name: 'Add 2 members' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(wendy.name) })).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(xavier.name) })).toBeVisible();
  await expect(page.locator('.page-head')).toContainText('2 members');
  await expectNoSeriousViolations(page, 'a group’s members');

  // A requirement with two alternative types.
  await page.getByRole('tab', { name: 'Requirements' }).click();
  await page.getByRole('button', { name: 'Add requirement' }).click();
  const req = page.getByRole('dialog', { name: `Add a requirement to ${group}` });
  // None chosen: said before asking the server.
  await req.getByRole('button', { name: 'Add requirement' }).click();
  await expect(req.getByText('Choose at least one credential type.')).toBeVisible();
  await req.getByLabel('High-risk work licence').check();
  await req.getByLabel("Driver's licence").check();
  await expect(req.getByLabel('Block: the person may not start work')).toBeChecked();
  await req.getByRole('button', { name: 'Add requirement' }).click();
  await expect(req).toBeHidden();
  const alternatives = /High-risk work licence or Driver's licence|Driver's licence or High-risk work licence/;
  await expect(page.getByRole('row', { name: alternatives })).toContainText('Block');
  await expectNoSeriousViolations(page, 'a group’s requirements');

  // The matrix: both may not start, in words as well as colour.
  await page.getByRole('tab', { name: 'Compliance' }).click();
  const wendyRow = page.getByRole('row', { name: new RegExp(wendy.name) });
  const xavierRow = page.getByRole('row', { name: new RegExp(xavier.name) });
  await expect(wendyRow).toContainText('Deny');
  await expect(xavierRow).toContainText('Deny');
  await expect(wendyRow.getByRole('button', { name: /Missing/ })).toHaveAttribute('title', 'No credential of the required type.');
  await expect(page.getByRole('list', { name: /Decisions over all members/ })).toContainText('2Deny');
  await expectNoSeriousViolations(page, 'the compliance matrix');
  await shot(page, 'group-compliance');

  // An exemption granted from Xavier's cell.
  await xavierRow.getByRole('button', { name: /Missing/ }).click();
  const cell = page.getByRole('dialog', { name: new RegExp(`^${xavier.name}:`) });
  await expect(cell).toContainText('No credential of the required type.');
  await expectNoSeriousViolations(page, 'a cell of the matrix');
  await cell.getByRole('button', { name: 'Grant exemption' }).click();
  await expect(cell.getByText('Say why the person is exempt.')).toBeVisible();
  await cell.getByLabel('Reason').fill('Licence sighted on paper; the scan follows on Monday.');
  await cell.getByRole('button', { name: 'Grant exemption' }).click();
  await expect(cell).toBeHidden();
  await expect(xavierRow).toContainText('Allow');
  await expect(xavierRow.getByRole('button', { name: /Exempt/ })).toBeVisible();
  await expect(wendyRow).toContainText('Deny');

  // The exemption says who granted it and why.
  await xavierRow.getByRole('button', { name: /Exempt/ }).click();
  await expect(page.getByRole('dialog')).toContainText('Licence sighted on paper');
  await expect(page.getByRole('dialog')).toContainText('Granted by Ada Administrator');
  await page.keyboard.press('Escape');

  // Only the people who cannot start.
  await page.getByLabel("Only people who can't start").check();
  await expect(wendyRow).toBeVisible();
  await expect(xavierRow).toHaveCount(0);
  await page.getByLabel("Only people who can't start").uncheck();
  await expect(xavierRow).toBeVisible();

  // The CSV has every member with their decision.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download CSV' }).click();
  const csv = await downloadedText(await download);
  expect(csv.split(/\r?\n/)[0]).toMatch(/^\uFEFF?email,name,decision,/); // a BOM, as every export has, for spreadsheets
  expect(csv).toContain(`${wendy.email},${wendy.name},deny`);
  expect(csv).toContain(`${xavier.email},${xavier.name},allow`);

  // The groups list counts them.
  await openOrgMenu(page, 'Groups');
  const listed = page.getByRole('row', { name: new RegExp(group) });
  await expect(listed.locator('td[data-label="Members"]')).toHaveText('2');
  await expect(listed.locator('td[data-label="Allow"]')).toHaveText('1');
  await expect(listed.locator('td[data-label="Deny"]')).toHaveText('1');
  await expectNoSeriousViolations(page, 'groups');

  // Wendy's onboarding checklist: what is missing, with a button that adds it.
  await signOut(page);
  await signIn(page, wendy.email);
  const card = page.getByRole('region', { name: 'Requirements' });
  await expect(card).toContainText(group);
  await expect(card).toContainText('Deny');
  await expect(card).toContainText('May not start work');
  await expectNoSeriousViolations(page, 'the Requirements card');
  await card.getByRole('button', { name: /^Add credential/ }).click();
  const add = page.getByRole('dialog', { name: 'Add credential' });
  // The type comes chosen: the first of the requirement's alternatives.
  const chosen = await add.getByLabel('Credential type').evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text);
  expect(["High-risk work licence", "Driver's licence"]).toContain(chosen);
  await add.getByLabel('Issue date').fill('2026-01-05');
  await add.getByLabel('Expiration date').fill('2031-01-05');
  await add.getByLabel('Credential number (optional)').fill('HRW-REQ-1');
  await add.getByRole('button', { name: 'Save' }).click();
  await expect(add).toBeHidden();
  // Approvals are required in the demo: the new credential waits, and says so.
  await expect(card).toContainText('Pending approval');
  await expect(page.getByRole('region', { name: 'Credentials' }).getByRole('row', { name: /HRW-REQ-1/ })).toBeVisible();

  const mine = await json<{ items: Cred[] }>(await admin.get(`/api/v1/credentials?user_id=${wendy.id}`), 200);
  await approve(admin, mine.items[0].id);
  await page.reload();
  await expect(card).toContainText('Allow');
  await expect(card).toContainText('May start work');
  await expect(card.getByRole('button', { name: /^Add credential/ })).toHaveCount(0);

  // The manager's matrix agrees.
  await signOut(page);
  await signIn(page, MANAGER);
  await openOrgMenu(page, 'Groups');
  await page.getByRole('link', { name: group }).click();
  await page.getByRole('tab', { name: 'Compliance' }).click();
  await expect(wendyRow).toContainText('Allow');
  await expect(wendyRow.getByRole('button', { name: /Met/ })).toBeVisible();
  await admin.dispose();
});

test('a group is renamed, and deleted only after a confirmation that names it', async ({ page }) => {
  const name = unique('Pier 4');
  await signIn(page, ADMIN);
  await openOrgMenu(page, 'Groups');
  await page.getByRole('button', { name: 'New group' }).click();
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await page.getByRole('dialog').getByRole('button', { name: 'Create group' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  await openOrgMenu(page, 'Groups');
  await page.getByRole('button', { name: `Actions for ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  const renamed = `${name} night shift`;
  await page.getByRole('dialog').getByLabel('Name').fill(renamed);
  await page.getByRole('dialog').getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: renamed })).toBeVisible();

  await page.getByRole('button', { name: `Actions for ${renamed}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${renamed}?` });
  await expect(confirm).toContainText('This cannot be undone.');
  await expectNoSeriousViolations(page, 'the delete confirmation');
  // Cancel keeps it.
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('link', { name: renamed })).toBeVisible();
  await page.getByRole('button', { name: `Actions for ${renamed}` }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await page.getByRole('dialog', { name: `Delete ${renamed}?` }).getByRole('button', { name: 'Delete group' }).click();
  await expect(page.getByRole('link', { name: renamed })).toHaveCount(0);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

  test('the gate checks a person by email and by name: a large deny with the reason, then allow', async ({ page, playwright, baseURL }) => {
    test.setTimeout(60_000);
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    const gina = await newHolder(admin, 'Gina Gate');
    const g = await json<{ id: string }>(await admin.post('/api/v1/groups', { data: { name: unique('Gate B') } }), 201);
    await ok(await admin.post(`/api/v1/groups/${g.id}/members`, { data: { user_ids: [gina.id] } }));
    const induction = await typeId(admin, 'Site induction');
    await ok(await admin.post(`/api/v1/groups/${g.id}/requirements`, { data: { credential_type_ids: [induction], enforcement: 'block' } }));

    await signIn(page, MANAGER);
    await page.goto(`/check?group=${g.id}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Check a person' })).toBeVisible();
    await page.getByLabel('Name or email').fill(gina.email);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    const verdict = page.getByRole('heading', { level: 2, name: /Deny/ });
    await expect(verdict).toBeVisible();
    await expect(verdict).toContainText('May not start work');
    const reasons = page.locator('.verdict-reasons');
    await expect(reasons).toContainText('Site induction');
    await expect(reasons).toContainText('Missing');
    await expect(page.locator('.verdict-who')).toContainText(gina.name);
    // Large, and nothing wider than the phone.
    const size = await page.locator('.verdict-word').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(32);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const box = (await page.locator('.verdict').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await expectNoSeriousViolations(page, 'check a person, deny');
    await shot(page, 'check-phone-deny');

    // The induction arrives and is approved: by name this time, allow.
    const c = await json<Cred>(await admin.post('/api/v1/credentials', { data: { user_id: gina.id, type_id: induction, issue_date: '2026-01-05', credential_number: 'IND-GATE' } }), 201);
    await approve(admin, c.id);
    await page.getByRole('button', { name: 'Check another person' }).click();
    await expect(page.getByLabel('Name or email')).toBeFocused();
    await page.getByLabel('Name or email').fill(gina.name);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(page.getByRole('heading', { level: 2, name: /Allow/ })).toBeVisible();
    await expect(page.getByText('Every requirement is met.')).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'check-phone-allow');

    // Somebody unknown.
    await page.getByRole('button', { name: 'Check another person' }).click();
    await page.getByLabel('Name or email').fill('nobody-at-all@demo.example');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('Nobody');
    await admin.dispose();
  });

  test('the matrix reads as cards on a phone', async ({ page, playwright, baseURL }) => {
    const admin = await apiAs(playwright, baseURL!, ADMIN);
    const pat = await newHolder(admin, 'Pat Phone');
    const g = await json<{ id: string; name: string }>(await admin.post('/api/v1/groups', { data: { name: unique('Crew C') } }), 201);
    await ok(await admin.post(`/api/v1/groups/${g.id}/members`, { data: { user_ids: [pat.id] } }));
    await ok(await admin.post(`/api/v1/groups/${g.id}/requirements`, { data: { credential_type_ids: [await typeId(admin, 'First aid certificate')], enforcement: 'warn' } }));
    await signIn(page, MANAGER);
    await page.goto(`/groups/${g.id}?tab=compliance`);
    const row = page.getByRole('row', { name: new RegExp(pat.name) });
    await expect(row).toContainText('Warn');
    await expect(row.getByRole('button', { name: /Missing/ })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectNoSeriousViolations(page, 'the matrix on a phone');
    await admin.dispose();
  });
});

test('a person who manages users but not credentials sees members and compliance, not requirements', async ({ page, playwright, baseURL }) => {
  const admin = await apiAs(playwright, baseURL!, ADMIN);
  const set = await json<{ id: string }>(
    await admin.post('/api/v1/permission-sets', { data: { name: unique('People only'), permissions: ['users.manage'] } }),
    201,
  );
  const email = `${unique('people').toLowerCase().replace(/[^a-z0-9]+/g, '-')}@demo.example`;
  await ok(await admin.post('/api/v1/users', { data: { name: unique('Paula People'), email, permission_set_id: set.id, password: 'demo-password' } }));
  const member = await newHolder(admin, 'Mo Member');
  const g = await json<{ id: string; name: string }>(await admin.post('/api/v1/groups', { data: { name: unique('Crew P') } }), 201);
  await ok(await admin.post(`/api/v1/groups/${g.id}/members`, { data: { user_ids: [member.id] } }));
  await ok(await admin.post(`/api/v1/groups/${g.id}/requirements`, { data: { credential_type_ids: [await typeId(admin, 'First aid certificate')], enforcement: 'block' } }));

  await signIn(page, email);
  await page.goto(`/groups/${g.id}?tab=requirements`);
  await expect(page.getByRole('heading', { level: 1, name: g.name })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Members' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Requirements' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Compliance' }).click();
  const row = page.getByRole('row', { name: new RegExp(member.name) });
  await expect(row).toContainText('Deny');
  await expect(page.getByRole('alert')).toHaveCount(0);
  await admin.dispose();
});
