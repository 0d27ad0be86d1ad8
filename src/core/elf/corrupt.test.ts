/**
 * Bad input never throws or hangs: targeted corruptions give specific
 * messages naming the failing step, and a seeded fuzz run over all fixtures
 * (byte flips, truncation, extreme header values, BTF garbage) must always
 * come back as `{ ok }` — and, for failures, as a deliberate message rather
 * than an "internal error" from an unexpected JavaScript exception.
 */
import { describe, expect, it } from 'vitest';
import { loadObject } from './load-object.ts';
import { fixture, fixtureNames } from './fixtures.test-util.ts';
import { mulberry32 as rng } from '../num/prng.ts';

function errorOf(bytes: Uint8Array): string {
  const r = loadObject(bytes);
  if (r.ok) throw new Error('expected a load error');
  return r.error;
}

function patch(bytes: Uint8Array, at: number, values: number[]): Uint8Array {
  const out = bytes.slice();
  out.set(values, at);
  return out;
}

const dv = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);

/** Section header table facts from the ELF64 header (offsets per the ELF spec). */
function shdr(b: Uint8Array, name: string): number {
  const v = dv(b);
  const shoff = Number(v.getBigUint64(40, true));
  const shnum = v.getUint16(60, true);
  const strndx = v.getUint16(62, true);
  const strOff = Number(v.getBigUint64(shoff + strndx * 64 + 24, true));
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * 64;
    const nameOff = v.getUint32(at, true);
    let s = '';
    for (let k = strOff + nameOff; b[k] !== 0; k++) s += String.fromCharCode(b[k]);
    if (s === name) return at;
  }
  throw new Error(`no section ${name}`);
}

describe('corrupt input gives a clear error', () => {
  const good = fixture('xdp_parse.o');

  it('empty and truncated files', () => {
    expect(errorOf(new Uint8Array(0))).toBe('read ELF header: file is 0 bytes, shorter than an ELF64 header (64)');
    expect(errorOf(good.slice(0, 100))).toMatch(/^read ELF header: \d+ section headers at 0x[0-9a-f]+: needs \d+ bytes, only \d+ available$/);
    expect(errorOf(good.slice(0, good.length - 1))).toMatch(/^read ELF header: .*section headers/);
  });

  it('not ELF, wrong class, byte order, type or machine', () => {
    expect(errorOf(new TextEncoder().encode('#include <linux/bpf.h>\n'.repeat(4)))).toBe('read ELF header: not an ELF file (bad magic; expected 7f 45 4c 46)');
    expect(errorOf(patch(good, 4, [1]))).toBe('read ELF header: ELF class 1 is not ELFCLASS64 (2); BPF objects are 64-bit');
    expect(errorOf(patch(good, 5, [2]))).toBe('read ELF header: ELF data encoding 2 is not little-endian (1); only little-endian BPF is supported');
    expect(errorOf(patch(good, 16, [2, 0]))).toBe('read ELF header: ELF type 2 is not a relocatable object (ET_REL = 1); pass the .o clang produced');
    expect(errorOf(patch(good, 18, [62, 0]))).toBe('read ELF header: ELF machine 62 is not BPF (247); compile with clang --target=bpf');
  });

  it('bad section indices', () => {
    expect(errorOf(patch(good, 62, [0xfe, 0x00]))).toMatch(/^read ELF header: section name table index 254 is out of range \(\d+ sections\)$/);
    const symtab = shdr(good, '.symtab');
    expect(errorOf(patch(good, symtab + 40, [0xff, 0, 0, 0]))).toBe('read symbol table: symbol string table index 255 is out of range');
    const rel = shdr(good, '.relxdp');
    expect(errorOf(patch(good, rel + 44, [99, 0, 0, 0]))).toBe('read relocations: section .relxdp: relocated section index 99 is out of range');
    const xdp = shdr(good, 'xdp');
    expect(errorOf(patch(good, xdp + 24, [0xff, 0xff, 0xff, 0x7f]))).toMatch(/^read section headers: section \d+ contents \(offset 0x7fffffff, size \d+\) at 0x7fffffff: needs \d+ bytes/);
  });

  it('BTF garbage', () => {
    const btf = Number(dv(good).getBigUint64(shdr(good, '.BTF') + 24, true));
    expect(errorOf(patch(good, btf, [0x12, 0x34]))).toBe('load BTF: bad BTF magic 0x3412 (expected 0xeb9f; big-endian BTF is not supported)');
    // type_len far beyond the section
    expect(errorOf(patch(good, btf + 12, [0xff, 0xff, 0xff, 0x00]))).toMatch(/^load BTF: BTF type section at 0x[0-9a-f]+: needs 16777215 bytes/);
    // first type's kind byte -> 31 (no such kind)
    const hdrLen = dv(good).getUint32(btf + 4, true);
    expect(errorOf(patch(good, btf + hdrLen + 7, [0x1f]))).toBe('load BTF: BTF types: type [1]: unknown kind 31');
    const ext = Number(dv(good).getBigUint64(shdr(good, '.BTF.ext') + 24, true));
    expect(errorOf(patch(good, ext + 2, [7]))).toBe('load BTF.ext: unsupported BTF.ext version 7');
  });

  it('a call into the middle of nowhere names the program and instruction', () => {
    const loops = fixture('loops.o');
    const xdp = Number(dv(loops).getBigUint64(shdr(loops, 'xdp') + 24, true));
    // instruction 14 of xdp_loops is `call checksum_bytes` (pseudo call, imm -1, relocated against the symbol)
    const insn = xdp + 14 * 8;
    expect(loops[insn]).toBe(0x85);
    const broken = patch(loops, insn + 4, [0x33, 0, 0, 0]);
    expect(errorOf(broken)).toMatch(/^relocate prog xdp_loops: insn 14 \(xdp\+112\): call target \.text\+\d+ is not the start of a function$/);
  });
});


