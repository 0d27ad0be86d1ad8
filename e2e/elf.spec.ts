import { expect, test } from '@playwright/test';
import { editorReady } from './helpers.ts';

/*
 * test-data/elf/*.o with the Linux 6.18 kernel's results in
 * test-data/elf/kernel-results.json: xdp_parse is accepted; mistakes.o's
 * null_map_value is rejected with "R0 invalid mem access 'map_value_or_null'".
 */
test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await editorReady(page);
});

test('upload an object: pick a program, see C lines in the disassembly, verify and run it, maps typed by BTF', async ({ page }) => {
  await page.getByLabel('Open an ELF object (.o)').setInputFiles('test-data/elf/mistakes.o');
  const bar = page.getByTestId('object-bar');
  await expect(bar).toContainText('mistakes.o');
  await page.getByLabel('Program of the object').selectOption('null_map_value');
  const editor = page.getByRole('region', { name: 'Editor' });
  await expect(editor).toContainText('__u64 *v = bpf_map_lookup_elem(&hm, &k);');
  await page.getByRole('button', { name: 'Verify' }).click();
  const verifier = page.getByRole('region', { name: 'Verifier' });
  await expect(verifier.getByTestId('verify-summary')).toContainText("R0 invalid mem access 'map_value_or_null'");
  await expect(page.locator('.monaco-editor .squiggly-error').first()).toBeAttached();
  await page.screenshot({ path: 'test-results/panel-elf.png' });

  await page.getByLabel('Open an ELF object (.o)').setInputFiles('test-data/elf/xdp_parse.o');
  await expect(bar).toContainText('xdp_parse.o');
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(verifier.getByTestId('verify-summary')).toContainText('accepted');
  await page.getByRole('button', { name: 'Run' }).click();
  const maps = page.getByRole('region', { name: 'Maps' });
  await expect(maps.getByRole('table', { name: 'counters entries' })).toBeVisible();
  await page.getByRole('button', { name: 'Back to assembly' }).click();
  await expect(editor).toContainText('XDP: let IPv4 frames pass');
});

test('dropping a file on the editor opens it; a file that is not an object is explained', async ({ page }) => {
  const editor = page.getByRole('region', { name: 'Editor' });
  const drop = async (name: string, content: number[]) => {
    const dt = await page.evaluateHandle(
      ([n, c]) => {
        const t = new DataTransfer();
        t.items.add(new File([new Uint8Array(c as number[])], n as string));
        return t;
      },
      [name, content],
    );
    await editor.locator('.editor-drop').dispatchEvent('drop', { dataTransfer: dt });
  };
  await drop('notes.o', Array.from(new TextEncoder().encode('not an elf file')));
  await expect(page.getByTestId('notice')).toContainText('Could not open notes.o');
  const fs = await import('node:fs');
  await drop('sections.o', Array.from(fs.readFileSync('test-data/elf/sections.o')));
  await expect(page.getByTestId('object-bar')).toContainText('sections.o');
  const kernel = JSON.parse(fs.readFileSync('test-data/elf/kernel-results.json', 'utf8')) as { objects: { object: string; programs: unknown[] }[] };
  const expected = kernel.objects.find((o) => o.object === 'sections.o')!.programs.length;
  await expect(page.getByLabel('Program of the object').locator('option')).toHaveCount(expected);
});
