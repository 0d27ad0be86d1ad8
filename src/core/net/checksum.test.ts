import { describe, expect, it } from 'vitest';
import { internetChecksum, sumWords } from './checksum.ts';

describe('internet checksum', () => {
  it('matches the RFC 1071 section 3 worked example', () => {
    // 00 01 f2 03 f4 f5 f6 f7 sums to 0xddf2 (RFC 1071, "Numerical Example").
    const data = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
    expect(sumWords(data)).toBe(0xddf2);
    expect(internetChecksum(data)).toBe(~0xddf2 & 0xffff);
  });
  it('pads an odd trailing byte with zero', () => {
    expect(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56]))).toBe(internetChecksum(Uint8Array.from([0x12, 0x34, 0x56, 0x00])));
  });
  it('verifies to zero once the checksum is inserted (the well-known IPv4 header from Wikipedia)', () => {
    // 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7: checksum b861.
    const hdr = Uint8Array.from([0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7]);
    expect(internetChecksum(hdr)).toBe(0xb861);
    hdr[10] = 0xb8;
    hdr[11] = 0x61;
    expect(internetChecksum(hdr)).toBe(0);
  });
  it('keeps folding correctly over a jumbo-sized buffer', () => {
    const big = new Uint8Array(70000).fill(0xff);
    expect(internetChecksum(big)).toBe(0);
  });
});
