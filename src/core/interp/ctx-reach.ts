/**
 * How far into its ctx a program reads: the kernel's
 * `prog->aux->max_ctx_offset`, which the verifier raises to `off + size` on
 * every ctx load it accepts (check_ctx_access). BPF_PROG_TEST_RUN for
 * raw_tracepoint refuses a ctx_in shorter than that with EINVAL, before the
 * program runs — whether or not the run would reach the load.
 *
 * The verifier knows which registers hold the ctx pointer on each path; here
 * a may-analysis over the instructions finds the same loads: the ctx pointer
 * starts in r1, is copied by `rX = rY`, spilled to and filled from 8-byte
 * stack slots, and passed in r1..r5 to bpf-to-bpf calls. A ctx pointer that
 * went through arithmetic cannot be dereferenced ("dereference of modified
 * ctx ptr"), so arithmetic ends the tracking. The one difference from the
 * kernel: loads on paths the verifier proves dead still count here.
 */
import type { Insn } from '../isa/insn.ts';
import { AluOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, Src, cls, mode, op, size, sizeBytes } from '../isa/opcodes.ts';

const FP = 10;
/** r0..r5: clobbered by calls */
const CALLER_SAVED = 0x3f;
const ARG_REGS = 0x3e;

/** Which registers and 8-byte stack slots (fp-8 is slot 0) may hold the ctx pointer. */
interface State {
  regs: number;
  /** slots 0..31 and 32..63 as bit masks */
  slotsLo: number;
  slotsHi: number;
}

const slotOf = (off: number): number => (off < 0 && off >= -512 && off % 8 === 0 ? -off / 8 - 1 : -1);

function slotHas(s: State, slot: number): boolean {
  return slot < 32 ? ((s.slotsLo >>> slot) & 1) === 1 : ((s.slotsHi >>> (slot - 32)) & 1) === 1;
}

function setSlot(s: State, slot: number, on: boolean): void {
  if (slot < 32) s.slotsLo = on ? s.slotsLo | (1 << slot) : s.slotsLo & ~(1 << slot);
  else s.slotsHi = on ? s.slotsHi | (1 << (slot - 32)) : s.slotsHi & ~(1 << (slot - 32));
}

/** Clear every slot a store of `bytes` at fp+off touches (a partial overwrite ends a spill). */
function clobberStack(s: State, off: number, bytes: number): void {
  for (let b = off; b < off + bytes; b++) {
    const slot = Math.floor((-b - 1) / 8);
    if (b < 0 && slot < 64) setSlot(s, slot, false);
  }
}

const setReg = (s: State, r: number, on: boolean): void => {
  s.regs = on ? s.regs | (1 << r) : s.regs & ~(1 << r);
};

/** The furthest ctx byte (exclusive) any load can read; 0 when the program never reads its ctx. */
export function maxCtxOffset(insns: readonly Insn[]): number {
  const n = insns.length;
  const states: (State | undefined)[] = new Array<State | undefined>(n);
  const work: number[] = [];
  let reach = 0;
  const flow = (pc: number, s: State): void => {
    if (pc < 0 || pc >= n) return;
    const old = states[pc];
    if (!old) {
      states[pc] = { ...s };
      work.push(pc);
      return;
    }
    const regs = old.regs | s.regs;
    const lo = old.slotsLo | s.slotsLo;
    const hi = old.slotsHi | s.slotsHi;
    if (regs === old.regs && lo === old.slotsLo && hi === old.slotsHi) return;
    states[pc] = { regs, slotsLo: lo, slotsHi: hi };
    work.push(pc);
  };
  flow(0, { regs: 1 << 1, slotsLo: 0, slotsHi: 0 });
  while (work.length > 0) {
    const pc = work.pop()!;
    const ins = insns[pc];
    const s = { ...states[pc]! };
    const dst = ins.dst & 0x0f;
    const src = ins.src & 0x0f;
    const c = cls(ins.code);
    const isCtx = (r: number): boolean => r <= 10 && ((s.regs >>> r) & 1) === 1;
    switch (c) {
      case Cls.LDX: {
        const bytes = sizeBytes(size(ins.code));
        if (isCtx(src)) reach = Math.max(reach, ins.off + bytes);
        const slot = src === FP && bytes === 8 && mode(ins.code) === Mode.MEM ? slotOf(ins.off) : -1;
        if (dst <= 10) setReg(s, dst, slot >= 0 && slotHas(s, slot));
        flow(pc + 1, s);
        break;
      }
      case Cls.STX: {
        if (dst === FP) {
          const bytes = sizeBytes(size(ins.code));
          const slot = bytes === 8 && mode(ins.code) === Mode.MEM ? slotOf(ins.off) : -1;
          if (slot >= 0) setSlot(s, slot, isCtx(src));
          else clobberStack(s, ins.off, bytes);
        }
        // atomics with a fetch load into src (r0 for cmpxchg)
        if (mode(ins.code) === Mode.ATOMIC) {
          if (src <= 10) setReg(s, src, false);
          setReg(s, 0, false);
        }
        flow(pc + 1, s);
        break;
      }
      case Cls.ST:
        if (dst === FP) clobberStack(s, ins.off, sizeBytes(size(ins.code)));
        flow(pc + 1, s);
        break;
      case Cls.ALU64:
      case Cls.ALU: {
        // only a 64-bit register copy (off 0: not movsx) keeps the pointer; `r += 0` leaves it as it was
        const copy = c === Cls.ALU64 && op(ins.code) === AluOp.MOV && (ins.code & Src.X) !== 0 && ins.off === 0;
        const addZero = c === Cls.ALU64 && (op(ins.code) === AluOp.ADD || op(ins.code) === AluOp.SUB) && (ins.code & Src.X) === 0 && ins.imm === 0;
        if (dst <= 10 && !addZero) setReg(s, dst, copy && isCtx(src));
        flow(pc + 1, s);
        break;
      }
      case Cls.LD:
        if (ins.code === LD_IMM64_CODE) {
          if (dst <= 10) setReg(s, dst, false);
          flow(pc + 2, s);
        } else {
          // ld_abs / ld_ind clobber r0..r5
          s.regs &= ~CALLER_SAVED;
          flow(pc + 1, s);
        }
        break;
      case Cls.JMP:
      case Cls.JMP32: {
        const o = op(ins.code);
        if (c === Cls.JMP && o === JmpOp.EXIT) break;
        // helper, kfunc, callx (0x8d) or bpf-to-bpf call
        if (c === Cls.JMP && o === JmpOp.CALL) {
          if (src === PseudoCall.CALL) flow(pc + 1 + ins.imm, { regs: s.regs & ARG_REGS, slotsLo: 0, slotsHi: 0 });
          s.regs &= ~CALLER_SAVED;
          flow(pc + 1, s);
          break;
        }
        if (o === JmpOp.JA) {
          flow(pc + 1 + (c === Cls.JMP32 ? ins.imm : ins.off), s);
          break;
        }
        // the conditional jumps (may_goto included) fall through or jump
        flow(pc + 1 + ins.off, s);
        flow(pc + 1, s);
        break;
      }
    }
  }
  return reach;
}
