import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexToBytes, insn, insnsFromHex, type Insn } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { conformanceHelpers, FUNC_POINTER_TAG, type HelperFn } from './helpers.ts';
import { Memory } from './memory.ts';
import { traceRun, type ExecutionTrace } from './trace.ts';
import { nextBreakpoint, regionBytesAt, registerValue, stackRegion, writesAt } from './trace-view.ts';
import { run } from './vm.ts';

// Raw instructions (opcode bytes from include/uapi/linux/bpf.h).
const mov = (dst: number, imm: number): Insn => insn(0xb7, dst, 0, 0, imm);
const movReg = (dst: number, src: number): Insn => insn(0xbf, dst, src);
const addImm = (dst: number, imm: number): Insn => insn(0x07, dst, 0, 0, imm);
const addReg = (dst: number, src: number): Insn => insn(0x0f, dst, src);
const stdw = (dst: number, off: number, imm: number): Insn => insn(0x7a, dst, 0, off, imm);
const ldxdw = (dst: number, src: number, off: number): Insn => insn(0x79, dst, src, off);
const jneImm = (dst: number, imm: number, off: number): Insn => insn(0x55, dst, 0, off, imm);
const ja = (off: number): Insn => insn(0x05, 0, 0, off);
const call = (id: number): Insn => insn(0x85, 0, 0, 0, id);
const callLocal = (rel: number): Insn => insn(0x85, 0, 1, 0, rel);
const exit = (): Insn => insn(0x95);

const trace = (insns: Insn[], opts = {}): ExecutionTrace => traceRun(decodeProgram(insns), opts);
const dec = (t: ExecutionTrace, pos: number, r: number): string => registerValue(t, pos, r).dec;

describe('traceRun positions and registers', () => {
  // r1 counts down 3, 2, 1 while r0 adds it up: 0 + 3 + 2 + 1 = 6
  const loop = [mov(0, 0), mov(1, 3), addReg(0, 1), addImm(1, -1), jneImm(1, 0, -3), exit()];

  it('records one position per executed instruction, in execution order', () => {
    const t = trace(loop);
    expect(Array.from(t.pcs)).toEqual([0, 1, 2, 3, 4, 2, 3, 4, 2, 3, 4, 5, -1]);
    expect(t.end).toEqual({ kind: 'exit', r0: 6n });
  });

  it('shows the registers before each instruction', () => {
    const t = trace(loop);
    expect(dec(t, 2, 1)).toBe('3'); // before the first add: r1 = 3, r0 = 0
    expect(dec(t, 2, 0)).toBe('0');
    expect(dec(t, 5, 0)).toBe('3'); // second pass: r0 = 3, r1 = 2
    expect(dec(t, 5, 1)).toBe('2');
    expect(dec(t, 12, 0)).toBe('6'); // after exit
  });

  it('gives negative numbers in signed decimal and 64-bit hex', () => {
    const t = trace([mov(0, -2), exit()]);
    expect(registerValue(t, 1, 0)).toEqual({ hex: '0xfffffffffffffffe', dec: '-2', pointer: null });
  });

  it('stops on a jump to itself like any other step (truncated, one position per pass)', () => {
    const t = trace([mov(0, 1), ja(-1)], { maxSteps: 5 });
    expect(Array.from(t.pcs)).toEqual([0, 1, 1, 1, 1, 1]);
    expect(t.end.kind).toBe('truncated');
    if (t.end.kind === 'truncated') expect(t.end.message).toContain('trace truncated after 5 instructions');
  });

  it('follows bpf-to-bpf calls and returns, with the frame depth', () => {
    // main: r1 = 7; call f; r0 += 1; exit     f: r0 = r1; r0 += r1; exit  -> 15
    const t = trace([mov(1, 7), callLocal(2), addImm(0, 1), exit(), movReg(0, 1), addReg(0, 1), exit()]);
    expect(Array.from(t.pcs)).toEqual([0, 1, 4, 5, 6, 2, 3, -1]);
    expect(Array.from(t.depths)).toEqual([0, 0, 1, 1, 1, 0, 0, 0]);
    expect(t.end).toEqual({ kind: 'exit', r0: 15n });
  });
});

