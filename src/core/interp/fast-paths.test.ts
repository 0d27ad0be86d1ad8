/**
 * The hot loop's shortcuts must be invisible: the per-call region cache, the
 * aligned word views, loads whose destination is their base register, the
 * stack-key path of the inlined array lookup and the skipped stack zeroing.
 * Expected values come from DataView reads of the test's own bytes or are
 * worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { Memory, wordsOf } from './memory.ts';
import { run, type RunResult } from './vm.ts';
import { bindRuntime, RuntimeSession } from '../runtime/helpers/index.ts';
import { createMap } from '../runtime/maps/index.ts';

const ldx = (size: 1 | 2 | 4 | 8, dst: number, src: number, off: number): Insn => insn({ 1: 0x71, 2: 0x69, 4: 0x61, 8: 0x79 }[size], dst, src, off);
const stx = (size: 1 | 2 | 4 | 8, dst: number, src: number, off: number): Insn => insn({ 1: 0x73, 2: 0x6b, 4: 0x63, 8: 0x7b }[size], dst, src, off);
const mov = (dst: number, imm: number): Insn => insn(0xb7, dst, 0, 0, imm);
const movReg = (dst: number, src: number): Insn => insn(0xbf, dst, src);
const xorReg = (dst: number, src: number): Insn => insn(0xaf, dst, src);
const exit = (): Insn => insn(0x95);

/** 0x10, 0x11, ... so every byte position is recognisable. */
function pattern(n: number, first = 0x10): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (first + i) & 0xff);
}

function r0Of(r: RunResult): bigint {
  if (!r.ok) throw new Error(`fault at ${r.fault.pc}: ${r.fault.message}`);
  return r.r0;
}

function messageOf(r: RunResult): string {
  if (r.ok) throw new Error(`expected a fault, got r0 = ${r.r0}`);
  return r.fault.message;
}

describe('region cache and word views', () => {
  it('alternating accesses to two regions each land in their own region', () => {
    const memory = new Memory();
    const a = memory.addRegion({ kind: 'mem', name: 'a', bytes: pattern(16, 0x10) });
    const b = memory.addRegion({ kind: 'mem', name: 'b', bytes: pattern(16, 0x80) });
    const aBefore = new DataView(a.bytes.slice().buffer);
    const bBefore = new DataView(b.bytes.slice().buffer);
    // r3 = a[0..8]; b[8..16] = r3; r4 = b[0..8]; a[8..16] = r4; r0 = r3 ^ r4
    const prog = [ldx(8, 3, 1, 0), stx(8, 2, 3, 8), ldx(8, 4, 2, 0), stx(8, 1, 4, 8), movReg(0, 3), xorReg(0, 4), exit()];
    const r0 = r0Of(run(decodeProgram(prog), { memory, args: [memory.pointer(a.id), memory.pointer(b.id)] }));
    const a0 = aBefore.getBigUint64(0, true);
    const b0 = bBefore.getBigUint64(0, true);
    expect(r0).toBe(a0 ^ b0);
    expect(new DataView(b.bytes.buffer).getBigUint64(8, true)).toBe(a0);
    expect(new DataView(a.bytes.buffer).getBigUint64(8, true)).toBe(b0);
  });

  it('an access past the end faults even right after an access that filled the cache', () => {
    const memory = new Memory();
    const m = memory.addRegion({ kind: 'mem', name: 'mem', bytes: new Uint8Array(16) });
    const r = run(decodeProgram([ldx(8, 0, 1, 8), ldx(8, 0, 1, 12), exit()]), { memory, args: [memory.pointer(m.id)] });
    expect(messageOf(r)).toBe('invalid read of 8 bytes at mem+12: outside the 16-byte mem');
  });

  it('a read-only region is readable but a store right after a load still faults', () => {
    const memory = new Memory();
    const ro = memory.addRegion({ kind: 'rodata', name: 'ro', bytes: pattern(8), writable: false });
    const r = run(decodeProgram([ldx(8, 2, 1, 0), stx(8, 1, 2, 0), exit()]), { memory, args: [memory.pointer(ro.id)] });
    expect(messageOf(r)).toBe('invalid write of 8 bytes at ro+0: the ro is read-only');
    expect(Array.from(ro.bytes)).toEqual(Array.from(pattern(8)));
  });

  it('unaligned 8- and 4-byte loads and stores are little-endian byte by byte', () => {
    const memory = new Memory();
    const m = memory.addRegion({ kind: 'mem', name: 'mem', bytes: pattern(24) });
    const view = new DataView(m.bytes.slice().buffer);
    // r2 = *(u64 *)(r1 + 3); r3 = *(u32 *)(r1 + 1); *(u64 *)(r1 + 13) = r2; *(u32 *)(r1 + 6) = r3
    const prog = [ldx(8, 2, 1, 3), ldx(4, 3, 1, 1), stx(8, 1, 2, 13), stx(4, 1, 3, 6), movReg(0, 2), exit()];
    const r0 = r0Of(run(decodeProgram(prog), { memory, args: [memory.pointer(m.id)] }));
    expect(r0).toBe(view.getBigUint64(3, true));
    const after = new DataView(m.bytes.buffer);
    expect(after.getBigUint64(13, true)).toBe(view.getBigUint64(3, true));
    expect(after.getUint32(6, true)).toBe(view.getUint32(1, true));
  });

  it('a region whose bytes start off a 4-byte boundary has no word view and still reads right', () => {
    const buffer = pattern(20).buffer;
    const bytes = new Uint8Array(buffer, 1, 16);
    expect(wordsOf(bytes).length).toBe(0);
    expect(wordsOf(new Uint8Array(buffer, 4, 16)).length).toBe(4);
    const memory = new Memory();
    const m = memory.addRegion({ kind: 'mem', name: 'mem', bytes });
    const r0 = r0Of(run(decodeProgram([ldx(8, 0, 1, 4), exit()]), { memory, args: [memory.pointer(m.id)] }));
    // bytes[4..12] are buffer bytes 5..12: 0x15 .. 0x1c
    expect(r0).toBe(0x1c1b1a1918171615n);
  });

  it.each([1, 2, 4, 8] as const)('a %i-byte load into its own base register', (size) => {
    const memory = new Memory();
    const m = memory.addRegion({ kind: 'mem', name: 'mem', bytes: pattern(16) });
    const expected = [0n, 0x11n, 0x1211n, 0, 0x14131211n, 0, 0, 0, 0x1817161514131211n][size];
    // the first load fills the cache; the second goes through it; both overwrite their base
    const prog = [movReg(2, 1), ldx(size, 1, 1, 1), ldx(size, 2, 2, 1), movReg(0, 1), xorReg(0, 2), xorReg(0, 1), exit()];
    expect(r0Of(run(decodeProgram(prog), { memory, args: [memory.pointer(m.id)] }))).toBe(expected);
  });
});

