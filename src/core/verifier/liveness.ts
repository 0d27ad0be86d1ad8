/**
 * Static register liveness (compute_live_registers, Linux 6.18): which
 * registers may be read before being written on some path from each
 * instruction. It feeds the "Live regs before insn" log section and lets
 * pruning ignore dead registers in explored states (clean_func_state).
 */
import type { Insn } from '../isa/insn.ts';
import { AluOp, AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, Src, cls, mode, op, srcBit } from '../isa/opcodes.ts';
import type { ProgType } from '../program.ts';
import { helperProto, helperProtoFor } from './helper-protos.ts';
import { jumpTarget } from './cfg.ts';

const CALLER_SAVED = 0b111111; // r0-r5
const bit = (r: number): number => (r < 10 ? 1 << r : 0);

function useDef(ins: Insn, progType: ProgType | undefined): { use: number; def: number } {
  const c = cls(ins.code);
  switch (c) {
    case Cls.ALU:
    case Cls.ALU64: {
      const o = op(ins.code);
      if (o === AluOp.MOV) return { use: srcBit(ins.code) === Src.X ? bit(ins.src) : 0, def: bit(ins.dst) };
      if (o === AluOp.NEG || o === AluOp.END) return { use: bit(ins.dst), def: bit(ins.dst) };
      return { use: bit(ins.dst) | (srcBit(ins.code) === Src.X ? bit(ins.src) : 0), def: bit(ins.dst) };
    }
    case Cls.LDX:
      return { use: bit(ins.src), def: bit(ins.dst) };
    case Cls.STX:
      if (mode(ins.code) === Mode.ATOMIC) {
        if (ins.imm === AtomicOp.CMPXCHG) return { use: bit(ins.dst) | bit(ins.src) | 1, def: 1 };
        if (ins.imm === AtomicOp.LOAD_ACQ) return { use: bit(ins.src), def: bit(ins.dst) };
        const fetch = (ins.imm & AtomicOp.FETCH) !== 0;
        return { use: bit(ins.dst) | bit(ins.src), def: fetch ? bit(ins.src) : 0 };
      }
      return { use: bit(ins.dst) | bit(ins.src), def: 0 };
    case Cls.ST:
      return { use: bit(ins.dst), def: 0 };
    case Cls.LD:
      if (ins.code === LD_IMM64_CODE) return { use: 0, def: bit(ins.dst) };
      // LD_ABS/LD_IND may end the program (an implicit exit), so 6.18 counts every register r0-r9 as read (kernel logs)
      return { use: 0x3ff, def: CALLER_SAVED };
    case Cls.JMP:
    case Cls.JMP32: {
      const o = op(ins.code);
      if (o === JmpOp.JA || o === JmpOp.JCOND) return { use: 0, def: 0 };
      if (o === JmpOp.EXIT) return { use: 1, def: 0 };
      if (o === JmpOp.CALL) {
        if (ins.src === PseudoCall.HELPER) {
          // a helper the program type may not call counts as reading all five arguments (kernel logs)
          const proto = progType === undefined ? helperProto(ins.imm) : helperProtoFor(ins.imm, progType);
          const n = proto?.args.length ?? 5;
          return { use: ((1 << n) - 1) << 1, def: CALLER_SAVED };
        }
        return { use: 0b111110, def: CALLER_SAVED };
      }
      return { use: bit(ins.dst) | (srcBit(ins.code) === Src.X ? bit(ins.src) : 0), def: 0 };
    }
  }
  return { use: 0, def: 0 };
}

function successors(insns: readonly Insn[], i: number): number[] {
  const ins = insns[i];
  const c = cls(ins.code);
  if (ins.code === LD_IMM64_CODE) return [i + 2];
  if (c === Cls.JMP || c === Cls.JMP32) {
    const o = op(ins.code);
    if (o === JmpOp.EXIT) return [];
    if (o === JmpOp.CALL) return [i + 1];
    if (o === JmpOp.JA) return [jumpTarget(ins, i)];
    return [i + 1, jumpTarget(ins, i)];
  }
  return [i + 1];
}

/**
 * Live-in register masks (bit r for r0-r9) per instruction; iterated to a
 * fixed point. Uses, defs and the (at most two) successors go into typed
 * arrays first: this runs on every verification, and per-instruction objects
 * made it a visible share of verifying long straight programs.
 */
export function computeLiveRegs(insns: readonly Insn[], progType?: ProgType): Uint16Array {
  const n = insns.length;
  const live = new Uint16Array(n);
  const use = new Uint16Array(n);
  const def = new Uint16Array(n);
  const succ0 = new Int32Array(n);
  const succ1 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const ud = useDef(insns[i], progType);
    use[i] = ud.use;
    def[i] = ud.def;
    const ss = successors(insns, i);
    let k = 0;
    succ0[i] = succ1[i] = -1;
    for (const t of ss) {
      if (t < 0 || t >= n) continue;
      if (k++ === 0) succ0[i] = t;
      else succ1[i] = t;
    }
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      if (i > 0 && insns[i - 1].code === LD_IMM64_CODE) continue;
      let out = 0;
      if (succ0[i] >= 0) out |= live[succ0[i]];
      if (succ1[i] >= 0) out |= live[succ1[i]];
      const inn = use[i] | (out & ~def[i]);
      if (inn !== live[i]) {
        live[i] = inn;
        changed = true;
      }
    }
  }
  return live;
}

/** The "Live regs before insn" column: one char per register r0-r9. */
export function liveRegsText(mask: number): string {
  let s = '';
  for (let r = 0; r < 10; r++) s += mask & (1 << r) ? String(r) : '.';
  return s;
}
