/**
 * Encodes one parsed statement of the uBPF dialect into instruction slots.
 * Label operands are left as fixups that index.ts resolves once every label
 * is known.
 */
import { insn, type Insn } from '../../isa/insn.ts';
import { AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, Size, Src } from '../../isa/opcodes.ts';
import { helperByName } from '../../isa/helpers.ts';
import { fit64, parseIntLiteral } from './literals.ts';
import type { Form } from './mnemonics.ts';
import {
  isRegisterLike,
  parseImm32,
  parseMemory,
  parseRegister,
  parseTarget,
  type Parsed,
  type Target,
} from './operands.ts';
import type { Statement, Token } from './syntax.ts';

/** A label reference to patch: the slot's off (16-bit) or imm (32-bit) field. */
export interface Fixup {
  slot: number;
  field: 'off' | 'imm';
  label: Token;
  /** for `call NAME` without `local`: the name was not a helper either */
  orHelper: boolean;
}

export interface EncodeProblem {
  column: number;
  endColumn: number;
  message: string;
}

export interface Encoded {
  slots: Insn[];
  fixups: Fixup[];
  problems: EncodeProblem[];
}

/** Expected-operand wording per form, used in operand-count errors. */
function shapeOf(form: Form, mnemonic: string): string {
  switch (form.kind) {
    case 'alu':
      if (form.unary) return `${mnemonic} %rD`;
      return form.regOnly ? `${mnemonic} %rD, %rS` : `${mnemonic} %rD, %rS or ${mnemonic} %rD, IMM`;
    case 'end':
      return `${mnemonic} %rD`;
    case 'lddw':
      return `${mnemonic} %rD, IMM64`;
    case 'ldx':
      return `${mnemonic} %rD, [%rS+OFF]`;
    case 'st':
      return `${mnemonic} [%rD+OFF], IMM`;
    case 'stx':
      return `${mnemonic} [%rD+OFF], %rS`;
    case 'ldabs':
      return `${mnemonic} IMM`;
    case 'ldind':
      return `${mnemonic} %rS, IMM`;
    case 'jcond':
      return `${mnemonic} %rD, %rS or IMM, +OFF or LABEL`;
    case 'ja':
    case 'ja32':
      return `${mnemonic} +OFF or ${mnemonic} LABEL`;
    case 'call':
      return 'call HELPER_ID, call helper_name, call %rN or call local LABEL';
    case 'callx':
      return 'callx %rN';
    case 'exit':
      return 'exit';
    case 'lock':
      return 'lock [fetch] add|and|or|xor|xchg|cmpxchg[32] [%rD+OFF], %rS';
  }
}

const OPERAND_COUNTS: Record<Form['kind'], number> = {
  alu: 2,
  end: 1,
  lddw: 2,
  ldx: 2,
  st: 2,
  stx: 2,
  ldabs: 1,
  ldind: 2,
  jcond: 3,
  ja: 1,
  ja32: 1,
  call: 1,
  callx: 1,
  exit: 0,
  lock: 2,
};

const ATOMIC_OPS: Record<string, { imm: number; alwaysFetch: boolean }> = {
  add: { imm: AtomicOp.ADD, alwaysFetch: false },
  and: { imm: AtomicOp.AND, alwaysFetch: false },
  or: { imm: AtomicOp.OR, alwaysFetch: false },
  xor: { imm: AtomicOp.XOR, alwaysFetch: false },
  xchg: { imm: AtomicOp.XCHG, alwaysFetch: true },
  cmpxchg: { imm: AtomicOp.CMPXCHG, alwaysFetch: true },
};

/** Collects operand results; a failed one records a problem at its column. */
class OperandReader {
  readonly problems: EncodeProblem[] = [];
  constructor(private readonly operands: Token[]) {}

  take<T>(index: number, parse: (op: Token) => Parsed<T>, fallback: T): T {
    const op = this.operands[index];
    const r = parse(op);
    if (r.ok) return r.value;
    this.problems.push({ column: op.column, endColumn: op.column + op.text.length, message: r.message });
    return fallback;
  }
}