describe('stack zeroing', () => {
  const writeStack = [insn(0x7a, 10, 0, -8, 0x55), mov(0, 0), exit()];
  const noStack = [mov(0, 1), exit()];
  const readStack = [ldx(8, 0, 10, -8), exit()];

  it('knows which programs name r10', () => {
    expect(decodeProgram(writeStack).usesFramePointer).toBe(true);
    expect(decodeProgram(readStack).usesFramePointer).toBe(true);
    expect(decodeProgram(noStack).usesFramePointer).toBe(false);
  });

  it('every run starts on a zeroed stack, whatever ran before', () => {
    const memory = new Memory();
    const [w, n, r] = [writeStack, noStack, readStack].map((p) => decodeProgram(p));
    expect(r0Of(run(w, { memory }))).toBe(0n);
    expect(r0Of(run(r, { memory }))).toBe(0n);
    expect(r0Of(run(w, { memory }))).toBe(0n);
    expect(r0Of(run(n, { memory }))).toBe(1n);
    expect(r0Of(run(n, { memory }))).toBe(1n);
    expect(r0Of(run(r, { memory }))).toBe(0n);
  });
});

describe('inlined array lookup', () => {
  /**
   * *(u32 *)(r10 + keyOff) = key; r1 = map[0]; r2 = r10 + keyOff;
   * call bpf_map_lookup_elem; if r0 == 0 return 0xff; return *(u64 *)r0
   */
  function lookup(keyOff: number, key: number): Insn[] {
    return [
      insn(0x62, 10, 0, keyOff, key),
      insn(0x18, 1, 1, 0, 0),
      insn(0x00, 0, 0, 0, 0),
      movReg(2, 10),
      insn(0x07, 2, 0, 0, keyOff),
      insn(0x85, 0, 0, 0, 1),
      insn(0x55, 0, 0, 2, 0),
      mov(0, 0xff),
      exit(),
      ldx(8, 0, 0, 0),
      exit(),
    ];
  }

  function session(): { memory: Memory; binding: ReturnType<typeof bindRuntime> } {
    const init = Array.from({ length: 4 }, (_, i) => ({ key: Uint8Array.of(i, 0, 0, 0), value: Uint8Array.of(0x40 + i, 0, 0, 0, 0, 0, 0, 1) }));
    const created = createMap({ name: 'arr', type: 'array', keySize: 4, valueSize: 8, maxEntries: 4, flags: 0, init }, { cpus: 1 });
    if (!created.ok) throw new Error(created.message);
    const memory = new Memory();
    return { memory, binding: bindRuntime(new RuntimeSession([created.map]), memory) };
  }

  it.each([
    [-4, 2, 0x0100000000000042n],
    [-7, 3, 0x0100000000000043n], // unaligned key: the byte path
    [-8, 4, 0xffn], // out of range: NULL
    [-8, 0, 0x0100000000000040n],
  ])('key at fp%i = %i', (keyOff, key, expected) => {
    const { memory, binding } = session();
    const r = run(decodeProgram(lookup(keyOff, key)), { memory, helpers: binding.helpers, maps: binding.maps });
    expect(r0Of(r)).toBe(expected);
  });
});

describe('long runs in slices', () => {
  // r0 = 0; r1 = N; r2 = 0x12345; loop: r0 += r1; r0 ^= r2; r1 += -1; if r1 != 0 goto loop; exit
  const aluLoop = (iterations: number): Insn[] => [mov(0, 0), mov(1, iterations), mov(2, 0x12345), insn(0x0f, 0, 1), xorReg(0, 2), insn(0x07, 1, 0, 0, -1), insn(0x55, 1, 0, -4, 0), exit()];

  it('a loop far longer than one slice computes the same value and count', () => {
    const iterations = 100_000;
    let expected = 0n;
    for (let r1 = BigInt(iterations); r1 > 0n; r1--) expected = BigInt.asUintN(64, (expected + r1) ^ 0x12345n);
    const r = run(decodeProgram(aluLoop(iterations)));
    expect(r).toEqual({ ok: true, r0: expected, insnsExecuted: 3 + 4 * iterations + 1 });
  });

  it('the budget still stops an endless loop at the budget, not at a slice end', () => {
    const r = run(decodeProgram([insn(0x05, 0, 0, -1)]), { budget: 100_000 });
    if (r.ok) throw new Error('expected the budget fault');
    expect(r.fault.kind).toBe('budget');
    expect(r.insnsExecuted).toBe(100_000);
  });
});
