/**
 * The state of one interpreter run (registers, frames, stacks, budget) and
 * the status codes the loop and the cold path use to stop.
 */
import { MAX_CALL_FRAMES, STACK_SIZE } from '../isa/opcodes.ts';
import type { DecodedProgram } from './decode.ts';
import type { Fault, FaultKind, HelperTable, MapResolver } from './helpers.ts';
import { Memory, OFFSET_BIAS, REGION_TAG_BASE, type Region } from './memory.ts';

export const DEFAULT_BUDGET = 100_000_000;
/**
 * BPF_MAX_LOOPS: may_goto falls through this many times per run, then jumps.
 * (The 6.18 x86-64 JIT instead bounds may_goto loops by time, ~250 ms, so
 * the kernel's iteration count varies; a count keeps runs deterministic.)
 */
export const MAY_GOTO_LIMIT = 8 * 1024 * 1024;
/** MAX_TAIL_CALL_CNT */
export const MAX_TAIL_CALLS = 33;

export interface RunOptions {
  /** memory holding ctx/packet/map regions; a fresh one when omitted */
  memory?: Memory;
  helpers?: HelperTable;
  maps?: MapResolver;
  /** initial r1..r5 (r1 is usually the ctx pointer) */
  args?: readonly bigint[];
  /** instruction budget; a run that exceeds it stops with a 'budget' fault */
  budget?: number;
  /** the skb packet that LD_ABS / LD_IND read (socket_filter, sched_cls) */
  ldAbsPacket?: Region;
}

export type RunResult =
  | { ok: true; r0: bigint; insnsExecuted: number }
  | { ok: false; fault: Fault; insnsExecuted: number };

export const DONE = 0;
export const FAULTED = 1;
export const SWITCH = 2;
/** A helper stopped the whole program (uBPF's unwind); r0 is set. */
export const HALT = 6;

/** Low word of r10 at frame entry: a pointer to offset STACK_SIZE of the stack. */
const STACK_TOP_LO = STACK_SIZE ^ OFFSET_BIAS;

/** Per-frame save area: return pc, r6..r9 (lo, hi), r10 (lo, hi). */
const FRAME_INTS = 11;

const NO_HELPERS: HelperTable = new Map();

/**
 * Mutable state of one run; `execute` works on it. Instances are pooled and
 * reset between runs: allocating the register file, frame area and stack
 * buffers per run cost more than a short XDP program itself.
 */
export class Vm {
  prog!: DecodedProgram;
  memory!: Memory;
  /** r0..r10 interleaved: regs[2r] = low word, regs[2r + 1] = high word */
  readonly regs = new Int32Array(22);
  /** the same 88 bytes as 11 doubles: clearing them is 11 stores, not a 22-step loop (~8 ns of a ~140 ns XDP run) */
  private readonly regDoubles = new Float64Array(this.regs.buffer);
  depth = 0;
  readonly frames = new Int32Array(FRAME_INTS * MAX_CALL_FRAMES);
  readonly frameProg: DecodedProgram[] = [];
  /** stack regions of this run, by frame depth (registered in `memory`) */
  readonly stacks: Region[] = [];
  /** the Memory the stacks are registered in */
  private stackMemory: Memory | null = null;
  /** stack buffers kept across runs, by frame depth */
  private readonly stackBytes: Uint8Array[] = [];
  /** the same buffers as 32-bit words (aligned r10-relative accesses in the loop) */
  readonly stackWords: Int32Array[] = [];
  private readonly stackViews: DataView[] = [];
  /** the same buffers as doubles: zeroing 64 of them beats Uint8Array.fill (~13 vs ~20 ns) */
  private readonly stackDoubles: Float64Array[] = [];
  /**
   * By frame depth: every byte of the stack buffer below this offset is
   * known to be zero (STACK_SIZE: all of it). Set from the entering
   * program's reach, so a run zeroes only what its predecessors could touch.
   */
  private readonly stackCleanBelow = new Int32Array(MAX_CALL_FRAMES);
  n = 0;
  pc = 0;
  budget = DEFAULT_BUDGET;
  mayGotoLeft = MAY_GOTO_LIMIT;
  tailCalls = 0;
  fault: Fault | null = null;
  helpers: HelperTable = NO_HELPERS;
  maps: MapResolver | undefined;
  ldAbsPacket: Region | undefined;
  ctxArg = 0n;

  reset(prog: DecodedProgram, opts: RunOptions): void {
    this.prog = prog;
    const memory = opts.memory ?? new Memory();
    if (memory !== this.stackMemory) {
      // Stack regions stay registered between runs on the same Memory (adding
      // and freeing them per run cost more than a short program); a new
      // Memory gets its own.
      this.dropStacks();
      this.stackMemory = memory;
    }
    this.memory = memory;
    this.budget = opts.budget ?? DEFAULT_BUDGET;
    this.helpers = opts.helpers ?? NO_HELPERS;
    this.maps = opts.maps;
    this.ldAbsPacket = opts.ldAbsPacket;
    const z = this.regDoubles;
    z[0] = 0;
    z[1] = 0;
    z[2] = 0;
    z[3] = 0;
    z[4] = 0;
    z[5] = 0;
    z[6] = 0;
    z[7] = 0;
    z[8] = 0;
    z[9] = 0;
    z[10] = 0;
    this.depth = 0;
    this.n = 0;
    this.pc = 0;
    this.mayGotoLeft = MAY_GOTO_LIMIT;
    this.tailCalls = 0;
    this.fault = null;
    this.ctxArg = 0n;
    this.frameProg[0] = prog;
  }