export function encodeStatement(st: Statement, form: Form): Encoded {
  const mnemonic = (st.mnemonic?.text ?? '').toLowerCase();
  const column = st.mnemonic?.column ?? 1;
  const out: Encoded = { slots: [], fixups: [], problems: [] };
  const ops = st.operands;

  if (form.kind === 'lock') return encodeLock(st, out);
  if (st.modifiers.length > 0 && form.kind !== 'call') {
    const m = st.modifiers[0];
    out.problems.push({ column: m.column, endColumn: m.column + m.text.length, message: `unexpected '${m.text}' after '${mnemonic}'` });
    return out;
  }
  const wanted = form.kind === 'alu' && form.unary ? 1 : OPERAND_COUNTS[form.kind];
  if (ops.length !== wanted) {
    const end = column + mnemonic.length;
    out.problems.push({
      column,
      endColumn: ops.length > 0 ? ops[ops.length - 1].column + ops[ops.length - 1].text.length : end,
      message: `'${mnemonic}' takes ${wanted} operand${wanted === 1 ? '' : 's'} (${shapeOf(form, mnemonic)}), found ${ops.length}`,
    });
    return out;
  }

  const r = new OperandReader(ops);
  const push = (i: Insn): void => void out.slots.push(i);
  const targetInto = (index: number, field: 'off' | 'imm', bits: 16 | 32): number => {
    const t = r.take<Target>(index, (op) => parseTarget(op, bits), { kind: 'offset', value: 0 });
    if (t.kind === 'label') out.fixups.push({ slot: 0, field, label: ops[index], orHelper: false });
    return t.kind === 'offset' ? t.value : 0;
  };

  switch (form.kind) {
    case 'alu': {
      const dst = r.take(0, parseRegister, 0);
      if (form.unary) {
        push(insn(form.cls | form.op, dst, 0, form.off, 0));
      } else if (isRegisterLike(ops[1].text) || form.regOnly) {
        const src = r.take(1, parseRegister, 0);
        push(insn(form.cls | form.op | Src.X, dst, src, form.off, 0));
      } else {
        const imm = r.take(1, parseImm32, 0);
        push(insn(form.cls | form.op | Src.K, dst, 0, form.off, imm));
      }
      break;
    }
    case 'end':
      push(insn(form.code, r.take(0, parseRegister, 0), 0, 0, form.width));
      break;
    case 'lddw': {
      const dst = r.take(0, parseRegister, 0);
      const halves = r.take(1, parseImm64, { lo: 0, hi: 0 });
      push(insn(LD_IMM64_CODE, dst, 0, 0, halves.lo));
      push(insn(0, 0, 0, 0, halves.hi));
      break;
    }
    case 'ldx': {
      const dst = r.take(0, parseRegister, 0);
      const mem = r.take(1, parseMemory, { reg: 0, off: 0 });
      push(insn(form.code, dst, mem.reg, mem.off, 0));
      break;
    }
    case 'st': {
      const mem = r.take(0, parseMemory, { reg: 0, off: 0 });
      push(insn(form.code, mem.reg, 0, mem.off, r.take(1, parseImm32, 0)));
      break;
    }
    case 'stx': {
      const mem = r.take(0, parseMemory, { reg: 0, off: 0 });
      push(insn(form.code, mem.reg, r.take(1, parseRegister, 0), mem.off, 0));
      break;
    }
    case 'ldabs':
      push(insn(form.code, 0, 0, 0, r.take(0, parseImm32, 0)));
      break;
    case 'ldind': {
      // The index register of a legacy packet load lives in src_reg.
      const src = r.take(0, parseRegister, 0);
      push(insn(form.code, 0, src, 0, r.take(1, parseImm32, 0)));
      break;
    }
    case 'jcond': {
      const dst = r.take(0, parseRegister, 0);
      const off = targetInto(2, 'off', 16);
      if (isRegisterLike(ops[1].text)) push(insn(form.code | Src.X, dst, r.take(1, parseRegister, 0), off, 0));
      else push(insn(form.code | Src.K, dst, 0, off, r.take(1, parseImm32, 0)));
      break;
    }
    case 'ja':
      push(insn(Cls.JMP | JmpOp.JA, 0, 0, targetInto(0, 'off', 16), 0));
      break;
    case 'ja32':
      // gotol: JMP32 | JA keeps its (32-bit) offset in imm.
      push(insn(Cls.JMP32 | JmpOp.JA, 0, 0, 0, targetInto(0, 'imm', 32)));
      break;
    case 'call':
      return encodeCall(st, out, r);
    case 'callx':
      push(insn(Cls.JMP | JmpOp.CALL | Src.X, r.take(0, parseRegister, 0), 0, 0, 0));
      break;
    case 'exit':
      push(insn(Cls.JMP | JmpOp.EXIT));
      break;
  }
  out.problems.push(...r.problems);
  return out;
}

function parseImm64(op: Token): Parsed<{ lo: number; hi: number }> {
  const lit = parseIntLiteral(op.text);
  if (!lit) return { ok: false, message: `expected a 64-bit number like 0x1122334455667788 or -1, found '${op.text}'` };
  const fit = fit64(lit, op.text);
  return fit.ok ? { ok: true, value: { lo: fit.lo, hi: fit.hi } } : fit;
}

