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
import { insn } from '../isa/insn.ts';
import { decodeProgram, type DecodedProgram } from './decode.ts';
import { Memory } from './memory.ts';
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

/**
 * Type feedback for the loop's commonest paths before V8 first optimises it.
 * When the first run of a process is a long loop (the ALU bench, a bounded
 * loop in the app), V8 optimised hotLoop before any `exit` or packet load had
 * run; the first one then deoptimised it, and now and then the
 * re-optimisation raced an on-stack replacement and left hotLoop entering
 * through OSR for good: every short run ~3x slower for the rest of the
 * process (measured on the XDP bench, which runs the ALU loop first: 11 of
 * 150 processes; with this warm-up 1 of 120). V8 allocates feedback only
 * after a function has run for a while, hence the many runs; they cost
 * about 5 ms, once, when the interpreter is loaded.
 */
function warmUp(): void {
  const memory = new Memory();
  const region = memory.addRegion({ kind: 'mem', name: 'warm-up', bytes: new Uint8Array(64) });
  const prog = decodeProgram([
    insn(0xbf, 6, 1), // r6 = r1 (a plain memory region)
    insn(0xb7, 1, 0, 0, 2), // r1 = 2: the loop's jump taken once, then not
    insn(0xb7, 0, 0, 0, 0), // r0 = 0
    insn(0x0f, 0, 1), // loop: r0 += r1
    insn(0x7b, 10, 0, -8), // *(u64 *)(r10 - 8) = r0
    insn(0x79, 2, 10, -8), // r2 = *(u64 *)(r10 - 8)
    insn(0x63, 6, 2, 8), // *(u32 *)(r6 + 8) = r2
    insn(0x7b, 6, 1, 16), // *(u64 *)(r6 + 16) = r1
    insn(0x61, 3, 6, 8), // r3 = *(u32 *)(r6 + 8)
    insn(0x69, 4, 6, 8), // r4 = *(u16 *)(r6 + 8)
    insn(0x71, 5, 6, 9), // r5 = *(u8 *)(r6 + 9)
    insn(0x79, 5, 6, 16), // r5 = *(u64 *)(r6 + 16)
    insn(0xbf, 7, 6), // r7 = r6
    insn(0x07, 7, 0, 0, 24), // r7 += 24
    insn(0x2d, 7, 6, 0), // if r7 > r6 goto +0
    insn(0x07, 1, 0, 0, -1), // r1 += -1
    insn(0x55, 1, 0, -14, 0), // if r1 != 0 goto loop
    insn(0x15, 3, 0, 1, 6), // if r3 == 6 goto +1
    insn(0xb7, 0, 0, 0, 1), // r0 = 1
    insn(0x95), // exit
  ]);
  const opts: RunOptions = { memory, args: [memory.pointer(region.id)] };
  for (let i = 0; i < 200; i++) run(prog, opts);
  memory.free(region.id);
}
warmUp();
