/**
 * The interpreter: runs a pre-decoded program (decode.ts) over the region
 * memory model (memory.ts). `run` is the entry point; the loop is in
 * loop.ts (hot instructions) and cold-ops.ts (the rest), the per-run state in
 * vm-state.ts.
 *
 * Registers are an Int32Array of low/high word pairs so 64-bit values never
 * become BigInt or doubles on the hot path (the target is <= 3 ns per
 * instruction on a 64-bit ALU loop under Node 20). BigInt appears only at the
 * edges: arguments in, r0 out, helpers.
 */
import { pairToU64, u64Hi, u64Lo } from '../num/int64.ts';
import type { DecodedProgram } from './decode.ts';
import { execute } from './loop.ts';
import { FAULTED, SWITCH, Vm, type RunOptions, type RunResult } from './vm-state.ts';

export { DEFAULT_BUDGET, MAY_GOTO_LIMIT, MAX_TAIL_CALLS, type RunOptions, type RunResult } from './vm-state.ts';

/** BigInts 0..255, made once. */
const SMALL_R0: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));
const lastArg: (bigint | undefined)[] = [undefined, undefined, undefined, undefined, undefined];
const lastLo = new Int32Array(5);
const lastHi = new Int32Array(5);

/** Idle VMs; runs can nest (a helper may start a run), so this is a pool, not a singleton. */
const vmPool: Vm[] = [];
/** The idle VM of an unnested run, kept outside the pool (cheaper than pop and push). */
let idleVm: Vm | null = null;

/**
 * Run a program. Never throws: every failure, including an internal bug, is
 * returned as a fault with the instruction index.
 */
export function run(prog: DecodedProgram, opts: RunOptions = {}): RunResult {
  const vm = idleVm ?? vmPool.pop() ?? new Vm();
  if (vm === idleVm) idleVm = null;
  try {
    vm.reset(prog, opts);
    const args = opts.args;
    if (args !== undefined) {
      for (let i = 0; i < 5 && i < args.length; i++) {
        const a = args[i];
        // Runs repeat with the same ctx pointer: BigInt -> int32 pairs is worth caching.
        if (a !== lastArg[i]) {
          lastArg[i] = a;
          lastLo[i] = u64Lo(a);
          lastHi[i] = u64Hi(a);
        }
        vm.regs[2 * (i + 1)] = lastLo[i];
        vm.regs[2 * (i + 1) + 1] = lastHi[i];
      }
      vm.ctxArg = args[0] ?? 0n;
    }
    // A program that never names r10 cannot reach its stack or observe r10
    // (calls, tail calls and callbacks enter their own frames in the cold
    // path): skip setting it up, ~8 ns of a ~150 ns XDP run.
    if (prog.usesFramePointer !== false) vm.enterStack(0);
    let status = SWITCH;
    while (status === SWITCH) status = execute(vm, vm.pc, 0);
    if (status === FAULTED && vm.fault) return { ok: false, fault: vm.fault, insnsExecuted: vm.n };
    const lo = vm.regs[0];
    const hi = vm.regs[1];
    // Most programs return a small action code: skip the BigInt conversion.
    const r0 = hi === 0 && lo >= 0 && lo < SMALL_R0.length ? SMALL_R0[lo] : pairToU64(lo, hi);
    return { ok: true, r0, insnsExecuted: vm.n };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, fault: { pc: vm.pc, kind: 'internal', message: `internal interpreter error: ${message}` }, insnsExecuted: vm.n };
  } finally {
    vm.release();
    if (idleVm === null) idleVm = vm;
    else if (vmPool.length < 4) vmPool.push(vm);
  }
}

