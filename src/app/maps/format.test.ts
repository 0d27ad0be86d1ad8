import { describe, expect, it } from 'vitest';
import { integerReading, leUnsigned, spacedHex } from './format.ts';

describe('map value display', () => {
  it('reads little-endian integers: 0x0c in the low byte is 12', () => {
    expect(leUnsigned('0c00000000000000')).toBe(12n);
    expect(leUnsigned('34120000')).toBe(0x1234n);
    expect(leUnsigned('010203')).toBeNull();
  });

  it('shows 4- and 8-byte values as numbers, with the signed reading when negative', () => {
    expect(integerReading('0c00000000000000')).toBe('12');
    expect(integerReading('ffffffff')).toBe('4294967295 (-1)');
    expect(integerReading('0102')).toBeNull();
    expect(integerReading('zzzzzzzz')).toBeNull();
  });

  it('spaces hex by byte', () => {
    expect(spacedHex('0a0b0c')).toBe('0a 0b 0c');
    expect(spacedHex('')).toBe('');
  });
});
