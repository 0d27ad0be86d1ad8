/**
 * The fused counter increment (`rX = *(u64 *)(rY + off); rX += imm;
 * *(u64 *)(rY + off) = rX`, decode.ts OP_COUNTER_ADD) must behave exactly
 * like the three instructions. Expected values are computed with BigInt
 * arithmetic from the test's own inputs.
 */
import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import { DebugStepper } from './debug-stepper.ts';
import { OP_COUNTER_ADD, decodeProgram } from './decode.ts';
import { Memory } from './memory.ts';
import { run, type RunResult } from './vm.ts';

const ldxdw = (dst: number, src: number, off: number): Insn => insn(0x79, dst, src, off);
const stxdw = (dst: number, src: number, off: number): Insn => insn(0x7b, dst, src, off);
const addK = (dst: number, imm: number): Insn => insn(0x07, dst, 0, 0, imm);
const exit = (): Insn => insn(0x95);
/** r0 = the value at r1 + off after adding imm to it */
const counter = (off: number, imm: number): Insn[] => [ldxdw(2, 1, off), addK(2, imm), stxdw(1, 2, off), insn(0xbf, 0, 2), exit()];

function r0Of(r: RunResult): bigint {
  if (!r.ok) throw new Error(`fault at ${r.fault.pc}: ${r.fault.message}`);
  return r.r0;
}

function withValue(initial: bigint, off: number): { memory: Memory; view: DataView; ptr: bigint } {
  const memory = new Memory();
  const bytes = new Uint8Array(32);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(off, initial, true);
  const region = memory.addRegion({ kind: 'mem', name: 'value', bytes });
  return { memory, view, ptr: memory.pointer(region.id) };
}

describe('fused counter increment', () => {
  it('is packed only for the exact pattern', () => {
    expect(decodeProgram(counter(8, 1)).words[0]! & 0xffff).toBe(OP_COUNTER_ADD);
    // store to another offset, to another base, of another register, load into its own base
    expect(decodeProgram([ldxdw(2, 1, 8), addK(2, 1), stxdw(1, 2, 16), exit()]).words[0]! & 0xffff).toBe(0x79);
    expect(decodeProgram([ldxdw(2, 1, 8), addK(2, 1), stxdw(3, 2, 8), exit()]).words[0]! & 0xffff).toBe(0x79);
    expect(decodeProgram([ldxdw(2, 1, 8), addK(3, 1), stxdw(1, 2, 8), exit()]).words[0]! & 0xffff).toBe(0x79);
    expect(decodeProgram([ldxdw(1, 1, 8), addK(1, 1), stxdw(1, 1, 8), exit()]).words[0]! & 0xffff).toBe(0x79);
  });

  for (const [initial, imm] of [
    [41n, 1],
    [0xffffffffn, 1], // carry into the high word
    [0xffffffffffffffffn, 1], // wraps to 0
    [5n, -7], // negative imm: wraps below zero
    [0x100000000n, -1], // borrow from the high word
  ] as const) {
    it(`${initial} + ${imm} matches BigInt arithmetic, in r0 and in memory`, () => {
      const { memory, view, ptr } = withValue(initial, 8);
      const expected = BigInt.asUintN(64, initial + BigInt(imm));
      expect(r0Of(run(decodeProgram(counter(8, imm)), { memory, args: [ptr] }))).toBe(expected);
      expect(view.getBigUint64(8, true)).toBe(expected);
    });
  }

  it('an unaligned counter gives the same answer', () => {
    const { memory, view, ptr } = withValue(0x1ffffffffn, 3);
    expect(r0Of(run(decodeProgram(counter(3, 2)), { memory, args: [ptr] }))).toBe(0x200000001n);
    expect(view.getBigUint64(3, true)).toBe(0x200000001n);
  });

  it('a read-only counter loads, then the store faults', () => {
    const memory = new Memory();
    const bytes = new Uint8Array(16);
    const region = memory.addRegion({ kind: 'rodata', name: 'ro', bytes, writable: false });
    const r = run(decodeProgram(counter(0, 1)), { memory, args: [memory.pointer(region.id)] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.fault.pc).toBe(2);
      expect(r.fault.kind).toBe('memory');
    }
    expect(Array.from(bytes)).toEqual(new Array(16).fill(0));
  });

  it('counts three instructions and keeps counting over repeated runs', () => {
    const { memory, view, ptr } = withValue(0n, 0);
    const prog = decodeProgram(counter(0, 3));
    for (let i = 1; i <= 5; i++) {
      const r = run(prog, { memory, args: [ptr] });
      expect(r.insnsExecuted).toBe(5);
      expect(r0Of(r)).toBe(BigInt(3 * i));
    }
    expect(view.getBigUint64(0, true)).toBe(15n);
  });

  it('a jump into the add still runs the add and the store on their own', () => {
    const { memory, view, ptr } = withValue(100n, 0);
    // r2 = 7; goto +1 (the add); [r2 = *(r1); r2 += 10; *(r1) = r2]; r0 = r2; exit
    const prog = [insn(0xb7, 2, 0, 0, 7), insn(0x05, 0, 0, 1, 0), ldxdw(2, 1, 0), addK(2, 10), stxdw(1, 2, 0), insn(0xbf, 0, 2), exit()];
    expect(r0Of(run(decodeProgram(prog), { memory, args: [ptr] }))).toBe(17n);
    expect(view.getBigUint64(0, true)).toBe(17n);
  });

  it('faults like the plain load on a bad pointer', () => {
    const r = run(decodeProgram([insn(0xb7, 1, 0, 0, 0), ...counter(0, 1)]), { memory: new Memory() });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fault.pc).toBe(1);
  });

  it('the debug stepper still steps its three instructions one by one', () => {
    const { memory, view, ptr } = withValue(9n, 0);
    const stepper = new DebugStepper(decodeProgram(counter(0, 1)), { memory, args: [ptr] });
    expect(stepper.step().kind).toBe('stepped');
    expect(stepper.pc).toBe(1);
    expect(view.getBigUint64(0, true)).toBe(9n);
    expect(stepper.step().kind).toBe('stepped');
    expect(stepper.pc).toBe(2);
    expect(view.getBigUint64(0, true)).toBe(9n);
    expect(stepper.step().kind).toBe('stepped');
    expect(stepper.pc).toBe(3);
    expect(view.getBigUint64(0, true)).toBe(10n);
  });
});

describe('runs of programs that never name r10', () => {
  it('leave r10 to programs that do: each still sees its own zeroed stack', () => {
    const memory = new Memory();
    const noStack = decodeProgram([insn(0xb7, 0, 0, 0, 4), exit()]);
    const writes = decodeProgram([insn(0x7a, 10, 0, -8, 0x55), insn(0x79, 0, 10, -8), exit()]);
    const reads = decodeProgram([insn(0x79, 0, 10, -8), exit()]);
    for (let i = 0; i < 3; i++) {
      expect(r0Of(run(noStack, { memory }))).toBe(4n);
      expect(r0Of(run(writes, { memory }))).toBe(0x55n);
      expect(r0Of(run(noStack, { memory }))).toBe(4n);
      expect(r0Of(run(reads, { memory }))).toBe(0n);
    }
  });
});
