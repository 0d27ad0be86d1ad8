/**
 * A bounded execution trace for the debugger: the program is single-stepped
 * (debug-stepper.ts) and, per executed instruction, the pc, the frame depth
 * and the 11 registers before it are kept, plus every memory change as
 * (region, offset, bytes before, bytes after). That is enough to show any
 * step, forwards or backwards, without running again; it is plain data, so
 * it crosses the worker boundary as is.
 *
 * Memory is compared only after instructions that can write it (stores,
 * atomics, calls: helpers write maps and packets, a call zeroes a new
 * frame's stack), against a shadow copy of every region.
 */
import { Cls, JmpOp } from '../isa/opcodes.ts';
import type { DecodedProgram } from './decode.ts';
import { DebugStepper } from './debug-stepper.ts';
import type { Memory, RegionKind } from './memory.ts';
import type { RunOptions } from './vm-state.ts';

export const DEFAULT_TRACE_STEPS = 100_000;
/** Int32 words of register state per position: r0..r10 as (lo, hi). */
export const REG_WORDS = 22;

export interface TraceRegion {
  id: number;
  kind: RegionKind;
  name: string;
  /** stack regions: offset of the frame pointer (so fp-8 can be shown) */
  framePointer: number | null;
  /** first valid offset (a packet's data start) and one past the last, when first seen */
  start: number;
  end: number;
  /** the bytes at `firstPosition` */
  initial: Uint8Array;
  /** the position from which the region exists */
  firstPosition: number;
}

/** Bytes [offset, offset + before.length) became `after` while executing `position`. */
export interface TraceWrite {
  position: number;
  region: number;
  offset: number;
  before: Uint8Array;
  after: Uint8Array;
}

export type TraceEnd =
  | { kind: 'exit'; r0: bigint }
  | { kind: 'fault'; pc: number; message: string }
  | { kind: 'truncated'; message: string };

/**
 * Position i (0 <= i < pcs.length) is the moment before instruction pcs[i]
 * runs; registers of position i are regs[22i .. 22i + 21]. After an exit the
 * last position has pc -1 and holds the registers after the exit (r0). After
 * a fault the last position is the faulting instruction.
 */
export interface ExecutionTrace {
  pcs: Int32Array;
  /**
   * Which program pcs[i] belongs to: 0 is the traced program, 1, 2, ... the
   * programs tail calls entered, in order of first entry (pc indexes differ per program).
   */
  programs: Uint8Array;
  depths: Uint8Array;
  regs: Int32Array;
  regions: TraceRegion[];
  /** in order of position */
  writes: TraceWrite[];
  end: TraceEnd;
}

export interface TraceOptions extends RunOptions {
  /** instructions to record before stopping with 'truncated' (default 100k) */
  maxSteps?: number;
}

