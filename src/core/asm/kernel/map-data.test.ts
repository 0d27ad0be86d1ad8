/**
 * The data directives: `.map ... frozen`, `.init NAME KEY = VALUE` and
 * `.rodata NAME "text"`. Expected bytes are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic, MapSpec } from '../../program.ts';
import { assembleKernel } from './assemble.ts';

const CODE = 'r0 = 0\nexit\n';

function maps(source: string): MapSpec[] {
  const r = assembleKernel(source + CODE);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n'));
  return r.program.maps;
}

function diagnostics(source: string): Diagnostic[] {
  const r = assembleKernel(source + CODE);
  return r.diagnostics;
}

/** The one error, as `line:column message`. */
function error(source: string): string {
  const errs = diagnostics(source).filter((d) => d.severity === 'error');
  expect(errs).toHaveLength(1);
  return `${errs[0].line}:${errs[0].column} ${errs[0].message}`;
}

const u8 = (...b: number[]): Uint8Array => Uint8Array.from(b);
const text = (s: string, size: number): Uint8Array => {
  const out = new Uint8Array(size);
  out.set([...s].map((c) => c.charCodeAt(0)));
  return out;
};

describe('.rodata', () => {
  it('makes what libbpf makes of a .rodata string: a frozen one-entry array, read-only to programs', () => {
    expect(maps('.rodata greeting "hi\\n"\n')).toEqual([
      {
        name: 'greeting',
        type: 'array',
        keySize: 4,
        valueSize: 4,
        maxEntries: 1,
        flags: 0x80,
        frozen: true,
        init: [{ key: u8(0, 0, 0, 0), value: u8(0x68, 0x69, 0x0a, 0x00) }],
      },
    ]);
  });

  it('takes hex bytes as they are (no NUL added)', () => {
    const [m] = maps('.rodata table x"0a 00 00 01 ff"\n');
    expect(m.valueSize).toBe(5);
    expect(m.init![0].value).toEqual(u8(0x0a, 0, 0, 1, 0xff));
  });

  it('is referenced like any map', () => {
    const r = assembleKernel('.rodata s "abc"\nr1 = map_value[s] + 1 ll\nr0 = 0\nexit\n');
    expect(r.ok && r.program.insns[0]).toMatchObject({ src: 2, imm: 0 });
    expect(r.ok && r.program.insns[1].imm).toBe(1);
  });

  it('refuses numbers, empty data, and a name already used', () => {
    expect(error('.rodata s 5\n')).toMatch(/^1:11 \.rodata takes a "string" or hex bytes/);
    expect(error('.rodata s x""\n')).toMatch(/^1:11 \.rodata needs at least one byte/);
    expect(error('.map s array key=4 value=8 entries=1\n.rodata s "x"\n')).toMatch(/^2:9 map 's' is defined twice \(first on line 1\)/);
    expect(error('.rodata\n')).toMatch(/^1:8 expected a name for the read-only data/);
    expect(error('.rodata s "a" "b"\n')).toMatch(/^1:15 unexpected '"?b"?'/);
  });
});

describe('.map ... frozen', () => {
  it('marks the map frozen, with or without flags, in any position after the type', () => {
    const [a, b, c] = maps('.map a array key=4 value=8 entries=1 frozen\n.map b hash frozen key=4 value=4 entries=2 flags=0x80\n.map c array key=4 value=8 entries=1\n');
    expect(a).toMatchObject({ frozen: true, flags: 0 });
    expect(b).toMatchObject({ frozen: true, flags: 0x80, keySize: 4, maxEntries: 2 });
    expect(c.frozen).toBeUndefined();
  });

  it('takes no value', () => {
    expect(error('.map a array key=4 value=8 entries=1 frozen=1\n')).toMatch(/^1:44 'frozen' takes no value/);
    expect(maps('.map bf bloom_filter key=0 value=4 entries=8 extra=3\n')[0].mapExtra).toBe(3);
  });
});

