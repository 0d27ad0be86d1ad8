import { expect, test } from '@playwright/test';
import { editorReady, setSource } from './helpers.ts';

/*
 * Expected values come from the Linux 6.18 kernel through
 * ../shared/tools/kbpf.py (see test-data/engine/counter-ringbuf.kernel.json):
 * with counts[1] seeded to 10 and two packets, counts[1] ends at 12 and the
 * ring buffer holds the records 11 and 12.
 */
const COUNTER = `.prog xdp
.map counts array key=4 value=8 entries=2
.map events ringbuf key=0 value=0 entries=4096
    *(u32 *)(r10 - 4) = 1
    r1 = map[counts] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = 1
    lock *(u64 *)(r0 + 0) += r1
    r1 = *(u64 *)(r0 + 0)
    *(u64 *)(r10 - 16) = r1
    r1 = map[events] ll
    r2 = r10
    r2 += -16
    r3 = 8
    r4 = 0
    call bpf_ringbuf_output
out:
    r0 = 2
    exit
`;

test.beforeEach(async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.clear());
  await page.reload();
});

test('maps: seeds go in before the run, entries and ring-buffer records come out, events in Output', async ({ page }) => {
  await setSource(page, COUNTER);
  const packets = page.getByRole('region', { name: 'Packets' });
  await packets.getByRole('combobox', { name: 'Add an example packet' }).selectOption({ label: 'IPv4 / UDP DNS query to port 53' });
  await page.getByRole('button', { name: 'Verify' }).click();
  const maps = page.getByRole('region', { name: 'Maps' });
  await expect(maps.getByRole('region', { name: 'Map counts' })).toBeVisible();
  await maps.getByLabel('counts seed key').fill('1');
  await maps.getByLabel('counts seed value').fill('10');
  await maps.getByRole('button', { name: 'Seed' }).first().click();
  await expect(maps.getByRole('list', { name: 'counts seeds' })).toContainText('= 10');
  await page.getByRole('button', { name: 'Run' }).click();
  const entries = maps.getByRole('table', { name: 'counts entries' });
  await expect(entries.getByRole('row').nth(2)).toContainText('0c 00 00 00 00 00 00 00 = 12');
  await expect(maps.getByRole('list', { name: 'events records' })).toContainText('0b 00 00 00 00 00 00 00 = 11');
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.getByRole('list', { name: 'Events' })).toContainText('ringbuf events 0c 00 00 00 00 00 00 00');
  await maps.screenshot({ path: 'test-results/panel-maps.png' });
  await output.screenshot({ path: 'test-results/panel-output.png' });
});

test('output: bpf_printk lines and the socket filter verdict per packet', async ({ page }) => {
  await setSource(page, '.prog socket_filter\n    r1 = 0x0a6968\n    *(u64 *)(r10 - 8) = r1\n    r1 = r10\n    r1 += -8\n    r2 = 4\n    call bpf_trace_printk\n    r0 = 0\n    exit\n');
  await page.getByRole('button', { name: 'Run' }).click();
  const output = page.getByRole('region', { name: 'Output' });
  await expect(output.getByLabel('printk output')).toContainText('#1: hi');
  await expect(output.getByRole('table', { name: 'Return values' })).toContainText('drop (0 bytes kept)');
});

test('packets: build a TCP packet, edit its bytes, see decoded headers, a byte diff and pcap round trip', async ({ page }) => {
  await editorReady(page);
  const packets = page.getByRole('region', { name: 'Packets' });
  await packets.getByRole('button', { name: 'Build…' }).click();
  const builder = packets.getByRole('form', { name: 'Packet builder' });
  await builder.getByLabel('Protocol').selectOption('tcp');
  await builder.getByLabel('Destination port').fill('80');
  await builder.getByRole('button', { name: 'Add packet' }).click();
  await expect(packets.getByRole('list', { name: 'Packet list' })).toContainText('#2 IPv4 10.0.0.1 → 10.0.0.2 / TCP 1234 → 80');
  await expect(packets.getByRole('region', { name: 'Decoded headers' })).toContainText('Transmission Control Protocol');

  // A program that rewrites the first byte of the destination MAC and passes the packet.
  await setSource(page, '.prog xdp\n    r2 = *(u32 *)(r1 + 4)\n    r1 = *(u32 *)(r1 + 0)\n    r3 = r1\n    r3 += 14\n    if r3 > r2 goto out\n    *(u8 *)(r1 + 0) = 0xaa\nout:\n    r0 = 2\n    exit\n');
  await page.keyboard.press('Shift+Enter');
  await expect(packets.getByTestId('packet-verdict')).toHaveText('XDP_PASS');
  await expect(packets.getByTestId('byte-diff')).toContainText('1 bytes changed');
  await expect(packets.locator('.diff-changed')).toHaveText(' aa');
  await packets.screenshot({ path: 'test-results/panel-packets.png' });

  // Hex editing: a bad edit is explained, a good one replaces the packet.
  const hex = packets.getByLabel('Packet hex');
  await hex.fill('zz');
  await packets.getByRole('button', { name: 'Apply' }).click();
  await expect(packets.getByRole('alert')).toBeVisible();
  await hex.fill('ffffffffffff0200000000010806' + '0001080006040001' + '0200000000010a000001' + '0000000000000a000002');
  await packets.getByRole('button', { name: 'Apply' }).click();
  await expect(packets.getByRole('list', { name: 'Packet list' })).toContainText('ARP');

  // Export, then import the same file: the list comes back.
  const download = page.waitForEvent('download');
  await packets.getByRole('button', { name: 'Export pcap' }).click();
  const file = await (await download).path();
  await packets.getByRole('button', { name: 'Remove packet 2' }).click();
  await packets.locator('input[type=file]').setInputFiles(file);
  await expect(page.getByTestId('notice')).toContainText('Imported 2 packets');
  await expect(packets.getByRole('list', { name: 'Packet list' }).getByRole('listitem')).toHaveCount(2);
});
