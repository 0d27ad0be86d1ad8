/**
 * Pre-decoding: the program is turned once into flat typed arrays (opcode,
 * registers, offset, immediate, precomputed jump/call targets) so the
 * interpreter's loop does no field extraction and no object access. The form
 * is engine-neutral; a JIT can consume it too.
 *
 * Opcodes keep the raw byte where the raw byte fully determines behaviour;
 * variants the byte alone does not tell apart get internal codes >= 0x100
 * (sdiv/smod, movsx, the call kinds, LD_IMM64 forms, instructions that must
 * fault when reached).
 */
import type { Insn } from '../isa/insn.ts';
import { isKnownOpcode } from '../isa/validate.ts';
import { stackReach } from './stack-reach.ts';
import { AluOp, Cls, JmpOp, LD_IMM64_CODE, MAY_GOTO, Mode, PseudoCall, PseudoLd, STACK_SIZE, Size, Src, cls, mode, op } from '../isa/opcodes.ts';

/** Reaching it faults with the message in `problems[pc]`. */
export const OP_INVALID = 0x100;
/** The sentinel slot after the last instruction: falling off the end. */
export const OP_FALL_OFF = 0x101;
/** LD_IMM64 of a plain constant: imm = low word, immHi = high word. */
export const OP_LDIMM64 = 0x102;
/** LD_IMM64 with a pseudo source (map fd/value/idx, func): resolved at run time. */
export const OP_LDIMM64_PSEUDO = 0x103;
export const OP_CALL_HELPER = 0x104;
/** bpf-to-bpf call; target holds the callee's first instruction. */
export const OP_CALL_LOCAL = 0x105;
export const OP_CALL_KFUNC = 0x106;
export const OP_MAY_GOTO = 0x107;
/** JA of either class; target is precomputed (off for JMP, imm for JMP32 gotol). */
export const OP_JA = 0x108;
/** callx: call through a register (dst) holding a helper id or function pointer. */
export const OP_CALLX = 0x109;
/**
 * Signed div/mod (off = 1) and movsx get their own codes. Internal codes stay
 * just above 0xff so the interpreter's switch remains dense enough for V8 to
 * compile it to a jump table rather than a binary search.
 */
export const OP_SDIV64_K = 0x110;
export const OP_SDIV64_X = 0x111;
export const OP_SMOD64_K = 0x112;
export const OP_SMOD64_X = 0x113;
export const OP_SDIV32_K = 0x114;
export const OP_SDIV32_X = 0x115;
export const OP_SMOD32_K = 0x116;
export const OP_SMOD32_X = 0x117;
export const OP_MOVSX64_8 = 0x118;
export const OP_MOVSX64_16 = 0x119;
export const OP_MOVSX64_32 = 0x11a;
export const OP_MOVSX32_8 = 0x11b;
export const OP_MOVSX32_16 = 0x11c;

/**
 * Specialisations of frequent instructions with a constant operand, chosen
 * at decode time so the loop skips a load: `if rX != 0` / `if rX == 0`
 * (loop conditions, NULL checks) and `rX += imm` with a negative imm (the
 * decrement LLVM emits) — plain 0x07 then only sees imm >= 0, whose
 * sign-extended high word is 0.
 */
export const OP_JNE_ZERO = 0x120;
export const OP_JEQ_ZERO = 0x121;
export const OP_ADD64_K_NEG = 0x122;

const SIGNED_CODES: Record<number, number> = {
  0x37: OP_SDIV64_K,
  0x3f: OP_SDIV64_X,
  0x97: OP_SMOD64_K,
  0x9f: OP_SMOD64_X,
  0x34: OP_SDIV32_K,
  0x3c: OP_SDIV32_X,
  0x94: OP_SMOD32_K,
  0x9c: OP_SMOD32_X,
};

