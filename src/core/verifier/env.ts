/**
 * The verifier environment (struct bpf_verifier_env): the program, the
 * current state, counters, and the log being written. Checks report errors
 * by throwing VerifierReject, which explore.ts catches — so no exception
 * ever leaves verify().
 */
import type { Insn } from '../isa/insn.ts';
import type { MapSpec, ProgType } from '../program.ts';
import { formatFrame } from './format.ts';
import { LogBuffer } from './log-buffer.ts';
import { RegState, markUnknown } from './reg.ts';
import { FuncState, VerifierState, curFrame } from './state.ts';

/** A rejection: the kernel's message line(s) and the instruction it names. */
export class VerifierReject extends Error {
  constructor(
    readonly lines: string[],
    readonly insn: number | null,
  ) {
    super(lines[lines.length - 1] ?? 'rejected');
  }
}

export interface SubprogInfo {
  start: number;
  /** first instruction after this sub-program */
  end: number;
  /** max stack depth seen, rounded as the kernel does */
  stackDepth: number;
}

export interface VisitRecord {
  insn: number;
  /** formatted registers after the instruction (level-2 style), for the visualizer */
  regs: string;
}

export interface Env {
  insns: readonly Insn[];
  /** the program's maps, then the inner-map templates of its map-in-map maps (nameless, as the kernel's inner_map_meta) */
  maps: readonly MapSpec[];
  /** per map of `maps`: index of its inner-map template, or -1 */
  innerMapIndex: readonly number[];
  progType: ProgType;
  logLevel: 0 | 1 | 2;
  insnLimit: number;
  log: LogBuffer;
  cur: VerifierState;
  insnIdx: number;
  prevInsnIdx: number;
  idGen: number;
  insnProcessed: number;
  jmpsProcessed: number;
  prevJmpsProcessed: number;
  prevInsnProcessed: number;
  /** registers / stack slots touched since the last state print (mark_reg_scratched) */
  scratchedRegs: number;
  scratchedSlots: Set<number>;
  allScratched: boolean;
  subprogs: SubprogInfo[];
  /** per-insn: a prune point (jump target or fall-through of a conditional) */
  prunePoint: Uint8Array;
  /** per-insn: registers live before the insn (compute_live_registers) */
  liveRegs: Uint16Array;
  /** set when the program reads packet data directly (for helper rules) */
  seenPacketAccess: boolean;
  /** states alive in the explored lists (peak_states) and created (total_states) */
  totalStates: number;
  peakStates: number;
  liveStates: number;
  maxStatesPerInsn: number;
  /** insn index where each acquired reference was created */
  refInsns: Map<number, number>;
  /** per-insn pointer kind first seen by a load/store (save_aux_ptr_type) */
  auxPtrType: (string | undefined)[];
  /** nr_cpu_ids of the machine being modelled (bounds bpf_get_smp_processor_id) */
  nrCpus: number;
  /** optional per-visit records for the visualizer */
  visits: VisitRecord[] | null;
}

export function reject(env: Env, ...lines: string[]): never {
  throw new VerifierReject(lines, env.insnIdx);
}

export function verbose(env: Env, text: string): void {
  if (env.logLevel > 0) env.log.append(text);
}

export const cur = (env: Env): FuncState => curFrame(env.cur);
export const regs = (env: Env): RegState[] => curFrame(env.cur).regs;

export function markRegScratched(env: Env, regno: number): void {
  env.scratchedRegs |= 1 << regno;
}

export function markSlotScratched(env: Env, spi: number): void {
  env.scratchedSlots.add(spi);
}

export function isScratched(env: Env): boolean {
  return env.allScratched || env.scratchedRegs !== 0 || env.scratchedSlots.size > 0;
}

export function clearScratched(env: Env): void {
  env.scratchedRegs = 0;
  env.scratchedSlots.clear();
  env.allScratched = false;
}

/** print_verifier_state with the scratched selection (print_all = false), then mark clean. */
export function formatScratched(env: Env): string {
  const f = cur(env);
  const text = env.allScratched
    ? formatFrame(f, env.maps, null)
    : formatFrame(f, env.maps, {
        regs: (i) => (env.scratchedRegs & (1 << i)) !== 0,
        slot: (i) => env.scratchedSlots.has(i),
      });
  clearScratched(env);
  return text;
}

export const enum RegUse {
  SRC_OP,
  DST_OP,
  DST_OP_NO_MARK,
}

/** check_reg_arg: reading needs an initialised register; writing r10 is forbidden. */
export function checkRegArg(env: Env, regno: number, use: RegUse): void {
  if (regno >= 11) reject(env, `R${regno} is invalid`);
  markRegScratched(env, regno);
  const r = regs(env)[regno];
  if (use === RegUse.SRC_OP) {
    if (r.type === 'not_init') reject(env, `R${regno} !read_ok`);
    return;
  }
  if (regno === 10) reject(env, 'frame pointer is read only');
  if (use === RegUse.DST_OP) markUnknown(r);
}

export function nextId(env: Env): number {
  return ++env.idGen;
}
