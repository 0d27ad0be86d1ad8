import { expect, test } from '@playwright/test';
import { editorReady, setSource } from './helpers.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await editorReady(page);
});

test('examples gallery: pick one, its packets come along, and it runs as on the kernel', async ({ page }) => {
  await page.getByRole('button', { name: 'Examples' }).click();
  const list = page.getByRole('list', { name: 'Examples' });
  await expect(list.getByRole('listitem')).toHaveCount(14);
  await page.screenshot({ path: 'test-results/panel-examples.png' });
  await list.getByRole('button', { name: /XDP: drop by UDP port/ }).click();
  await expect(page.getByRole('region', { name: 'Editor' })).toContainText('Drop UDP packets to port 53');
  await page.getByRole('button', { name: 'Run' }).click();
  // Linux 6.18 (test-data/engine/examples.kernel.json): DNS query dropped, UDP and ARP passed.
  const rows = page.getByRole('region', { name: 'Output' }).getByRole('table', { name: 'Return values' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('XDP_DROP');
  await expect(rows.nth(2)).toContainText('XDP_PASS');
  await expect(rows.nth(3)).toContainText('XDP_PASS');
});

test('share carries the program, packets and map seeds; embed mode opens it read-only', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Examples' }).click();
  await page.getByRole('list', { name: 'Examples' }).getByRole('button', { name: /Map counter/ }).click();
  await page.getByRole('button', { name: 'Verify' }).click();
  const maps = page.getByRole('region', { name: 'Maps' });
  await maps.getByLabel('counts seed key').fill('0');
  await maps.getByLabel('counts seed value').fill('100');
  await maps.getByRole('button', { name: 'Seed' }).click();
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByTestId('notice')).toContainText('Share link');
  const url = page.url();
  expect(url).toMatch(/#v2,[A-Za-z0-9_-]+$/);

  const other = await context.newPage();
  await other.goto(url.replace('/#', '/?embed#'));
  await editorReady(other);
  await expect(other.getByRole('region', { name: 'Editor' })).toContainText('Count every packet');
  await expect(other.getByRole('button', { name: 'Share' })).toHaveCount(0);
  await expect(other.getByRole('region', { name: 'Packets' }).getByRole('list', { name: 'Packet list' }).getByRole('listitem')).toHaveCount(3);
  await other.getByRole('button', { name: 'Run' }).click();
  // Seeded with 100, three packets: the kernel's semantics give 103.
  await expect(other.getByRole('region', { name: 'Maps' }).getByRole('table', { name: 'counts entries' })).toContainText('= 103');
  // Read-only: typing changes nothing.
  await other.getByRole('region', { name: 'Editor' }).locator('.monaco-editor').click();
  await other.keyboard.insertText('garbage');
  await expect(other.getByRole('region', { name: 'Editor' })).not.toContainText('garbage');
});

test('a damaged share link is explained, and the page still works', async ({ page }) => {
  // Only the fragment differs from the page already open: reload so the app reads it at start.
  await page.goto('/#v2,not-a-real-link');
  await page.reload();
  await expect(page.getByTestId('notice')).toContainText('Could not open the share link');
  await editorReady(page);
  await setSource(page, 'r0 = 2\nexit\n');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByTestId('run-result')).toContainText('2 (0x2)');
});
