import { describe, expect, it } from 'vitest';
import { makeSeed, parseSeeds, readSeeds, seedBytes } from './seeds.ts';

const counts = { name: 'counts', type: 'array', keySize: 4, valueSize: 8, maxEntries: 2 };

describe('map seeds typed in the Maps panel', () => {
  it('reads numbers as little-endian integers of the key/value size', () => {
    expect(seedBytes('1', 4)).toEqual({ ok: true, hex: '01000000' });
    expect(seedBytes('0x1234', 4)).toEqual({ ok: true, hex: '34120000' });
    expect(seedBytes('-1', 8)).toEqual({ ok: true, hex: 'ffffffffffffffff' });
    expect(seedBytes('4294967296', 4)).toEqual({ ok: false, error: '4294967296 does not fit in 4 bytes' });
  });

  it('reads spaced or lettered text as hex bytes and checks the size', () => {
    expect(seedBytes('0a 00 00 00', 4)).toEqual({ ok: true, hex: '0a000000' });
    expect(seedBytes('AbCd', 2)).toEqual({ ok: true, hex: 'abcd' });
    expect(seedBytes('0a 00', 4)).toEqual({ ok: false, error: '2 bytes given, the map wants 4' });
    expect(seedBytes('hello', 4).ok).toBe(false);
    expect(seedBytes('  ', 4)).toEqual({ ok: false, error: 'empty' });
  });

  it('makes a seed for a declared map, naming the bad half', () => {
    expect(makeSeed(counts, '1', '10')).toEqual({ ok: true, seed: { map: 'counts', keyHex: '01000000', valueHex: '0a00000000000000' } });
    expect(makeSeed(counts, 'x', '10')).toMatchObject({ ok: false, error: expect.stringMatching(/^key: /) });
    expect(makeSeed(counts, '1', '')).toEqual({ ok: false, error: 'value: empty' });
  });

  it('accepts only well-formed seed lists from storage or links', () => {
    expect(readSeeds('[{"map":"m","keyHex":"00","valueHex":"01"}]')).toEqual([{ map: 'm', keyHex: '00', valueHex: '01' }]);
    expect(readSeeds('not json')).toBeNull();
    expect(parseSeeds([{ map: 'm', keyHex: '<b>', valueHex: '' }])).toBeNull();
    expect(parseSeeds({})).toBeNull();
  });
});