describe('.init', () => {
  it('writes numbers little-endian, padded to the sizes; negative numbers in two’s complement', () => {
    const [m] = maps('.map m hash key=8 value=4 entries=4\n.init m 1 = 0x01020304\n.init m 0x1122 = -2\n');
    expect(m.init).toEqual([
      { key: u8(1, 0, 0, 0, 0, 0, 0, 0), value: u8(4, 3, 2, 1) },
      { key: u8(0x22, 0x11, 0, 0, 0, 0, 0, 0), value: u8(0xfe, 0xff, 0xff, 0xff) },
    ]);
  });

  it('writes strings NUL-padded (C escapes decoded) and hex bytes zero-padded', () => {
    const [m] = maps('.map names array key=4 value=8 entries=4\n.init names 0 = "eth0"\n.init names 1 = "a\\tb\\x01\\"; x"\n.init names 2 = x"de ad"\n.init names 3 = "12345678"\n');
    expect(m.init!.map((e) => e.value)).toEqual([text('eth0', 8), u8(0x61, 9, 0x62, 1, 0x22, 0x3b, 0x20, 0x78), u8(0xde, 0xad, 0, 0, 0, 0, 0, 0), text('12345678', 8)]);
  });

  it('may come before its .map, and fills entries in source order', () => {
    const [m] = maps('.init m 2 = 7\n.map m array key=4 value=4 entries=4\n.init m 0 = 9\n');
    expect(m.init!.map((e) => [e.key[0], e.value[0]])).toEqual([
      [2, 7],
      [0, 9],
    ]);
  });

  it('takes no key for queue, stack and bloom_filter maps', () => {
    const [q] = maps('.map q queue key=0 value=2 entries=2\n.init q = 1\n.init q = 0x203\n');
    expect(q.init).toEqual([
      { key: u8(), value: u8(1, 0) },
      { key: u8(), value: u8(3, 2) },
    ]);
    expect(error('.map q stack key=0 value=2 entries=2\n.init q 0 = 1\n')).toMatch(/^2:9 a stack map has no keys; write '\.init q = VALUE'/);
    expect(error('.map h hash key=4 value=2 entries=2\n.init h = 1\n')).toMatch(/^2:7 a hash map needs a key/);
  });

  it('adds to a .rodata map’s own entry with a warning when it replaces it', () => {
    const d = diagnostics('.rodata s "ab"\n.init s 0 = "cd"\n');
    expect(d).toEqual([expect.objectContaining({ severity: 'warning', line: 2, column: 9, message: expect.stringMatching(/already given by its declaration; the later value wins/) })]);
  });

  it('warns when a key is given twice (the later value wins, as BPF_ANY updates do)', () => {
    const d = diagnostics('.map m hash key=4 value=4 entries=1\n.init m 1 = 1\n.init m 1 = 2\n');
    expect(d).toEqual([expect.objectContaining({ severity: 'warning', line: 3, column: 9, message: expect.stringMatching(/already given on line 2/) })]);
  });

  it('points at what is wrong', () => {
    expect(error('.init nope 0 = 1\n')).toMatch(/^1:7 undefined map 'nope'; declare it first/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 0x100000000 = 1\n')).toMatch(/^2:9 0x100000000 does not fit in the 4-byte key of map 'm'/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 1 = "abcde"\n')).toMatch(/^2:13 the string is 5 bytes, more than the 4-byte value of map 'm'/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 1 = x"0102030405"\n')).toMatch(/^2:13 the hex data is 5 bytes/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 1 = "a\\qb"\n')).toMatch(/^2:15 unknown escape '\\q'/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 1 = x"0g"\n')).toMatch(/^2:13 x"0g" is not hex bytes/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 1 2\n')).toMatch(/^2:11 expected '=' between the key and the value/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 1 = r1\n')).toMatch(/^2:13 expected the value: a number, a "string" or hex bytes/);
    expect(error('.map m hash key=4 value=4 entries=1\n.init m 1 = 1\n.init m 2 = 1\n')).toMatch(/^3:9 map 'm' has room for 1 entry \(entries=1\)/);
    expect(error('.map a array key=4 value=4 entries=2\n.init a 2 = 1\n')).toMatch(/^2:9 index 2 is past the end of array 'a' \(entries=2\)/);
    expect(error('.map r ringbuf key=0 value=0 entries=4096\n.init r 0 = 1\n')).toMatch(/^2:7 \.init cannot fill a ringbuf map/);
    expect(error('.map m hash key=4 value=4 entries=4\n.init m 1 = 1 2\n')).toMatch(/^2:15 unexpected '2'/);
  });

  it('never throws on odd sizes', () => {
    expect(error('.map a array key=2 value=4 entries=2\n.init a 0 = 1\n.map z hash key=0 value=4 entries=2\n.init z 0 = 1\n')).toMatch(/^4:9 0 does not fit in the 0-byte key/);
  });
});

describe('strings elsewhere', () => {
  it('a quote escaped in a string does not end it, and ; inside it is not a comment', () => {
    expect(maps('.rodata s "a\\";b" ; comment\n')[0].init![0].value).toEqual(u8(0x61, 0x22, 0x3b, 0x62, 0));
  });

  it('.license decodes escapes too', () => {
    const r = assembleKernel('.license "Dual \\x42SD/GPL"\n' + CODE);
    expect(r.ok && r.program.license).toBe('Dual BSD/GPL');
  });
});