export interface DecodedProgram {
  /** number of instruction slots (the sentinel at index `length` is extra) */
  readonly length: number;
  readonly insns: readonly Insn[];
  readonly op: Uint16Array;
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly off: Int32Array;
  readonly imm: Int32Array;
  /** high word of the 64-bit immediate: sign extension of imm, or LD_IMM64's upper half */
  readonly immHi: Int32Array;
  /** jump/call targets (absolute slot index) */
  readonly target: Int32Array;
  /** fault messages for OP_INVALID slots */
  readonly problems: ReadonlyMap<number, string>;
  /**
   * The same, packed for the interpreter's loop (4 int32 per slot, one cache
   * line holds 4 instructions):
   *   [0] op | (2 * src) << 16 | (2 * dst) << 24   (register indices pre-doubled
   *       for the interleaved lo/hi register file)
   *   [1] jump/call target * 4 (a word index) for branches, off otherwise
   *   [2] imm   [3] immHi
   */
  readonly words: Int32Array;
  /**
   * LD_IMM64 pseudo values (map pointers, map values, callbacks) resolved by
   * `pseudoOwner`, as (lo, hi) at [2 * pc, 2 * pc + 1]; hi = 0 means not yet
   * resolved (no pointer has a zero high word). A resolver's answers are
   * stable, so the interpreter resolves each instruction once per resolver.
   */
  pseudoOwner?: object;
  pseudoValues?: Int32Array;
  /**
   * Whether any instruction names r10. A program that never does cannot
   * reach its stack (verified programs have no other way to get a stack
   * pointer), so the run can skip zeroing a stack that is still clean.
   */
  readonly usesFramePointer: boolean;
  /**
   * The lowest byte of the stack buffer the program can touch (stack-reach.ts);
   * STACK_SIZE when none. A run zeroes only the stack from here up.
   */
  readonly stackLow: number;
}

const CALLX_CODE = Cls.JMP | JmpOp.CALL | Src.X;

const ALU_WITH_OPERAND = new Set<number>([AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND, AluOp.LSH, AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH]);

export function decodeProgram(insns: readonly Insn[]): DecodedProgram {
  const n = insns.length;
  const prog = {
    length: n,
    insns,
    op: new Uint16Array(n + 1),
    dst: new Uint8Array(n + 1),
    src: new Uint8Array(n + 1),
    off: new Int32Array(n + 1),
    imm: new Int32Array(n + 1),
    immHi: new Int32Array(n + 1),
    target: new Int32Array(n + 1),
    problems: new Map<number, string>(),
    words: new Int32Array(0),
    // present from the start so every decoded program keeps one object shape
    // (the interpreter resolves them later; a shape change costs a deopt)
    pseudoOwner: undefined as object | undefined,
    pseudoValues: undefined as Int32Array | undefined,
    usesFramePointer: insns.some((ins) => (ins.dst & 0x0f) === 10 || (ins.src & 0x0f) === 10 || (ins.code === CALLX_CODE && ins.imm === 10)),
    stackLow: 0,
  };
  const invalid = (pc: number, message: string): void => {
    prog.op[pc] = OP_INVALID;
    prog.problems.set(pc, message);
  };
  for (let pc = 0; pc < n; pc++) {
    const ins = insns[pc];
    prog.dst[pc] = ins.dst & 0x0f;
    prog.src[pc] = ins.src & 0x0f;
    prog.off[pc] = ins.off;
    prog.imm[pc] = ins.imm | 0;
    prog.immHi[pc] = ins.imm >> 31;
    const code = ins.code & 0xff;
    if (code === LD_IMM64_CODE) {
      decodeLdImm64(prog, insns, pc, invalid);
      if (insns[pc + 1]?.code === 0) {
        pc++;
        invalid(pc, 'jump into the middle of an ld_imm64 instruction');
      }
      continue;
    }
    const problem = decodeOne(prog, ins, pc, n);
    if (problem !== null) invalid(pc, problem);
    else specialise(prog.op, pc, ins.imm);
  }
  prog.op[n] = OP_FALL_OFF;
  prog.words = packWords(prog);
  prog.stackLow = stackReach(insns);
  return prog;
}

function decodeLdImm64(prog: { op: Uint16Array; immHi: Int32Array; dst: Uint8Array }, insns: readonly Insn[], pc: number, invalid: (pc: number, m: string) => void): void {
  const ins = insns[pc];
  const next = insns[pc + 1];
  if (next === undefined || next.code !== 0) return invalid(pc, 'invalid ld_imm64: the second half of the instruction is missing');
  if (ins.dst > 10) return invalid(pc, `R${ins.dst} is invalid`);
  if (ins.dst === 10) return invalid(pc, 'frame pointer is read only');
  prog.immHi[pc] = next.imm | 0;
  if (ins.src === PseudoLd.NONE) prog.op[pc] = OP_LDIMM64;
  else if (ins.src <= PseudoLd.MAP_IDX_VALUE) prog.op[pc] = OP_LDIMM64_PSEUDO;
  else invalid(pc, `unrecognized ld_imm64 source ${ins.src}`);
}

