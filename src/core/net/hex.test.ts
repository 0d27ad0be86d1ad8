import { describe, expect, it } from 'vitest';
import { readTcpdumpText } from '../../../test-data/net/tcpdump-text.ts';
import { formatHexDump, parseHex, toHex } from './hex.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

describe('formatHexDump', () => {
  it('prints offset, two groups of 8 bytes and the printable characters', () => {
    const data = new TextEncoder().encode('GET / HTTP/1.1\r\nHost: x\r\n');
    expect(formatHexDump(data)).toBe(
      [
        '0000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 31 0d 0a   GET / HTTP/1.1..',
        '0010  48 6f 73 74 3a 20 78 0d  0a                        Host: x..',
      ].join('\n'),
    );
    expect(formatHexDump(new Uint8Array(0))).toBe('');
  });
});

describe('parseHex', () => {
  it('reads tcpdump -xx output back to the frame bytes', () => {
    // The text block as tcpdump printed it, offsets and all.
    const text = `\t0x0000:  0200 0000 0002 0200 0000 0001 0800 4500
\t0x0010:  0032 0000 0000 4011 66b9 0a00 0001 0a00`;
    const r = parseHex(text);
    expect(r.ok && toHex(r.value)).toBe('0200000000020200000000010800450000320000000040116' + '6b90a0000010a00');
    const first = readTcpdumpText('builder-cases.tcpdump.txt')[0];
    expect(first.hex.startsWith(r.ok ? toHex(r.value) : 'x')).toBe(true);
  });

  it('accepts separators, 0x prefixes and comments', () => {
    for (const text of ['0a0b0c0d', '0a 0b\n0c\t0d', '0a:0b:0c:0d', '0x0a, 0x0b, 0xc, 0x0d', '0a0b # a comment\n0c0d', '0a-0b-0c-0d', '0x0a0b0c0d']) {
      const r = parseHex(text);
      expect(r.ok && toHex(r.value), text).toBe('0a0b0c0d');
    }
  });

  it('reads back its own dump and hexdump -C style dumps', () => {
    const data = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff);
    const own = parseHex(formatHexDump(data));
    expect(own.ok && toHex(own.value)).toBe(toHex(data));
    const hexdumpC = `00000000  45 00 00 1e 00 00 40 00  40 11 26 cd 0a 00 00 01  |E.....@.@.&.....|
00000010  0a 00 00 02                                       |....|
00000014
`;
    const r = parseHex(hexdumpC);
    expect(r.ok && toHex(r.value)).toBe('4500001e00004000401126cd0a0000010a000002');
  });

  it('does not mistake ordinary hex for a dump', () => {
    const r = parseHex('0000  4500 001e');
    expect(r.ok && toHex(r.value)).toBe('00004500001e');
  });

  it('reports errors with line and column', () => {
    expect(parseHex('0a 0b\n0c zz')).toMatchObject({ ok: false, error: "hex: unexpected character 'z' at line 2, column 4", position: { line: 2, column: 4, index: 9 } });
    expect(parseHex('45 0 0')).toMatchObject({ ok: false, error: "hex: odd number of hex digits in '0' at line 1, column 4" });
    expect(parseHex('0x')).toMatchObject({ ok: false, error: "hex: '0x' without digits at line 1, column 1" });
    expect(parseHex('0xg1')).toMatchObject({ ok: false, error: "hex: unexpected character 'g' at line 1, column 3" });
  });

  it('returns empty bytes for empty input', () => {
    const r = parseHex('  \n ');
    expect(r.ok && r.value.length).toBe(0);
    expect(bytes('')).toEqual(new Uint8Array(0));
  });
});