describe('traceRun memory', () => {
  it('reconstructs the stack at every position and names stack pointers by fp offset', () => {
    // *(u64 *)(r10 - 8) = 0x11; r2 = r10; r2 += -8; *(u64 *)(r10 - 8) = 0x22; r0 = *(u64 *)(r10 - 8); exit
    const t = trace([stdw(10, -8, 0x11), movReg(2, 10), addImm(2, -8), stdw(10, -8, 0x22), ldxdw(0, 10, -8), exit()]);
    const stack = stackRegion(t, 0)!;
    expect(stack).toBeDefined();
    const slot = (pos: number) => regionBytesAt(t, stack.id, pos)![504];
    expect(slot(0)).toBe(0);
    expect(slot(1)).toBe(0x11);
    expect(slot(3)).toBe(0x11);
    expect(slot(4)).toBe(0x22);
    expect(registerValue(t, 3, 2).pointer).toBe('stack+504 (fp-8)');
    expect(registerValue(t, 1, 10).pointer).toBe('stack+512 (fp+0)');
    expect(writesAt(t, 3)).toEqual([{ position: 3, region: stack.id, offset: 504, before: Uint8Array.of(0x11), after: Uint8Array.of(0x22) }]);
    expect(t.end).toEqual({ kind: 'exit', r0: 0x22n });
  });

  it('records what helpers write, and keeps the stepped helper call as one step', () => {
    // helper 1 writes 0xaa to the byte r1 points at
    const poke: HelperFn = (ctx) => {
      const err = ctx.memory.write(ctx.arg(1), Uint8Array.of(0xaa));
      return err === null ? 0n : { fault: err };
    };
    const helpers = new Map([[1, poke]]);
    const insns = [movReg(1, 10), addImm(1, -1), call(1), ldxdw(0, 10, -8), exit()];
    const t = trace(insns, { helpers });
    const stack = stackRegion(t, 0)!;
    expect(Array.from(t.pcs)).toEqual([0, 1, 2, 3, 4, -1]);
    expect(regionBytesAt(t, stack.id, 2)![511]).toBe(0);
    expect(regionBytesAt(t, stack.id, 3)![511]).toBe(0xaa);
    const plain = run(decodeProgram(insns), { helpers });
    expect(plain.ok && t.end.kind === 'exit' && plain.r0 === t.end.r0).toBe(true);
  });

  it('runs a helper callback inside the call step (bpf_loop style)', () => {
    // helper 2 calls the function in r1 three times and sums what it returns
    const loopHelper: HelperFn = (ctx) => {
      let total = 0n;
      for (let i = 0; i < 3; i++) {
        const r = ctx.callFunction(ctx.arg(1), [BigInt(i)]);
        if (!r.ok) return { fault: r.fault.message };
        total += r.r0;
      }
      return total;
    };
    // r1 = function pointer to insn 4 (the pointer's form: FUNC_POINTER_TAG in the high word), call, exit;  f: r0 = r1 + 10
    const insns = [insn(0x18, 1, 0, 0, 4), insn(0, 0, 0, 0, FUNC_POINTER_TAG), call(2), exit(), movReg(0, 1), addImm(0, 10), exit()];
    const t = trace(insns, { helpers: new Map([[2, loopHelper]]) });
    expect(Array.from(t.pcs)).toEqual([0, 2, 3, -1]);
    expect(t.end).toEqual({ kind: 'exit', r0: 33n }); // (0+10) + (1+10) + (2+10)
  });
});