/**
 * `call 5` / `call helper 5` / `call bpf_map_lookup_elem`: helper (src 0);
 * `call %r2` / `call helper %r2`: callx with the register in dst (as
 * bpf_conformance's callx.data encodes it); `call local LABEL|+OFF`:
 * bpf-to-bpf call (src 1, imm = offset); `call runtime N`: kfunc (src 2).
 * A bare name that is no helper is taken as a local call to that label.
 */
function encodeCall(st: Statement, out: Encoded, r: OperandReader): Encoded {
  const mode = st.modifiers[0]?.text.toLowerCase() ?? 'helper';
  const target = st.operands[0];
  const code = Cls.JMP | JmpOp.CALL;
  if (mode === 'local') {
    const t = r.take<Target>(0, (op) => parseTarget(op, 32), { kind: 'offset', value: 0 });
    if (t.kind === 'label') out.fixups.push({ slot: 0, field: 'imm', label: target, orHelper: false });
    out.slots.push(insn(code, 0, PseudoCall.CALL, 0, t.kind === 'offset' ? t.value : 0));
  } else if (mode === 'runtime') {
    out.slots.push(insn(code, 0, PseudoCall.KFUNC, 0, r.take(0, (op) => parseImm32(op, 'function id'), 0)));
  } else if (isRegisterLike(target.text)) {
    out.slots.push(insn(code | Src.X, r.take(0, parseRegister, 0), 0, 0, 0));
  } else if (parseIntLiteral(target.text)) {
    out.slots.push(insn(code, 0, PseudoCall.HELPER, 0, r.take(0, (op) => parseImm32(op, 'helper id'), 0)));
  } else {
    const helper = helperByName(target.text);
    if (helper) {
      out.slots.push(insn(code, 0, PseudoCall.HELPER, 0, helper.id));
    } else if (mode === 'helper' && st.modifiers.length > 0) {
      r.problems.push({ column: target.column, endColumn: target.column + target.text.length, message: `unknown helper '${target.text}'; give its number or a name like bpf_map_lookup_elem` });
    } else {
      const t = r.take<Target>(0, (op) => parseTarget(op, 32), { kind: 'offset', value: 0 });
      if (t.kind === 'label') out.fixups.push({ slot: 0, field: 'imm', label: target, orHelper: true });
      out.slots.push(insn(code, 0, PseudoCall.CALL, 0, 0));
    }
  }
  out.problems.push(...r.problems);
  return out;
}

/** `lock [fetch] OP[32] [%rD+OFF], %rS` (modifier words: optional fetch, then OP). */
function encodeLock(st: Statement, out: Encoded): Encoded {
  const column = st.mnemonic?.column ?? 1;
  const usage = "write 'lock [fetch] OP [%rD+OFF], %rS' where OP is add, and, or, xor, xchg or cmpxchg (add32, xchg32, ... for 4-byte memory)";
  const words = st.modifiers.map((t) => t.text.toLowerCase());
  const fetch = words[0] === 'fetch';
  const opToken = fetch ? st.modifiers[1] : st.modifiers[0];
  if (!opToken) {
    out.problems.push({ column, endColumn: column + 4, message: `'lock' needs an operation: ${usage}` });
    return out;
  }
  const opName = opToken.text.toLowerCase();
  const m = /^(add|and|or|xor|xchg|cmpxchg)(32|64)?$/.exec(opName);
  if (!m) {
    out.problems.push({ column: opToken.column, endColumn: opToken.column + opToken.text.length, message: `'${opToken.text}' is not an atomic operation; ${usage}` });
    return out;
  }
  if (st.operands.length !== 2) {
    out.problems.push({
      column,
      endColumn: opToken.column + opToken.text.length,
      message: `'lock ${fetch ? 'fetch ' : ''}${opName}' takes 2 operands ([%rD+OFF], %rS), found ${st.operands.length}`,
    });
    return out;
  }
  const atomic = ATOMIC_OPS[m[1]];
  const size = m[2] === '32' ? Size.W : Size.DW;
  const r = new OperandReader(st.operands);
  const mem = r.take(0, parseMemory, { reg: 0, off: 0 });
  const src = r.take(1, parseRegister, 0);
  const imm = atomic.imm | (fetch || atomic.alwaysFetch ? AtomicOp.FETCH : 0);
  out.slots.push(insn(Cls.STX | Mode.ATOMIC | size, mem.reg, src, mem.off, imm));
  out.problems.push(...r.problems);
  return out;
}