/** Fills the slot and returns null, or returns why the slot cannot execute. */
function decodeOne(prog: { op: Uint16Array; target: Int32Array; dst: Uint8Array }, ins: Insn, pc: number, n: number): string | null {
  const code = ins.code & 0xff;
  const c = cls(code);
  // callx (JMP | CALL | X) is not in the kernel's table, but uBPF and LLVM emit it.
  if (code === CALLX_CODE) return decodeCall(prog, ins, pc, n, code);
  if (!isKnownOpcode(code)) return `unknown opcode 0x${code.toString(16).padStart(2, '0')}`;
  if (ins.dst > 10) return `R${ins.dst} is invalid`;
  const jumpTarget = (rel: number): string | null => {
    const t = pc + 1 + rel;
    if (t < 0 || t > n) return `jump out of range from insn ${pc} to ${t}`;
    prog.target[pc] = t;
    return null;
  };
  switch (c) {
    case Cls.ALU:
    case Cls.ALU64: {
      const o = op(code);
      if (ins.dst === 10) return 'frame pointer is read only';
      if ((code & Src.X) !== 0 && ALU_WITH_OPERAND.has(o) && ins.src > 10) return `R${ins.src} is invalid`;
      prog.op[pc] = code;
      if ((o === AluOp.DIV || o === AluOp.MOD) && ins.off === 1) prog.op[pc] = SIGNED_CODES[code];
      if (o === AluOp.MOV && (code & Src.X) !== 0 && ins.off !== 0) {
        if (c === Cls.ALU64 && ins.off === 1) return 'addr_space_cast (arena pointers) is not supported';
        const sx = c === Cls.ALU64 ? { 8: OP_MOVSX64_8, 16: OP_MOVSX64_16, 32: OP_MOVSX64_32 }[ins.off] : { 8: OP_MOVSX32_8, 16: OP_MOVSX32_16 }[ins.off];
        if (sx === undefined) return `invalid movsx offset ${ins.off}`;
        prog.op[pc] = sx;
      }
      if (o === AluOp.END && ins.imm !== 16 && ins.imm !== 32 && ins.imm !== 64) return `invalid byte swap width ${ins.imm}`;
      return null;
    }
    case Cls.JMP:
    case Cls.JMP32: {
      const o = op(code);
      if (o === JmpOp.EXIT) {
        prog.op[pc] = code;
        return null;
      }
      if (o === JmpOp.CALL) return decodeCall(prog, ins, pc, n, code);
      if (o === JmpOp.JCOND) {
        if (ins.src !== MAY_GOTO) return `unknown conditional jump source ${ins.src}`;
        prog.op[pc] = OP_MAY_GOTO;
        return jumpTarget(ins.off);
      }
      if (o === JmpOp.JA) {
        prog.op[pc] = OP_JA;
        return jumpTarget(c === Cls.JMP32 ? ins.imm : ins.off);
      }
      if ((code & Src.X) !== 0 && ins.src > 10) return `R${ins.src} is invalid`;
      prog.op[pc] = code;
      return jumpTarget(ins.off);
    }
    case Cls.LDX:
      if (ins.src > 10) return `R${ins.src} is invalid`;
      if (ins.dst === 10) return 'frame pointer is read only';
      prog.op[pc] = code;
      return null;
    case Cls.ST:
      prog.op[pc] = code;
      return null;
    case Cls.STX:
      if (ins.src > 10) return `R${ins.src} is invalid`;
      prog.op[pc] = code;
      if (mode(code) === Mode.ATOMIC) return atomicProblem(ins);
      return null;
    case Cls.LD: // LD_ABS / LD_IND (LD_IMM64 is handled by the caller)
      if (ins.src > 10) return `R${ins.src} is invalid`;
      prog.op[pc] = code;
      return null;
    default:
      return `unknown opcode 0x${code.toString(16).padStart(2, '0')}`;
  }
}