describe('traceRun tail calls', () => {
  it('follows a tail call into the other program and says which program each position is in', () => {
    // second: r0 = r1; r0 += 100; exit   main: r1 = 9; call 12 (tail call to second); r0 = 1; exit
    const second = decodeProgram([movReg(0, 1), addImm(0, 100), exit()]);
    const tail: HelperFn = () => ({ tailCall: second });
    const t = trace([mov(1, 9), call(12), mov(0, 1), exit()], { helpers: new Map([[12, tail]]) });
    expect(Array.from(t.pcs)).toEqual([0, 1, 0, 1, 2, -1]);
    expect(Array.from(t.programs)).toEqual([0, 0, 1, 1, 1, 1]);
    expect(t.end).toEqual({ kind: 'exit', r0: 109n });
    // A breakpoint on insn 1 of the traced program does not stop inside the other one.
    expect(nextBreakpoint(t, 2, new Set([1]))).toBe(5);
  });
});

describe('traceRun faults', () => {
  it('ends at the faulting instruction with the interpreter message', () => {
    const t = trace([mov(0, 0), stdw(10, -520, 1), exit()]);
    expect(Array.from(t.pcs)).toEqual([0, 1]);
    const plain = run(decodeProgram([mov(0, 0), stdw(10, -520, 1), exit()]));
    expect(plain.ok).toBe(false);
    if (!plain.ok) expect(t.end).toEqual({ kind: 'fault', pc: 1, message: plain.fault.message });
  });

  it('reports running past the end', () => {
    const t = trace([mov(0, 0)]);
    expect(t.end.kind).toBe('fault');
    if (t.end.kind === 'fault') expect(t.end.message).toContain('ran past the last instruction');
  });
});

describe('nextBreakpoint', () => {
  it('finds the next visit of a breakpoint pc, else the last position', () => {
    const t = trace([mov(0, 0), mov(1, 3), addReg(0, 1), addImm(1, -1), jneImm(1, 0, -3), exit()]);
    expect(nextBreakpoint(t, 0, new Set([3]))).toBe(3);
    expect(nextBreakpoint(t, 4, new Set([3]))).toBe(6);
    expect(nextBreakpoint(t, 10, new Set([3]))).toBe(12);
  });
});

describe('traceRun against run() on the bpf_conformance suite', () => {
  interface SuiteLine {
    file: string;
    insns: string;
    mem: string;
  }
  const lines = readFileSync(new URL('../../../test-data/conformance/tests.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as SuiteLine);

  it('ends every program with the same r0 (after as many instructions) or fault as the fast interpreter', () => {
    const mismatches: string[] = [];
    for (const line of lines) {
      const insns = insnsFromHex(line.insns);
      const mem = hexToBytes(line.mem);
      if (!insns.ok || !mem.ok) throw new Error('bad suite line');
      const outcome = (kind: 'run' | 'trace') => {
        const memory = new Memory();
        const region = memory.addRegion({ kind: 'mem', name: 'mem', bytes: mem.bytes.slice() });
        const args = [mem.bytes.length === 0 ? 0n : memory.pointer(region.id, 0), BigInt(mem.bytes.length)];
        const opts = { memory, args, helpers: conformanceHelpers() };
        const prog = decodeProgram(insns.insns);
        // Exits also compare the instruction count: one trace position per executed instruction.
        if (kind === 'run') {
          const r = run(prog, opts);
          return r.ok ? `r0=${r.r0} after ${r.insnsExecuted}` : `fault@${r.fault.pc}: ${r.fault.message}`;
        }
        const t = traceRun(prog, { ...opts, maxSteps: 1_000_000 });
        if (t.end.kind === 'exit') return `r0=${t.end.r0} after ${t.pcs.length - 1}`;
        return t.end.kind === 'fault' ? `fault@${t.end.pc}: ${t.end.message}` : t.end.message;
      };
      const a = outcome('run');
      const b = outcome('trace');
      if (a !== b) mismatches.push(`${line.file}: run ${a} / trace ${b}`);
    }
    expect(mismatches).toEqual([]);
  });
});
