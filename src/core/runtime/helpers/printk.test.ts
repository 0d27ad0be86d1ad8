import { describe, expect, it } from 'vitest';
import { formatPrintk, type MemoryReader } from './printk.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const fmt = (s: string): Uint8Array => enc(s + '\0');
/** memory with a string at 0x1000 and an IPv4/IPv6 address at 0x2000 */
const memory: MemoryReader = (ptr, size) => {
  const blobs: [bigint, Uint8Array][] = [
    [0x1000n, enc('eth0\0')],
    [0x2000n, Uint8Array.from([192, 168, 1, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])],
  ];
  for (const [base, bytes] of blobs) {
    const off = Number(ptr - base);
    if (off >= 0 && off + size <= bytes.length) return bytes.slice(off, off + size);
  }
  return null;
};

function text(f: string, ...args: bigint[]): string {
  const r = formatPrintk(fmt(f), [...args, 0n, 0n, 0n].slice(0, 3), memory);
  if (!r.ok) throw new Error(r.reason);
  return r.text;
}

describe('trace_printk formatting (C printf rules)', () => {
  it('formats integers with 32-bit and 64-bit lengths', () => {
    expect(text('%d %u %x', 0xffffffffn, 0xffffffffn, 255n)).toBe('-1 4294967295 ff');
    expect(text('%ld %llu %lX', 0xffffffffffffffffn, 0xffffffffffffffffn, 0xabcn)).toBe('-1 18446744073709551615 ABC');
    expect(text('%i', 0x1_0000_0005n)).toBe('5');
  });

  it('honours flags and width', () => {
    expect(text('[%5d][%-5d][%05d]', 42n, 42n, 42n)).toBe('[   42][42   ][00042]');
    expect(text('[%+d][% d][%08x]', 7n, 7n, 0xbeefn)).toBe('[+7][ 7][0000beef]');
  });

  it('prints characters, strings and %%', () => {
    expect(text('%c%c 100%% %s!', 0x68n, 0x69n, 0x1000n)).toBe('hi 100% eth0!');
    expect(text('[%6s]', 0x1000n)).toBe('[  eth0]');
    expect(text('<%s>', 0x9999n)).toBe('<>'); // unreadable string: printed empty, as the kernel does
  });

  it('prints addresses', () => {
    expect(text('%pI4 %pi4', 0x2000n, 0x2000n)).toBe('192.168.1.20 192.168.001.020');
    expect(text('%px', 0x1234n)).toBe('0000000000001234');
    expect(text('%p', 0n)).toBe('(null)');
  });

  it('returns the byte length of the whole text', () => {
    const r = formatPrintk(fmt('héllo %d\n'), [12n, 0n, 0n], memory);
    expect(r).toEqual({ ok: true, text: 'héllo 12\n', length: 10 });
  });

  it('refuses what bpf_bprintf_prepare refuses, with EINVAL', () => {
    const bad = (f: Uint8Array): number | undefined => {
      const r = formatPrintk(f, [1n, 2n, 3n], memory);
      return r.ok ? undefined : r.errno;
    };
    expect(bad(enc('no terminator'))).toBe(22);
    expect(bad(fmt('%d %d %d %d'))).toBe(22);
    expect(bad(fmt('%.2d'))).toBe(22);
    expect(bad(fmt('%#x'))).toBe(22);
    expect(bad(fmt('%f'))).toBe(22);
    expect(bad(fmt('%sx'))).toBe(22);
    expect(bad(fmt('%pZ'))).toBe(22);
    expect(bad(fmt('bell\x07'))).toBe(22);
    expect(bad(fmt('%d %d %d'))).toBeUndefined();
  });
});
