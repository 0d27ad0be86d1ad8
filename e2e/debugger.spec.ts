import { expect, test, type Page } from '@playwright/test';
import { editorReady, setSource, watchErrors } from './helpers.ts';

/*
 * The debugger on a small straight-line program whose values are worked out
 * by hand: r3 = 7 * 6 = 42 (0x2a) is stored at fp-8, r4 ends up pointing at
 * it, the program returns 2 (XDP_PASS).
 */
const PROGRAM = [
  '.prog xdp', //                  line 1
  'r2 = 7', //                     line 2, insn 0
  'r3 = r2', //                    line 3, insn 1
  'r3 *= 6', //                    line 4, insn 2
  '*(u64 *)(r10 - 8) = r3', //     line 5, insn 3
  'r4 = r10', //                   line 6, insn 4
  'r4 += -8', //                   line 7, insn 5
  'r0 = 2', //                     line 8, insn 6
  'exit', //                       line 9, insn 7
].join('\n');

/** Clicks the glyph margin (left of the line numbers) of a 1-based line: a breakpoint. */
async function clickGlyph(page: Page, line: number): Promise<void> {
  const editor = page.getByRole('region', { name: 'Editor' });
  const number = editor.locator('.line-numbers', { hasText: new RegExp(`^${line}$`) });
  const numberBox = await number.boundingBox();
  const glyphBox = await editor.locator('.glyph-margin').first().boundingBox();
  if (!numberBox || !glyphBox) throw new Error('editor margin not laid out');
  await page.mouse.click(glyphBox.x + glyphBox.width / 2, numberBox.y + numberBox.height / 2);
}

const concrete = (page: Page, reg: string) => page.getByRole('table', { name: 'Register states' }).locator(`tr[data-reg="${reg}"] [data-testid="concrete-value"]`);

for (const scheme of ['light', 'dark'] as const) {
  test(`debugger: breakpoint, continue, step, step back show the run's values (${scheme})`, async ({ page }) => {
    const errors = watchErrors(page);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await editorReady(page);
    await setSource(page, PROGRAM);
    // Verify first, so the verifier's ranges stand next to the concrete values.
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('verify-summary').waitFor();

    await clickGlyph(page, 5);
    await expect(page.locator('.debug-breakpoint-glyph')).toHaveCount(1);

    await page.getByRole('button', { name: 'Debug', exact: true }).click();
    const status = page.getByTestId('debug-status');
    // Debug runs to the first breakpoint: insn 3, the store, has not run yet.
    await expect(status).toContainText('step 4 of 9 · next: insn 3');
    await expect(concrete(page, 'R3')).toContainText('42');
    await expect(concrete(page, 'R3')).toContainText('0x2a');
    await expect(concrete(page, 'R1')).toContainText('xdp_md+0');
    await expect(page.locator('.debug-current-line')).toHaveCount(1);

    const bar = page.getByRole('toolbar', { name: 'Debugger' });
    await bar.getByRole('button', { name: /^Step ▶/ }).click();
    await expect(status).toContainText('next: insn 4');
    const stackBytes = page.getByRole('table', { name: 'Stack bytes of this run' });
    await expect(stackBytes.locator('tr', { hasText: 'fp-8' })).toContainText('2a 00 00 00 00 00 00 00');
    await expect(page.getByTestId('debug-writes')).toContainText('stack+504 (fp-8): 00 → 2a'); // only the bytes that changed: 42 over zeros
    await page.screenshot({ path: `test-results/debugger-${scheme}.png` });

    await bar.getByRole('button', { name: /^Step ▶/ }).click();
    await bar.getByRole('button', { name: /^Step ▶/ }).click();
    await expect(status).toContainText('next: insn 6');
    await expect(concrete(page, 'R4')).toContainText('stack+504 (fp-8)');

    await bar.getByRole('button', { name: /Step back/ }).click();
    await expect(status).toContainText('next: insn 5');
    await expect(concrete(page, 'R4')).toContainText('stack+512 (fp+0)');
    await expect(page.getByTestId('debug-writes')).toHaveCount(0); // r4 = r10 wrote no memory

    // No breakpoint ahead: Continue runs to the end.
    await bar.getByRole('button', { name: /Continue/ }).click();
    await expect(status).toContainText('exited, r0 = 2');
    await expect(concrete(page, 'R0')).toContainText('2');

    await bar.getByRole('button', { name: /Restart/ }).click();
    await expect(status).toContainText('step 1 of 9');
    expect(errors).toEqual([]);
  });
}

test('debugger: a fault shows at its step with the interpreter message', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  // Reading at fp+0 is outside the stack: the interpreter stops at insn 1 (the verifier would refuse it; the debugger shows why).
  await setSource(page, '.prog xdp\nr0 = 0\nr0 = *(u32 *)(r10 + 0)\nexit\n');
  await page.getByRole('button', { name: 'Debug', exact: true }).click();
  const bar = page.getByRole('toolbar', { name: 'Debugger' });
  await bar.getByRole('button', { name: /Continue/ }).click();
  await expect(page.getByTestId('debug-status')).toContainText('fault at insn 1: invalid read of 4 bytes at stack+512 (fp+0): outside the 512-byte stack');
  await expect(page.locator('.debug-fault-line')).toHaveCount(1);
  await expect(bar.getByRole('button', { name: /^Step ▶/ })).toBeDisabled();
});
