/**
 * The helper interface: how `call N` (src_reg 0) reaches code outside the VM.
 *
 * Helpers are a pluggable table from helper id to function. The runtime
 * (maps, printk, ring buffers, packet helpers) fills it; the interpreter only
 * knows this contract. Helpers are not the hot path, so they see registers as
 * BigInt and touch memory through the same checked regions as the program.
 *
 * A helper returns the new r0 (a bigint, wrapped to 64 bits), or one of:
 *  - `{ fault }`: stop the run with this message (a learner-facing bug report);
 *  - `{ exit }`: stop the run successfully with this r0 (uBPF's unwind helper);
 *  - `{ tailCall }`: continue in another program (bpf_tail_call succeeded).
 *
 * Registers r1-r5 are left as they were after the call (the kernel's calling
 * convention makes them undefined; the verifier stops programs reading them).
 */
import type { DecodedProgram } from './decode.ts';
import type { Memory } from './memory.ts';

export interface Fault {
  /** instruction index (slot) where the run stopped */
  pc: number;
  kind: FaultKind;
  message: string;
}

export type FaultKind = 'memory' | 'budget' | 'invalid-insn' | 'call-depth' | 'helper' | 'unsupported' | 'internal';

export type CallResult = { ok: true; r0: bigint } | { ok: false; fault: Fault };

export interface HelperContext {
  readonly helperId: number;
  /** index of the call instruction */
  readonly pc: number;
  /** r1..r5 as unsigned 64-bit values */
  arg(n: 1 | 2 | 3 | 4 | 5): bigint;
  /** the run's memory: read/write through checked pointers, add regions (map values, records) */
  readonly memory: Memory;
  /** r1 at program entry (the ctx pointer), for helpers that act on the packet */
  readonly ctxArg: bigint;
  /**
   * Call a BPF function of the running program — a callback pointer that
   * `ld_imm64 src=4` produced (bpf_loop, bpf_for_each_map_elem) — with r1..r5
   * = args, in a new frame. Counts against the run's instruction budget (a
   * call once the budget is spent fails with a 'budget' fault). Afterwards
   * r0-r5 are as they were, so `arg()` still reads the helper's arguments;
   * a faulting callback is unwound and its fault returned for the helper to
   * pass on (return `{ fault }`).
   */
  callFunction(fn: bigint, args: readonly bigint[]): CallResult;
}

export type HelperOutcome = bigint | { fault: string } | { exit: bigint } | { tailCall: DecodedProgram };

export type HelperFn = (ctx: HelperContext) => HelperOutcome;

export type HelperTable = ReadonlyMap<number, HelperFn>;

/**
 * How LD_IMM64 pseudo sources become values. The runtime owns the maps; the
 * interpreter asks it at the instruction. Return a string to fault.
 * `index` is the imm of the first slot (the bundle's index into `maps`).
 */
export interface MapResolver {
  /** src 1 (map fd) and 5 (map idx): the value of a `struct bpf_map *` */
  mapPointer(index: number): bigint | string;
  /** src 2 (map value) and 6 (map idx value): pointer to `offset` inside the map's value */
  mapValuePointer(index: number, offset: number): bigint | string;
  /**
   * Optional: the kernel inlines bpf_map_lookup_elem on plain arrays
   * (map_gen_lookup); an interpreter can too. Given the region id of a
   * `struct bpf_map *` (the high word of r1 minus REGION_TAG_BASE), the
   * array's layout, or null for any other map. A resolver that answers
   * promises helper 1 behaves as this layout says.
   */
  arrayLookupLayout?(mapRegionId: number): ArrayLookupLayout | null;
  /**
   * Optional: the same answers as a table indexed by map region id, filled
   * up front, so the interpreter's hot loop can inline the lookup without a
   * function call.
   */
  readonly arrayLayouts?: readonly (ArrayLookupLayout | null | undefined)[];
}

/** Where an array map's values live: value i is at `i * elemSize` in region `regionId`, for i < maxEntries. */
export interface ArrayLookupLayout {
  regionId: number;
  elemSize: number;
  maxEntries: number;
}

/** High word of function pointers made by `ld_imm64 src=4`; the low word is the slot index. */
export const FUNC_POINTER_TAG = 0x00fe0000;

/**
 * bpf_conformance's helper table (what uBPF registers for the suite).
 * Helper 5 is "unwind": it returns r1, and when that is 0 the program stops
 * with r0 = 0 (call_unwind_fail.data).
 */
export function conformanceHelpers(): HelperTable {
  return new Map<number, HelperFn>([
    [
      5,
      (ctx) => {
        const r1 = ctx.arg(1);
        return r1 === 0n ? { exit: 0n } : r1;
      },
    ],
  ]);
}
