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
    await page.screenshot({ path: `test-results/screenshot-${scheme}.png` });
    if (process.env.UPDATE_SCREENSHOT === '1' && scheme === 'light') await page.screenshot({ path: 'public/screenshot.png' });
  });
}