const EXTREMES = [0x00, 0xff, 0x7f, 0x80, 0x01];

function mutate(src: Uint8Array, rand: () => number): Uint8Array {
  const pick = (n: number): number => Math.floor(rand() * n);
  const b = src.slice();
  switch (pick(5)) {
    case 0: // flip a few random bytes
      for (let i = 0, n = 1 + pick(8); i < n; i++) b[pick(b.length)] = pick(256);
      return b;
    case 1: // truncate
      return b.slice(0, pick(b.length));
    case 2: { // extreme value in the ELF header or a section header
      const shoff = Number(dv(b).getBigUint64(40, true));
      const at = rand() < 0.3 ? pick(64) : shoff + pick(b.length - shoff);
      for (let i = 0; i < 4 && at + i < b.length; i++) b[at + i] = EXTREMES[pick(EXTREMES.length)];
      return b;
    }
    case 3: { // garbage in the tail (BTF, BTF.ext and symbols live there)
      const from = Math.floor(b.length * 0.4);
      for (let i = 0, n = 1 + pick(16); i < n; i++) b[from + pick(b.length - from)] = pick(256);
      return b;
    }
    default: { // 32-bit word set to a random or extreme value anywhere
      const at = pick(b.length - 4) & ~3;
      dv(b).setUint32(at, rand() < 0.5 ? 0xffffffff : pick(0x10000), true);
      return b;
    }
  }
}

describe('seeded fuzz over the fixtures', () => {
  it('never throws, never hangs, and every error is a deliberate message', () => {
    const inputs = fixtureNames().map(fixture);
    const rand = rng(0xb0f1dd1e);
    const started = Date.now();
    const internal: string[] = [];
    let failures = 0;
    const N = 6000;
    for (let i = 0; i < N; i++) {
      const src = inputs[i % inputs.length];
      const input = mutate(src, rand);
      const r = loadObject(input);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) {
        failures++;
        expect(r.error.length).toBeGreaterThan(0);
        if (r.error.includes('internal error')) internal.push(`#${i}: ${r.error}`);
      }
    }
    const ms = Date.now() - started;
    // mutations that still load are fine (a flipped byte in debug info changes nothing)
    expect(failures).toBeGreaterThan(N / 10);
    expect(internal).toEqual([]);
    expect(ms).toBeLessThan(30_000);
  });
});