function decodeCall(prog: { op: Uint16Array; target: Int32Array; dst: Uint8Array }, ins: Insn, pc: number, n: number, code: number): string | null {
  if ((code & Src.X) !== 0) {
    // The register is in dst (uBPF, LLVM >= 19); older LLVM put it in imm.
    const reg = ins.dst === 0 && ins.imm > 0 && ins.imm <= 10 ? ins.imm : ins.dst;
    if (reg > 10) return `R${reg} is invalid`;
    prog.dst[pc] = reg;
    prog.op[pc] = OP_CALLX;
    return null;
  }
  switch (ins.src) {
    case PseudoCall.HELPER:
      prog.op[pc] = OP_CALL_HELPER;
      return null;
    case PseudoCall.CALL: {
      const t = pc + 1 + ins.imm;
      if (t < 0 || t >= n) return `call to a function outside the program (insn ${t})`;
      prog.op[pc] = OP_CALL_LOCAL;
      prog.target[pc] = t;
      return null;
    }
    case PseudoCall.KFUNC:
      prog.op[pc] = OP_CALL_KFUNC;
      return null;
    default:
      return `unknown call source ${ins.src}`;
  }
}

const ATOMIC_OPS = new Set<number>([0x00, 0x01, 0x40, 0x41, 0x50, 0x51, 0xa0, 0xa1, 0xe1, 0xf1, 0x100, 0x110]);

function atomicProblem(ins: Insn): string | null {
  if (!ATOMIC_OPS.has(ins.imm)) return `invalid atomic operation 0x${(ins.imm >>> 0).toString(16)}`;
  const sizeField = ins.code & 0x18;
  const isAcqRel = ins.imm === 0x100 || ins.imm === 0x110;
  // Read-modify-write atomics exist only for 32 and 64 bits.
  if (!isAcqRel && sizeField !== 0x00 && sizeField !== 0x18) return 'atomic read-modify-write needs a 32 or 64-bit size';
  if (ins.imm === 0x100 && ins.dst === 10) return 'frame pointer is read only';
  if ((ins.imm & 0x01) !== 0 && ins.imm !== 0x100 && ins.imm !== 0x110 && ins.src === 10) return 'frame pointer is read only';
  return null;
}

function specialise(ops: Uint16Array, pc: number, imm: number): void {
  const code = ops[pc];
  if (code === (Cls.JMP | JmpOp.JNE | Src.K) && imm === 0) ops[pc] = OP_JNE_ZERO;
  else if (code === (Cls.JMP | JmpOp.JEQ | Src.K) && imm === 0) ops[pc] = OP_JEQ_ZERO;
  else if (code === (Cls.ALU64 | AluOp.ADD | Src.K) && imm < 0) ops[pc] = OP_ADD64_K_NEG;
}

function usesTarget(code: number): boolean {
  if (code === OP_JA || code === OP_MAY_GOTO || code === OP_CALL_LOCAL || code === OP_JNE_ZERO || code === OP_JEQ_ZERO) return true;
  if (code > 0xff) return false;
  const c = cls(code);
  return (c === Cls.JMP || c === Cls.JMP32) && op(code) !== JmpOp.CALL && op(code) !== JmpOp.EXIT;
}

/**
 * `rX = rY; rX += imm` executed as one step (packed words only; `op` keeps
 * the two instructions). Compilers emit the pair for every stack pointer
 * argument. The second slot stays a plain add, so jumps to it still work.
 */
export const OP_MOV_ADD_K = 0x123;

/**
 * Loads and stores through r10 (the frame's stack) whose offset lies inside
 * the stack, packed with their own codes so the loop can skip the region
 * lookup and the bounds check. Index: packed code - 0x124; value: the
 * original opcode (the cold path decodes them as that).
 */
export const STACK_OPS: readonly number[] = [0x7b, 0x79, 0x62, 0x63, 0x61];
export const STACK_OP_BASE = 0x124;
const STACK_OP_SIZES: readonly number[] = [8, 8, 4, 4, 4];

/**
 * `rX = *(u64 *)(rY + off); rX += imm; *(u64 *)(rY + off) = rX` — the
 * counter increment every map-value program has — packed on its first slot
 * (the load's own words are unchanged). The loop runs all three only after
 * checking that the store's slot still holds the store (the debug stepper
 * replaces every slot but the stepped one with a trap); otherwise, and in the
 * cold path, it is the plain load. The other slots keep their own decoding,
 * so jumps into them still work.
 */
export const OP_COUNTER_ADD = 0x129;

function isCounterAdd(prog: Omit<DecodedProgram, 'words'>, i: number): boolean {
  if (i + 2 >= prog.length || prog.op[i] !== (Cls.LDX | Size.DW | Mode.MEM)) return false;
  const base = prog.src[i];
  const reg = prog.dst[i];
  if (base === 10 || base === reg) return false;
  const add = prog.op[i + 1];
  if ((add !== (Cls.ALU64 | AluOp.ADD | Src.K) && add !== OP_ADD64_K_NEG) || prog.dst[i + 1] !== reg) return false;
  return prog.op[i + 2] === (Cls.STX | Size.DW | Mode.MEM) && prog.dst[i + 2] === base && prog.src[i + 2] === reg && prog.off[i + 2] === prog.off[i];
}

