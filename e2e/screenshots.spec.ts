import { test } from '@playwright/test';
import { editorReady } from './helpers.ts';

// Screenshots for looking at the app as a user would (test-results/) and, with
// UPDATE_SCREENSHOT=1, the one the README shows (public/screenshot.png).
for (const scheme of ['light', 'dark'] as const) {
  test(`screenshot (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await editorReady(page);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByTestId('verify-summary').waitFor();
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('run-result').waitFor();
    // Put the cursor on the bounds check, so the Registers and Stack panels show its state.
    await page.getByRole('region', { name: 'Verifier' }).getByRole('button', { name: /^4: \(2d\) if r3 > r2 goto pc\+4/ }).click();
    await page.getByRole('table', { name: 'Register states' }).waitFor();
    await page.screenshot({ path: `test-results/screenshot-${scheme}.png` });
    if (process.env.UPDATE_SCREENSHOT === '1' && scheme === 'light') await page.screenshot({ path: 'public/screenshot.png' });
  });
}
