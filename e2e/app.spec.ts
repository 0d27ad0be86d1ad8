import { expect, test } from '@playwright/test';
import { editorReady, setSource, watchErrors } from './helpers.ts';

/*
 * Expected run results below come from the Linux 6.18 kernel (BPF_PROG_TEST_RUN
 * through ../shared/tools/kbpf.py) on the same program and sample frames:
 * the default example returns 2 (XDP_PASS) on the IPv4/UDP frame and 1
 * (XDP_DROP) on the ARP frame, and the kernel verifier accepts it.
 */

const PANELS = ['Editor', 'Verifier', 'Registers', 'Stack', 'Maps', 'Output', 'Packets'];

test.beforeEach(async ({ page }) => {
  // Every test starts as a first visit.
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
});

test('loads without console errors, from its own origin only (works offline), with all panels and the example', async ({ page }) => {
  const errors = watchErrors(page);
  const foreign: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && !['data:', 'blob:'].includes(url.protocol)) foreign.push(r.url());
  });
  await page.goto('/');
  await expect(page).toHaveTitle(/bpfiddle/);
  for (const name of PANELS) await expect(page.getByRole('region', { name })).toBeVisible();
  for (const name of ['Verify', 'Run', 'Share']) await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  await editorReady(page);
  await expect(page.getByRole('region', { name: 'Editor' })).toContainText('XDP_PASS');
  await expect(page.getByRole('region', { name: 'Registers' })).toContainText('Verify (Ctrl+Enter)');
  // Let the engine worker start and answer once before judging the console.
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByTestId('verify-summary')).toBeVisible();
  expect(errors).toEqual([]);
  expect(foreign).toEqual([]);
});

test('verify: the example succeeds, then a broken program shows errors at their line', async ({ page }) => {
  await page.goto('/');
  await editorReady(page);
  const verifier = page.getByRole('region', { name: 'Verifier' });
  await page.getByRole('button', { name: 'Verify' }).click();
  // Until the verifier lands the honest success is "assembled"; afterwards the kernel's verdict.
  await expect(verifier.getByTestId('verify-summary')).toContainText(/Assembled 11 instructions|accepted/);
  await expect(verifier).not.toContainText('rejected');

  await setSource(page, 'r0 = 2\nr0 = frobnicate r1\nexit\n');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(verifier.getByTestId('verify-summary')).toContainText(/Assembly failed|rejected/);
  await expect(verifier.getByRole('list', { name: 'Problems' })).toContainText('line 2:');
  // The same problem is a Monaco marker (squiggle) in the editor.
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeAttached();
});

test('verify: a program the kernel rejects shows the verdict, the log and a marker at the line', async ({ page }) => {
  await page.goto('/');
  // An unchecked packet read: Linux 6.18 rejects insn 1 with "R0 offset is outside of the packet".
  await setSource(page, 'r0 = *(u32 *)(r1 + 0)\nr2 = *(u8 *)(r0 + 0)\nr0 = 0\nexit\n');
  await page.getByRole('button', { name: 'Verify' }).click();
  const verifier = page.getByRole('region', { name: 'Verifier' });
  await expect(verifier.getByTestId('verify-summary')).toContainText('rejected');
  await expect(verifier.getByTestId('verify-summary')).toContainText('R0 offset is outside of the packet (line 2)');
  await expect(verifier.getByLabel('Verifier log')).toContainText('processed');
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeAttached();
});

test('run shows the return value in decimal and hex with the XDP action', async ({ page }) => {
  await page.goto('/');
  await editorReady(page);
  const output = page.getByRole('region', { name: 'Output' });
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(output.getByTestId('run-result')).toContainText('2 (0x2)');
  await expect(output).toContainText('XDP_PASS');

  // A second packet: each Run executes on every packet of the list, in order.
  await page.getByRole('region', { name: 'Packets' }).getByRole('combobox', { name: 'Add an example packet' }).selectOption({ label: 'ARP who-has 10.0.0.2' });
  await page.getByRole('button', { name: 'Run' }).click();
  const rows = output.getByRole('table', { name: 'Return values' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('2 (0x2)');
  await expect(rows.nth(2)).toContainText('1 (0x1)');
  await expect(rows.nth(2)).toContainText('XDP_DROP');
});

test('theme follows the system, switches with the button and the choice survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await editorReady(page);
  await expect(page.locator('.monaco-editor').first()).toHaveClass(/\bvs\b/);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('.monaco-editor').first()).toHaveClass(/vs-dark/);
});

test('the edited buffer survives a reload', async ({ page }) => {
  await page.goto('/');
  await setSource(page, '; kept across reloads 7f3a\nr0 = 0\nexit\n');
  await expect.poll(() => page.evaluate(() => localStorage.getItem('bpfiddle:v1:source'))).toContain('7f3a');
  await page.reload();
  await editorReady(page);
  await expect(page.getByRole('region', { name: 'Editor' })).toContainText('kept across reloads 7f3a');
});

test('a runaway program trips the watchdog; the page stays responsive and the next run works', async ({ page }) => {
  await page.goto('/?debug');
  await editorReady(page);
  // A budget this large lets the infinite loop outlive the 2 s watchdog.
  await page.evaluate(() => window.bpfiddleDebug?.setRunBudget(1e15));
  await setSource(page, 'loop:\n    goto loop\n    r0 = 0\n    exit\n');
  const started = Date.now();
  await page.getByRole('button', { name: 'Run' }).click();

  // The page is not frozen while the worker spins: the UI still reacts.
  await page.getByRole('button', { name: /Switch to (light|dark) theme/ }).click();
  await expect(page.getByTestId('notice')).toContainText('restarted', { timeout: 15_000 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  await expect(page.getByRole('region', { name: 'Output' })).toContainText('longer than 2 s');

  await page.evaluate(() => window.bpfiddleDebug?.setRunBudget(undefined));
  await setSource(page, 'r0 = 2\nexit\n');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('region', { name: 'Output' }).getByTestId('run-result')).toContainText('2 (0x2)');
});

test('share puts the program in the link, and the link opens it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await setSource(page, '; shared 91c2\nr0 = 1\nexit\n');
  await page.getByRole('button', { name: 'Share' }).click();
  await expect(page.getByTestId('notice')).toContainText('Share link');
  const url = page.url();
  expect(url).toMatch(/#v2,/);
  const other = await context.newPage();
  await other.goto(url);
  await editorReady(other);
  await expect(other.getByRole('region', { name: 'Editor' })).toContainText('shared 91c2');
});