/**
 * `rX += imm; if rX != 0 goto L` (and `if rX != K`, `if rX < K`): the tail
 * of a counted loop, one step instead of two, packed on the add's slot: its
 * words hold the add's imm and the jump's target; the compare constant stays
 * in the jump's own slot, which keeps its own decoding (jumps into it still
 * work). The debug stepper unfuses it (debug-stepper.ts `unfused`).
 */
export const OP_ADD_JNE_ZERO = 0x12a;
export const OP_ADD_JNE_K = 0x12b;
export const OP_ADD_JLT_K = 0x12c;
/**
 * `rX = rY; rX += imm; if rX > rZ goto L`: the packet bounds check every
 * XDP and tc program makes before it reads a header, one step instead of
 * three, packed on the mov's slot (words: the add's imm, the jump's target;
 * rZ stays in the jump's slot). The other slots keep their own decoding.
 */
export const OP_MOV_ADD_JGT = 0x12d;
/** Fused codes the debug stepper splits back into their first instruction. */
export const FUSED_BRANCH_OPS: readonly number[] = [OP_ADD_JNE_ZERO, OP_ADD_JNE_K, OP_ADD_JLT_K, OP_MOV_ADD_JGT];

/** The fused code for slots i, i + 1, or 0. */
function addJumpCode(prog: Omit<DecodedProgram, 'words'>, i: number): number {
  if (i + 1 >= prog.length || (prog.op[i] !== (Cls.ALU64 | AluOp.ADD | Src.K) && prog.op[i] !== OP_ADD64_K_NEG) || prog.dst[i + 1] !== prog.dst[i]) return 0;
  const jump = prog.op[i + 1];
  if (jump === OP_JNE_ZERO) return OP_ADD_JNE_ZERO;
  if (jump === (Cls.JMP | JmpOp.JNE | Src.K)) return OP_ADD_JNE_K;
  if (jump === (Cls.JMP | JmpOp.JLT | Src.K)) return OP_ADD_JLT_K;
  return 0;
}

function packWords(prog: Omit<DecodedProgram, 'words'>): Int32Array<ArrayBuffer> {
  const words = new Int32Array((prog.length + 1) * 4);
  for (let i = 0; i <= prog.length; i++) {
    const code = prog.op[i];
    const next = i + 1 < prog.length ? prog.op[i + 1] : -1;
    const fused = code === (Cls.ALU64 | AluOp.MOV | Src.X) && (next === (Cls.ALU64 | AluOp.ADD | Src.K) || next === OP_ADD64_K_NEG) && prog.dst[i + 1] === prog.dst[i];
    // ... and a bounds check when the sum is then compared (jgt X) as the jump's dst
    const boundsCheck = fused && i + 2 < prog.length && prog.op[i + 2] === (Cls.JMP | JmpOp.JGT | Src.X) && prog.dst[i + 2] === prog.dst[i];
    const stackIndex = STACK_OPS.indexOf(code);
    const viaR10 =
      stackIndex >= 0 &&
      (code === 0x79 || code === 0x61 ? prog.src[i] : prog.dst[i]) === 10 &&
      prog.off[i] >= -STACK_SIZE &&
      prog.off[i] <= -STACK_OP_SIZES[stackIndex];
    const addJump = fused || viaR10 ? 0 : addJumpCode(prog, i);
    const packed = boundsCheck ? OP_MOV_ADD_JGT : fused ? OP_MOV_ADD_K : viaR10 ? STACK_OP_BASE + stackIndex : isCounterAdd(prog, i) ? OP_COUNTER_ADD : addJump !== 0 ? addJump : code;
    words[i * 4] = packed | ((prog.src[i] * 2) << 16) | ((prog.dst[i] * 2) << 24);
    words[i * 4 + 1] = boundsCheck ? prog.target[i + 2] * 4 : addJump !== 0 ? prog.target[i + 1] * 4 : usesTarget(code) ? prog.target[i] * 4 : prog.off[i];
    words[i * 4 + 2] = fused ? prog.imm[i + 1] : prog.imm[i];
    words[i * 4 + 3] = fused ? prog.immHi[i + 1] : prog.immHi[i];
  }
  return words;
}
