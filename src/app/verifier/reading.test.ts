import { describe, expect, it } from 'vitest';
import { parseArgs, readValue, slotKind, stackBytes } from './reading.ts';

describe('plain-language readings of verifier state', () => {
  it('reads constants and stack pointers', () => {
    expect(readValue('2')).toBe('the number 2');
    expect(readValue('P0')).toBe('the number 0');
    expect(readValue('fp0')).toBe('pointer to the top of the stack (r10)');
    expect(readValue('fp-4')).toBe('pointer into the stack at r10 -4');
  });

  it('reads scalar bounds as a range, from the kernel notation', () => {
    expect(parseArgs('smin=smin32=0,smax=umax=smax32=umax32=10,var_off=(0x0; 0xf)')).toMatchObject({ smin: '0', umax: '10', var_off: '(0x0; 0xf)' });
    expect(readValue('scalar(smin=smin32=0,smax=umax=smax32=umax32=10,var_off=(0x0; 0xf))')).toBe('a number in [0, 10]');
    expect(readValue('scalar(smin=umin=smin32=umin32=11,smax=umax=smax32=umax32=255,var_off=(0x0; 0xff))')).toBe('a number in [11, 255]');
    expect(readValue('scalar()')).toBe('a number the verifier knows nothing about');
  });

  it('reads pointers by what they point to', () => {
    expect(readValue('ctx()')).toBe("pointer to the program's context");
    expect(readValue('pkt(off=14,r=14)')).toBe('packet pointer + 14; 14 bytes proven readable from packet start');
    expect(readValue('pkt(r=0)')).toBe('packet pointer; 0 bytes proven readable from packet start');
    expect(readValue('map_value_or_null(id=1,map=counts,ks=4,vs=8)')).toBe('pointer to a value of map counts, or NULL: check it before use');
    expect(readValue('map_value(map=counts,ks=4,vs=8)')).toBe('pointer to a value of map counts (8 bytes)');
  });

  it('reads stack slot byte types', () => {
    expect(stackBytes('mmmm????')).toBe('4 misc, 4 invalid');
    expect(slotKind('ctx()')).toBe('spill');
    expect(slotKind('00000000')).toBe('zero');
    expect(slotKind('mmmm????')).toBe('mixed');
    expect(slotKind(undefined)).toBe('invalid');
  });
});
