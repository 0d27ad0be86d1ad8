import { describe, expect, it } from 'vitest';
import { decodeCString, encodeCString } from './c-string.ts';

const bytes = (raw: string): number[] => {
  const r = decodeCString(raw);
  if (!r.ok) throw new Error(r.message);
  return [...r.bytes];
};

describe('C string literals', () => {
  it('decodes plain text, the named escapes, hex and octal', () => {
    expect(bytes('ab')).toEqual([0x61, 0x62]);
    expect(bytes('\\n\\t\\r\\0\\\\\\"\\a\\b\\f\\v\\e\\?\\\'')).toEqual([10, 9, 13, 0, 92, 34, 7, 8, 12, 11, 27, 63, 39]);
    expect(bytes('\\x41\\x7\\x41b')).toEqual([0x41, 0x07, 0x41, 0x62]);
    expect(bytes('\\101\\0123\\377')).toEqual([0x41, 0x0a, 0x33, 0xff]);
    expect(bytes('é')).toEqual([0xc3, 0xa9]);
  });

  it('explains bad escapes with their offset in the text', () => {
    expect(decodeCString('ab\\q')).toEqual({ ok: false, message: expect.stringContaining("unknown escape '\\q'"), offset: 2, length: 2 });
    expect(decodeCString('\\xg')).toMatchObject({ ok: false, offset: 0, message: expect.stringContaining('hex digits') });
    expect(decodeCString('\\400')).toMatchObject({ ok: false, offset: 0, message: expect.stringContaining('more than one byte') });
    expect(decodeCString('a\\')).toMatchObject({ ok: false, offset: 1, message: expect.stringContaining('lone backslash') });
  });

  it('encodes any bytes so that they decode back', () => {
    expect(encodeCString(Uint8Array.from([0x68, 0x69, 0x0a, 0x22, 0x5c, 0x00, 0xff, 0x31]))).toBe('hi\\n\\"\\\\\\x00\\xff1');
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(bytes(encodeCString(all))).toEqual([...all]);
  });
});