/** Run `prog` one instruction at a time and record what happens. Never throws. */
export function traceRun(prog: DecodedProgram, opts: TraceOptions = {}): ExecutionTrace {
  const maxSteps = opts.maxSteps ?? DEFAULT_TRACE_STEPS;
  const stepper = new DebugStepper(prog, opts);
  const vm = stepper.vm;
  const rec = new Recorder(vm.memory);
  // Programs are told apart by their instruction list (the stepper works on copies of the decoded program).
  const seen = new Map<readonly unknown[], number>([[prog.insns, 0]]);
  const programIndex = (insns: readonly unknown[]): number => {
    let i = seen.get(insns);
    if (i === undefined) seen.set(insns, (i = Math.min(seen.size, 255)));
    return i;
  };
  try {
    for (;;) {
      const pc = vm.pc;
      if (rec.count >= maxSteps) {
        rec.push(pc, vm.depth, vm.regs, programIndex(vm.prog.insns));
        return rec.finish({ kind: 'truncated', message: `trace truncated after ${maxSteps} instructions: the program did not finish within the debugger's limit` });
      }
      const position = rec.push(pc, vm.depth, vm.regs, programIndex(vm.prog.insns));
      const insn = vm.prog.insns[pc];
      const result = stepper.step();
      if (insn !== undefined && mayWriteMemory(insn.code)) rec.diffMemory(position);
      if (result.kind === 'fault') return rec.finish({ kind: 'fault', pc: result.fault.pc, message: result.fault.message });
      if (result.kind === 'exited') {
        rec.push(-1, vm.depth, vm.regs, programIndex(vm.prog.insns));
        return rec.finish({ kind: 'exit', r0: result.r0 });
      }
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return rec.finish({ kind: 'fault', pc: vm.pc, message: `internal debugger error: ${message}` });
  } finally {
    stepper.release();
  }
}

function mayWriteMemory(code: number): boolean {
  const cls = code & 0x07;
  if (cls === Cls.ST || cls === Cls.STX) return true;
  return (cls === Cls.JMP || cls === Cls.JMP32) && (code & 0xf0) === JmpOp.CALL;
}

class Recorder {
  count = 0;
  private pcs = new Int32Array(1024);
  private programs = new Uint8Array(1024);
  private depths = new Uint8Array(1024);
  private regs = new Int32Array(1024 * REG_WORDS);
  private readonly regions: TraceRegion[] = [];
  private readonly writes: TraceWrite[] = [];
  /** region id -> our copy of its bytes (and the Region's bytes object, to see replacements) */
  private readonly shadow = new Map<number, Uint8Array>();

  constructor(private readonly memory: Memory) {
    this.addNewRegions(0);
  }

  push(pc: number, depth: number, regs: Int32Array, program: number): number {
    const i = this.count;
    if (i === this.pcs.length) this.grow();
    this.pcs[i] = pc;
    this.programs[i] = program;
    this.depths[i] = depth;
    this.regs.set(regs, i * REG_WORDS);
    this.count = i + 1;
    return i;
  }

  /** Record what the instruction at `position` changed in memory. */
  diffMemory(position: number): void {
    for (const [id, copy] of this.shadow) {
      const region = this.memory.regions[id];
      if (region === undefined) continue;
      const now = region.bytes;
      if (now.length !== copy.length) {
        this.writes.push({ position, region: id, offset: 0, before: copy, after: now.slice() });
        this.shadow.set(id, now.slice());
        continue;
      }
      let first = 0;
      while (first < now.length && now[first] === copy[first]) first++;
      if (first === now.length) continue;
      let last = now.length - 1;
      while (now[last] === copy[last]) last--;
      this.writes.push({ position, region: id, offset: first, before: copy.slice(first, last + 1), after: now.slice(first, last + 1) });
      copy.set(now.subarray(first, last + 1), first);
    }
    this.addNewRegions(position + 1);
  }

  finish(end: TraceEnd): ExecutionTrace {
    const n = this.count;
    return {
      pcs: this.pcs.slice(0, n),
      programs: this.programs.slice(0, n),
      depths: this.depths.slice(0, n),
      regs: this.regs.slice(0, n * REG_WORDS),
      regions: this.regions,
      writes: this.writes,
      end,
    };
  }

  private addNewRegions(position: number): void {
    const all = this.memory.regions;
    for (let id = 0; id < all.length; id++) {
      const r = all[id];
      if (r === undefined || this.shadow.has(id)) continue;
      const initial = r.bytes.slice();
      this.shadow.set(id, r.bytes.slice());
      this.regions.push({ id, kind: r.kind, name: r.name, framePointer: r.framePointer ?? null, start: r.start, end: r.end, initial, firstPosition: position });
    }
  }

  private grow(): void {
    const size = this.pcs.length * 2;
    const pcs = new Int32Array(size);
    pcs.set(this.pcs);
    this.pcs = pcs;
    const programs = new Uint8Array(size);
    programs.set(this.programs);
    this.programs = programs;
    const depths = new Uint8Array(size);
    depths.set(this.depths);
    this.depths = depths;
    const regs = new Int32Array(size * REG_WORDS);
    regs.set(this.regs);
    this.regs = regs;
  }
}