  setFault(pc: number, kind: FaultKind, message: string): number {
    this.fault = { pc, kind, message };
    return FAULTED;
  }

  /** Enter frame `depth` (fresh zeroed 512-byte stack) and point r10 at its top. */
  enterStack(depth: number): void {
    let stack = this.stacks[depth];
    if (stack === undefined || this.memory.regions[stack.id] !== stack) {
      stack = this.registerStack(depth);
    } else {
      const clean = this.stackCleanBelow[depth];
      if (clean < STACK_SIZE) zeroFrom(this.stackDoubles[depth], clean);
    }
    // Zeroing 512 bytes costs about as much as a short XDP program: only the
    // part the programs run since the last zeroing could reach is dirty.
    // (A tail call re-enters the stack with the new program; a program
    // decoded without a reach stores 0 here: zero it all next time.)
    this.stackCleanBelow[depth] = this.prog.stackLow;
    this.regs[20] = STACK_TOP_LO;
    this.regs[21] = (REGION_TAG_BASE + stack.id) | 0;
  }

  /** Add frame `depth`'s stack (all zero) to this run's Memory: the first run, or a new Memory. */
  private registerStack(depth: number): Region {
    let bytes = this.stackBytes[depth];
    if (bytes === undefined) {
      bytes = this.stackBytes[depth] = new Uint8Array(STACK_SIZE);
      this.stackWords[depth] = new Int32Array(bytes.buffer, 0, STACK_SIZE >> 2);
      this.stackViews[depth] = new DataView(bytes.buffer);
      this.stackDoubles[depth] = new Float64Array(bytes.buffer, 0, STACK_SIZE >> 3);
    } else {
      bytes.fill(0);
    }
    const name = depth === 0 ? 'stack' : `stack of frame ${depth}`;
    const stack = this.memory.addRegion({ kind: 'stack', name, bytes, view: this.stackViews[depth], framePointer: STACK_SIZE });
    this.stacks[depth] = stack;
    return stack;
  }

  /** Save callee-saved registers and the return pc into frame `depth + 1`, then enter it. */
  pushFrame(retPc: number): boolean {
    const next = this.depth + 1;
    if (next >= MAX_CALL_FRAMES) return false;
    const f = this.frames;
    const base = next * FRAME_INTS;
    f[base] = retPc;
    for (let r = 6; r <= 10; r++) {
      f[base + 1 + (r - 6) * 2] = this.regs[2 * r];
      f[base + 2 + (r - 6) * 2] = this.regs[2 * r + 1];
    }
    this.frameProg[next] = this.prog;
    this.depth = next;
    this.enterStack(next);
    return true;
  }

  /** Leave the current frame; returns the return pc (the program may change). */
  popFrame(): number {
    const f = this.frames;
    const base = this.depth * FRAME_INTS;
    for (let r = 6; r <= 10; r++) {
      this.regs[2 * r] = f[base + 1 + (r - 6) * 2];
      this.regs[2 * r + 1] = f[base + 2 + (r - 6) * 2];
    }
    this.prog = this.frameProg[this.depth];
    this.depth--;
    return f[base];
  }

  /** Unregister the stacks from the Memory they were added to. */
  private dropStacks(): void {
    const memory = this.stackMemory;
    if (memory !== null) {
      for (const s of this.stacks) if (s !== undefined && memory.regions[s.id] === s) memory.free(s.id);
    }
    this.stacks.length = 0;
    this.stackMemory = null;
  }

  /**
   * Drop references to run data. The stacks stay registered in the run's
   * Memory for the next run (see reset); their bytes are zeroed on entry.
   */
  release(): void {
    this.helpers = NO_HELPERS;
    this.maps = undefined;
    this.ldAbsPacket = undefined;
  }
}

export function budgetFault(vm: Vm, pc: number, n: number): number {
  vm.n = n;
  return vm.setFault(pc, 'budget', `instruction budget exhausted: ${n} instructions executed (limit ${vm.budget}); the program may loop forever`);
}

export function callDepthFault(vm: Vm, pc: number): number {
  return vm.setFault(pc, 'call-depth', `call stack too deep: a program may use at most ${MAX_CALL_FRAMES} frames`);
}

/**
 * Zero a stack buffer from byte `from` (rounded down to 32) to its end,
 * through its Float64Array view (+0.0 is all zero bits).
 */
function zeroFrom(d: Float64Array, from: number): void {
  for (let i = (from >> 3) & ~3; i < d.length; i += 4) {
    d[i] = 0;
    d[i + 1] = 0;
    d[i + 2] = 0;
    d[i + 3] = 0;
  }
}
