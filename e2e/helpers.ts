import { expect, type Page } from '@playwright/test';

/** Collects console errors and uncaught exceptions from the moment it is called. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/** Waits until Monaco replaced the read-only fallback. */
export async function editorReady(page: Page): Promise<void> {
  await expect(page.getByRole('region', { name: 'Editor' }).locator('.monaco-editor .view-lines')).toBeVisible();
}

/** Replaces the whole buffer, as a user pasting a program would. */
export async function setSource(page: Page, text: string): Promise<void> {
  await editorReady(page);
  await page.getByRole('region', { name: 'Editor' }).locator('.monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}
