/**
 * One statement of the kernel/LLVM pseudo-C syntax → instruction slots.
 * Label, helper and map names are left as fixups for the assembler's second
 * pass, once every label and `.map` is known.
 */
import { helperByName } from '../../isa/helpers.ts';
import { Insn, insn } from '../../isa/insn.ts';
import { AluOp, AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, PseudoLd, Size, Src } from '../../isa/opcodes.ts';
import { ALU_ASSIGN_OPS, ATOMIC_ALU, JMP_COND_OPS, MOVSX_OFF_BY_NAME, SIZE_BY_NAME, SX_SIZE_BY_NAME } from '../names.ts';
import { fitsImm32, fitsImm64, fitsOff16, splitImm64, toImm32 } from '../numbers.ts';
import { Cursor, Imm, Reg, Span } from './cursor.ts';

/** A name resolved in the second pass; the slot's off or imm gets the result. */
export interface Fixup {
  /**
   * jump: a label, relative offset into `field`.
   * call: a label (bpf-to-bpf call) or else a helper name.
   * func: a label, LD_IMM64 src=4 with relative imm.
   * symbol: LD_IMM64 `r1 = NAME ll`, a map (src=1) or else a label (src=4).
   * map / mapValue: a map by name (src=1 / src=2).
   */
  kind: 'jump' | 'call' | 'func' | 'symbol' | 'map' | 'mapValue';
  name: string;
  field: 'off' | 'imm';
  span: Span;
}

export interface Statement {
  slots: Insn[];
  fixup?: Fixup;
  /** a numeric map index that should exist when maps are declared */
  mapIndex?: { index: number; span: Span };
  /** assembled, but worth a word to the user */
  warning?: { message: string; span: Span };
}

const JUMP_WORDS = new Set(['goto', 'gotol', 'may_goto', 'ja']);

/** Parse one instruction; throws LineError (caught by the assembler) on bad syntax. */
export function parseStatement(c: Cursor): Statement {
  const first = c.peek()!;
  let st: Statement;
  if (first.kind === 'op' && first.text === '*') st = parseStore(c);
  else if (first.kind !== 'ident') c.fail(unknownInstruction(c), c.restSpan());
  else if (first.text === 'lock') st = parseLock(c);
  else if (first.text === 'if') st = parseCondJump(c);
  else if (JUMP_WORDS.has(first.text)) st = parseJump(c);
  else if (first.text === 'call') st = parseCall(c);
  else if (first.text === 'callx') {
    c.next('callx');
    st = { slots: [insn(Cls.JMP | JmpOp.CALL | Src.X, c.reg64('the call target register').n)] };
  } else if (first.text === 'exit') {
    c.next('exit');
    st = { slots: [insn(Cls.JMP | JmpOp.EXIT)] };
  } else if (first.text === 'store_release') st = parseStoreRelease(c);
  else if (c.isReg()) st = parseAssignment(c);
  else c.fail(unknownInstruction(c), c.restSpan());
  c.expectEnd();
  return st;
}

function unknownInstruction(c: Cursor): string {
  const text = c.text.trim();
  const base = `unknown instruction '${text}'; expected an instruction like 'r1 += 2', 'r0 = *(u32 *)(r1 + 4)', 'if r1 > 5 goto +2', 'call bpf_map_lookup_elem' or 'exit'`;
  // `mov %r1, 2` / `ldxw r0, [r1+4]`: mnemonic first, operands separated by commas
  const looksUbpf = /%r\d/.test(text) || /^[a-z][a-z0-9]*\s+[^=]*,/.test(text);
  return looksUbpf ? `${base} (this looks like the uBPF mnemonic dialect; choose it with --dialect ubpf)` : base;
}

function imm32(c: Cursor, v: Imm): number {
  if (!fitsImm32(v.value)) c.fail(`immediate ${v.text} does not fit in 32 bits (-0x80000000..0xffffffff)`, v.span);
  return toImm32(v.value);
}

function sameWidth(c: Cursor, a: Reg, b: Reg): void {
  if (a.w !== b.w) {
    const [w, r] = a.w ? [a, b] : [b, a];
    c.fail(`w${w.n} is a 32-bit register and r${r.n} is 64-bit; use wN for both (32-bit) or rN for both (64-bit)`, r.span);
  }
}

// ---- memory -------------------------------------------------------------

function storeSize(c: Cursor): number {
  const cast = c.sizeCast();
  const sz = SIZE_BY_NAME[cast.name];
  if (sz === undefined) c.fail(`'${cast.name}' is not a store size; expected u8, u16, u32 or u64`, cast.span);
  return sz;
}

/** `*(u32 *)(r10 - 4) = r1` / `= 5` */
function parseStore(c: Cursor): Statement {
  c.expectOp('*');
  const sz = storeSize(c);
  const mem = c.mem();
  c.expectOp('=', 'after the memory operand');
  if (c.isReg()) {
    const src = c.reg('the value register');
    return { slots: [insn(Cls.STX | Mode.MEM | sz, mem.base.n, src.n, mem.off)] };
  }
  const v = c.imm('a register or a number to store');
  return { slots: [insn(Cls.ST | Mode.MEM | sz, mem.base.n, 0, mem.off, imm32(c, v))] };
}

/** `lock *(u64 *)(r1 + 0) += r2` */
function parseLock(c: Cursor): Statement {
  c.next('lock');
  c.expectOp('*', "after 'lock' (like 'lock *(u64 *)(r1 + 0) += r2')");
  const sz = atomicSize(c, storeSize(c), c.peek());
  const mem = c.mem();
  const opTok = c.next("an atomic operator: +=, |=, &= or ^=");
  const a = ATOMIC_ALU.find((x) => x.assign === opTok.text);
  if (!a) c.fail(`'${opTok.text}' is not an atomic operation; expected +=, |=, &= or ^=`, opTok);
  const src = c.reg('the value register');
  return { slots: [insn(Cls.STX | Mode.ATOMIC | sz, mem.base.n, src.n, mem.off, a.op)] };
}

function atomicSize(c: Cursor, sz: number, at: Span | undefined): number {
  if (sz !== Size.W && sz !== Size.DW) c.fail('atomic read-modify-write operations work on u32 or u64 only', at);
  return sz;
}

/** `store_release((u64 *)(r1 + 0), r2)` */
function parseStoreRelease(c: Cursor): Statement {
  c.next('store_release');
  c.expectOp('(', "after 'store_release'");
  const sz = storeSize(c);
  const mem = c.mem();
  c.expectOp(',', 'between the address and the value');
  const src = c.reg('the value register');
  c.expectOp(')', 'to close store_release(...)');
  return { slots: [insn(Cls.STX | Mode.ATOMIC | sz, mem.base.n, src.n, mem.off, AtomicOp.STORE_REL)] };
}

// ---- jumps and calls ----------------------------------------------------

type Target = { rel: number; span: Span } | { label: string; span: Span };

/** `+3`, `-1`, `3`, `pc+3`, `pc-1`, `label` */
function parseTarget(c: Cursor): Target {
  const t = c.peek();
  if (c.isIdent('pc') && (c.isOp('+', 1) || c.isOp('-', 1))) {
    c.next('pc');
    const v = c.imm('a jump offset');
    return { rel: relValue(c, v), span: { col: t!.col, end: v.span.end } };
  }
  if (c.isImm()) {
    const v = c.imm('a jump offset');
    return { rel: relValue(c, v), span: v.span };
  }
  const name = c.expectIdent("a jump target: a label or an offset like +2");
  return { label: name.text, span: name };
}

function relValue(c: Cursor, v: Imm): number {
  if (!fitsInt32Big(v.value)) c.fail(`jump offset ${v.text} does not fit in 32 bits`, v.span);
  return Number(v.value);
}

function fitsInt32Big(v: bigint): boolean {
  return v >= -(1n << 31n) && v < 1n << 31n;
}

function withTarget(c: Cursor, slot: Insn, target: Target, field: 'off' | 'imm', kind: Fixup['kind'] = 'jump'): Statement {
  if ('label' in target) return { slots: [slot], fixup: { kind, name: target.label, field, span: target.span } };
  if (field === 'off' && !fitsOff16(target.rel)) {
    c.fail(`jump offset ${target.rel} does not fit in 16 bits (-32768..32767); use 'gotol' for long unconditional jumps`, target.span);
  }
  slot[field] = target.rel;
  return { slots: [slot] };
}

/** `goto +3`, `gotol label`, `may_goto +2` */
function parseJump(c: Cursor): Statement {
  const word = c.next('a jump').text;
  const target = parseTarget(c);
  if (word === 'gotol') return withTarget(c, insn(Cls.JMP32 | JmpOp.JA), target, 'imm');
  if (word === 'may_goto') return withTarget(c, insn(Cls.JMP | JmpOp.JCOND), target, 'off');
  return withTarget(c, insn(Cls.JMP | JmpOp.JA), target, 'off');
}

/** `if r1 s> 0x5 goto +2`, `if w1 & w2 goto label` */
function parseCondJump(c: Cursor): Statement {
  c.next('if');
  const dst = c.reg('the register to compare');
  const opTok = c.next('a comparison like ==, !=, >, s<, &');
  const op = opTok.kind === 'op' ? JMP_COND_OPS[opTok.text] : undefined;
  if (op === undefined) c.fail(`'${opTok.text}' is not a comparison; expected one of == != > >= < <= & s> s>= s< s<=`, opTok);
  const cls = dst.w ? Cls.JMP32 : Cls.JMP;
  let slot: Insn;
  if (c.isReg()) {
    const src = c.reg('the register to compare with');
    sameWidth(c, dst, src);
    slot = insn(cls | op | Src.X, dst.n, src.n);
  } else {
    const v = c.imm('a register or a number to compare with');
    slot = insn(cls | op | Src.K, dst.n, 0, 0, imm32(c, v));
  }
  const gotoTok = c.peek();
  if (!c.eatIdent('goto')) c.fail(`expected 'goto' after the comparison but found '${gotoTok?.text ?? 'the end of the line'}'`, gotoTok ?? c.endSpan());
  return withTarget(c, slot, parseTarget(c), 'off');
}

/** `call bpf_map_lookup_elem`, `call bpf_map_lookup_elem#1`, `call 1`, `call pc+3`, `call my_subprog`, `call kfunc 1234` */
function parseCall(c: Cursor): Statement {
  c.next('call');
  if (c.isIdent('pc') && (c.isOp('+', 1) || c.isOp('-', 1))) {
    const target = parseTarget(c);
    return withTarget(c, insn(Cls.JMP | JmpOp.CALL, 0, PseudoCall.CALL), target, 'imm');
  }
  if (c.isImm()) {
    const v = c.imm('a helper id');
    return { slots: [insn(Cls.JMP | JmpOp.CALL, 0, PseudoCall.HELPER, 0, imm32(c, v))] };
  }
  if (c.isIdent('kfunc') && c.isImm(1)) {
    c.next('kfunc');
    const v = c.imm('a kfunc BTF id');
    return { slots: [insn(Cls.JMP | JmpOp.CALL, 0, PseudoCall.KFUNC, 0, imm32(c, v))] };
  }
  const name = c.expectIdent('a helper name, a helper id or a function label');
  if (c.eatOp('#')) {
    // the verifier log form `bpf_map_lookup_elem#1` / `unknown#300`: the id is authoritative
    const v = c.imm('a helper id after #');
    return { slots: [insn(Cls.JMP | JmpOp.CALL, 0, PseudoCall.HELPER, 0, imm32(c, v))] };
  }
  return { slots: [insn(Cls.JMP | JmpOp.CALL)], fixup: { kind: 'call', name: name.text, field: 'imm', span: name } };
}

/** Helper id for a name, for the second pass. */
export function helperIdByName(name: string): number | undefined {
  return helperByName(name)?.id;
}

// ---- assignments ----------------------------------------------------------

function parseAssignment(c: Cursor): Statement {
  const dst = c.reg('the destination register');
  const opTok = c.next('an assignment operator like = or +=');
  if (opTok.kind === 'op' && opTok.text === '=') {
    const after = c.peek();
    if (after && after.col === opTok.end && after.kind === 'op' && (after.text === '+' || after.text === '*' || after.text === '|' || after.text === '&' || after.text === '^')) {
      const rest = c.text.slice(after.end - 1).trim() || '2';
      const reg = `${dst.w ? 'w' : 'r'}${dst.n}`;
      c.fail(`unknown instruction '${c.text.trim()}'; expected an assignment like '${reg} ${after.text}= ${rest}' (the operator comes before '=')`, { col: opTok.col, end: after.end });
    }
    return parseMoveLike(c, dst);
  }
  const alu = opTok.kind === 'op' ? ALU_ASSIGN_OPS[opTok.text] : undefined;
  if (!alu) c.fail(`unknown instruction '${c.text.trim()}'; expected an assignment like 'r${dst.n} += 2' or 'r${dst.n} = r2'`, opTok);
  const cls = dst.w ? Cls.ALU : Cls.ALU64;
  const off = alu.signed ? 1 : 0;
  if (c.isReg()) {
    const src = c.reg('the source register');
    sameWidth(c, dst, src);
    return { slots: [insn(cls | alu.op | Src.X, dst.n, src.n, off)] };
  }
  const v = c.imm('a register or a number');
  return { slots: [insn(cls | alu.op | Src.K, dst.n, 0, off, imm32(c, v))] };
}

/** Everything of the form `rN = ...`. */
function parseMoveLike(c: Cursor, dst: Reg): Statement {
  const cls = dst.w ? Cls.ALU : Cls.ALU64;
  // r1 = -r1
  if (c.isOp('-') && c.isReg(1)) {
    c.next('-');
    const src = c.reg();
    if (src.n !== dst.n || src.w !== dst.w) c.fail(`negation works in place: write '${dst.w ? 'w' : 'r'}${dst.n} = -${dst.w ? 'w' : 'r'}${dst.n}'`, src.span);
    return { slots: [insn(cls | AluOp.NEG, dst.n)] };
  }
  if (c.isImm()) return parseConstant(c, dst);
  if (c.isReg()) {
    const src = c.reg('the source register');
    sameWidth(c, dst, src);
    return { slots: [insn(cls | AluOp.MOV | Src.X, dst.n, src.n)] };
  }
  if (c.isOp('(')) return parseMovsx(c, dst);
  if (c.isOp('*')) return parseLoad(c, dst);
  if (c.isOp('&')) {
    c.next('&');
    const name = c.expectIdent('a function label after &');
    return ldPseudo(c, dst, PseudoLd.FUNC, 0, 0, { kind: 'func', name: name.text, field: 'imm', span: name });
  }
  const word = c.peek();
  if (word?.kind !== 'ident') c.fail(unknownInstruction(c), c.restSpan());
  const endian = /^(le|be|bswap)(16|32|64)$/.exec(word.text);
  if (endian) return parseEndian(c, dst, endian[1], Number(endian[2]));
  const atomic = parseAtomicRhs(c, dst);
  if (atomic) return atomic;
  if (word.text === 'addr_space_cast') return parseAddrSpaceCast(c, dst);
  return parseLdImm64Symbol(c, dst);
}

/** `r1 = 5`, `w1 = -1`, `r1 = 0x1234567890 ll` */
function parseConstant(c: Cursor, dst: Reg): Statement {
  const v = c.imm('a number');
  // the verifier log prints LD_IMM64 without `ll`; its `(18)` prefix tells
  if (c.eatIdent('ll') || c.opcodeHint === LD_IMM64_CODE) {
    if (dst.w) c.fail(`a 64-bit constant ('ll') needs a 64-bit register: write r${dst.n}`, dst.span);
    if (!fitsImm64(v.value)) c.fail(`constant ${v.text} does not fit in 64 bits`, v.span);
    const { lo, hi } = splitImm64(v.value);
    return { slots: [insn(LD_IMM64_CODE, dst.n, 0, 0, lo), insn(0, 0, 0, 0, hi)] };
  }
  if (!fitsImm32(v.value)) {
    const hint = dst.w ? '' : `; for a 64-bit constant write 'r${dst.n} = ${v.text} ll'`;
    c.fail(`immediate ${v.text} does not fit in 32 bits${hint}`, v.span);
  }
  return { slots: [insn((dst.w ? Cls.ALU : Cls.ALU64) | AluOp.MOV | Src.K, dst.n, 0, 0, toImm32(v.value))] };
}

/** `r1 = (s8)r2`, `w1 = (s16)w2`, `r1 = (s32)r2` */
function parseMovsx(c: Cursor, dst: Reg): Statement {
  const open = c.expectOp('(');
  const t = c.expectIdent('s8, s16 or s32');
  const close = c.expectOp(')', 'after the sign-extension type');
  const off = MOVSX_OFF_BY_NAME[t.text];
  if (off === undefined) c.fail(`'(${t.text})' is not a sign extension; expected (s8), (s16) or (s32)`, { col: open.col, end: close.end });
  if (off === 32 && dst.w) c.fail('(s32) sign extension needs 64-bit registers: r1 = (s32)r2', t);
  const src = c.reg('the source register');
  sameWidth(c, dst, src);
  return { slots: [insn((dst.w ? Cls.ALU : Cls.ALU64) | AluOp.MOV | Src.X, dst.n, src.n, off)] };
}

/** `r0 = *(u32 *)(r1 + 4)`, `r0 = *(s16 *)(r1 + 2)`, `r0 = *(u8 *)skb[23]`, `r0 = *(u16 *)skb[r1 + 4]` */
function parseLoad(c: Cursor, dst: Reg): Statement {
  c.expectOp('*');
  const cast = c.sizeCast();
  if (c.isIdent('skb')) return parseLegacyLoad(c, dst, cast);
  const mem = c.mem();
  const sz = SIZE_BY_NAME[cast.name];
  if (sz !== undefined) return { slots: [insn(Cls.LDX | Mode.MEM | sz, dst.n, mem.base.n, mem.off)] };
  const sx = SX_SIZE_BY_NAME[cast.name];
  if (sx !== undefined) return { slots: [insn(Cls.LDX | Mode.MEMSX | sx, dst.n, mem.base.n, mem.off)] };
  c.fail(`'${cast.name}' is not a load size; expected u8, u16, u32, u64 or (sign-extending) s8, s16, s32`, cast.span);
}

function parseLegacyLoad(c: Cursor, dst: Reg, cast: { name: string; span: Span }): Statement {
  c.next('skb');
  const sz = SIZE_BY_NAME[cast.name];
  if (sz === undefined || sz === Size.DW) c.fail(`packet loads (skb[...]) read u8, u16 or u32, not ${cast.name}`, cast.span);
  if (dst.n !== 0) c.fail('legacy packet loads (skb[...]) always write r0', dst.span);
  c.expectOp('[', "after 'skb'");
  let slot: Insn;
  if (c.isReg()) {
    const src = c.reg64('the index register');
    let value = 0n;
    let text = '0';
    let span: Span = src.span;
    if (c.isOp('+') || c.isOp('-')) {
      const sign = c.next('a sign').text === '-' ? -1n : 1n;
      const v = c.imm('an offset');
      value = sign * v.value;
      text = v.text;
      span = v.span;
    }
    const imm = imm32(c, { value, text, span });
    slot = insn(Cls.LD | Mode.IND | sz, 0, src.n, 0, imm);
  } else {
    slot = insn(Cls.LD | Mode.ABS | sz, 0, 0, 0, imm32(c, c.imm('a packet offset')));
  }
  c.expectOp(']', 'to close skb[...]');
  return { slots: [slot] };
}

/** `r1 = be16 r1` (ALU), `r1 = le32 r1` (ALU), `r1 = bswap64 r1` (ALU64) */
function parseEndian(c: Cursor, dst: Reg, kind: string, bits: number): Statement {
  c.next('an endianness conversion');
  const src = c.reg('the register to convert');
  if (src.n !== dst.n) c.fail(`byte swaps work in place: write 'r${dst.n} = ${kind}${bits} r${dst.n}'`, src.span);
  const code = kind === 'bswap' ? Cls.ALU64 | AluOp.END : Cls.ALU | AluOp.END | (kind === 'be' ? Src.X : Src.K);
  return { slots: [insn(code, dst.n, 0, 0, bits)] };
}

/** `r1 = addr_space_cast(r2, 0, 1)` */
function parseAddrSpaceCast(c: Cursor, dst: Reg): Statement {
  c.next('addr_space_cast');
  c.expectOp('(', "after 'addr_space_cast'");
  const src = c.reg64('the source register');
  c.expectOp(',');
  const from = c.imm('the source address space');
  c.expectOp(',');
  const to = c.imm('the destination address space');
  c.expectOp(')', 'to close addr_space_cast(...)');
  for (const v of [from, to]) if (v.value < 0n || v.value > 0xffffn) c.fail(`address space ${v.text} does not fit in 16 bits`, v.span);
  return { slots: [insn(Cls.ALU64 | AluOp.MOV | Src.X, dst.n, src.n, 1, Number((from.value << 16n) | to.value))] };
}

/**
 * Atomic forms with a result: the kernel's `atomic64_fetch_add((u64 *)(r1 +0), r2)`,
 * `atomic_xchg(...)`, `atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)`, `load_acquire((u64 *)(r1 +0))`,
 * and LLVM's `atomic_fetch_add((u64 *)(r1 + 0), r2)`, `xchg_64(r1 + 0, r2)`,
 * `xchg32_32(r1 + 0, w2)`, `cmpxchg_64(r1 + 0, r0, r2)`, `cmpxchg32_32(...)`.
 */
function parseAtomicRhs(c: Cursor, dst: Reg): Statement | undefined {
  const word = c.peek()!.text;
  if (word === 'load_acquire') {
    c.next(word);
    c.expectOp('(', "after 'load_acquire'");
    const sz = storeSize(c);
    const mem = c.mem();
    c.expectOp(')', 'to close load_acquire(...)');
    return { slots: [insn(Cls.STX | Mode.ATOMIC | sz, dst.n, mem.base.n, mem.off, AtomicOp.LOAD_ACQ)] };
  }
  const fetch = /^atomic(64)?_fetch_(add|or|and|xor)$/.exec(word);
  const xchg = /^atomic(64)?_xchg$/.exec(word);
  const cmpxchg = /^atomic(64)?_cmpxchg$/.exec(word);
  const llvm = /^(xchg|cmpxchg)(32_32|_64)$/.exec(word);
  if (!fetch && !xchg && !cmpxchg && !llvm) return undefined;
  const wordTok = c.next(word);
  c.expectOp('(', `after '${word}'`);
  let sz: number;
  let mem: { base: Reg; off: number };
  if (llvm) {
    sz = llvm[2] === '_64' ? Size.DW : Size.W;
    mem = c.bareMem();
  } else {
    sz = atomicSize(c, storeSize(c), wordTok);
    mem = c.mem();
  }
  const is64Name = llvm ? llvm[2] === '_64' : (fetch ?? xchg ?? cmpxchg)![1] === '64';
  if (!llvm && is64Name && sz !== Size.DW) c.fail(`${word} works on u64; use ${word.replace('64', '')} for u32`, wordTok);
  c.expectOp(',', 'after the address');
  const isCmpxchg = cmpxchg !== null || llvm?.[1] === 'cmpxchg';
  if (isCmpxchg) {
    const expected = c.reg('the expected-value register (r0)');
    if (expected.n !== 0 || dst.n !== 0) c.fail('cmpxchg compares with r0 and returns the old value in r0: r0 = cmpxchg_64(r1 + 0, r0, r2)', expected.n !== 0 ? expected.span : dst.span);
    c.expectOp(',', 'after r0');
  }
  const src = c.reg('the value register');
  c.expectOp(')', `to close ${word}(...)`);
  let op: number;
  if (isCmpxchg) op = AtomicOp.CMPXCHG;
  else if (xchg || llvm) op = AtomicOp.XCHG;
  else op = ATOMIC_ALU.find((a) => a.name === fetch![2])!.op | AtomicOp.FETCH;
  if (!isCmpxchg && src.n !== dst.n) c.fail(`the result goes to the value register: write 'r${src.n} = ${word}(...)'`, dst.span);
  return { slots: [insn(Cls.STX | Mode.ATOMIC | sz, mem.base.n, src.n, mem.off, op)] };
}

/**
 * Pseudo LD_IMM64 forms: `map[NAME]`, `map[0]`, `map[id:5]`, `map[NAME][0] + 8`,
 * `map_value[NAME] + 8`, `map_value(NAME) + 8`, bpftool's `map[idx:N]` and
 * `map[idx:N]+8` (src 5/6), `func label`, `btf_id[N]`,
 * `map_idx[N]`, `map_idx_value[N] + 8`, and a bare `NAME` (a map, else a
 * function label), each optionally followed by `ll`.
 */
function parseLdImm64Symbol(c: Cursor, dst: Reg): Statement {
  if (dst.w) c.fail(`loading an address needs a 64-bit register: write r${dst.n}`, dst.span);
  const wordTok = c.next('a value');
  const word = wordTok.text;
  let st: Statement;
  if (word === 'map' || word === 'map_value') {
    const ref = bracketRef(c, word);
    let isValue = word === 'map_value';
    if (word === 'map' && c.isOp('[')) {
      c.next('[');
      const key = c.imm('0 (direct value access is to element 0)');
      if (key.value !== 0n) c.fail('only element [0] of a map can be addressed directly', key.span);
      c.expectOp(']');
      isValue = true;
    }
    // bpftool's `map[idx:N]+8` (fd_array index) has no [0]
    if ('by' in ref && ref.by === 'idx' && (c.isOp('+') || c.isOp('-'))) isValue = true;
    const off = isValue ? valueOffset(c) : 0;
    if ('name' in ref) {
      st = ldPseudo(c, dst, isValue ? PseudoLd.MAP_VALUE : PseudoLd.MAP_FD, 0, off, { kind: isValue ? 'mapValue' : 'map', name: ref.name, field: 'imm', span: ref.span });
    } else if (ref.by === 'idx') {
      st = ldPseudo(c, dst, isValue ? PseudoLd.MAP_IDX_VALUE : PseudoLd.MAP_IDX, ref.index, off);
    } else {
      st = ldPseudo(c, dst, isValue ? PseudoLd.MAP_VALUE : PseudoLd.MAP_FD, ref.index, off);
      if (ref.by === 'index') st.mapIndex = { index: ref.index, span: ref.span };
      // bpftool prints kernel map ids; there are no kernel ids here, only the program's maps
      else st.warning = { message: `map[id:${ref.index}] names a kernel map id; bpfiddle uses it as map index ${ref.index}`, span: ref.span };
    }
  } else if (word === 'map_idx' || word === 'map_idx_value' || word === 'btf_id') {
    const ref = bracketRef(c, word);
    if ('name' in ref) c.fail(`${word}[...] takes a number`, ref.span);
    const src = word === 'btf_id' ? PseudoLd.BTF_ID : word === 'map_idx' ? PseudoLd.MAP_IDX : PseudoLd.MAP_IDX_VALUE;
    st = ldPseudo(c, dst, src, ref.index, word === 'map_idx_value' ? valueOffset(c) : 0);
  } else if (word === 'func' && !c.isIdent('ll') && !c.atEnd()) {
    const target = parseTarget(c);
    if ('label' in target) st = ldPseudo(c, dst, PseudoLd.FUNC, 0, 0, { kind: 'func', name: target.label, field: 'imm', span: target.span });
    else st = ldPseudo(c, dst, PseudoLd.FUNC, target.rel, 0);
  } else {
    st = ldPseudo(c, dst, 0, 0, 0, { kind: 'symbol', name: word, field: 'imm', span: wordTok });
  }
  c.eatIdent('ll');
  return st;
}

type BracketRef = { name: string; span: Span } | { index: number; by: 'index' | 'id' | 'idx'; span: Span };

/** `[NAME]`, `[3]`, `[id:5]`, or with parentheses: `(NAME)` */
function bracketRef(c: Cursor, word: string): BracketRef {
  const open = c.isOp('(') ? '(' : '[';
  const close = open === '(' ? ')' : ']';
  c.expectOp(open, `after '${word}' (like ${word}[name])`);
  let ref: BracketRef;
  if ((c.isIdent('id') || c.isIdent('idx')) && c.isOp(':', 1)) {
    const idTok = c.next('id');
    c.next(':');
    const v = c.imm(idTok.text === 'id' ? 'a map id' : 'an fd_array index');
    ref = { index: indexValue(c, v), by: idTok.text === 'id' ? 'id' : 'idx', span: { col: idTok.col, end: v.span.end } };
  } else if (c.isImm()) {
    const v = c.imm('a map index');
    ref = { index: indexValue(c, v), by: 'index', span: v.span };
  } else {
    const name = c.expectIdent('a map name or index');
    ref = { name: name.text, span: name };
  }
  c.expectOp(close, `to close ${word}${open}...${close}`);
  return ref;
}

function indexValue(c: Cursor, v: Imm): number {
  if (v.value < 0n || v.value > 0x7fffffffn) c.fail(`index ${v.text} must be between 0 and 0x7fffffff`, v.span);
  return Number(v.value);
}

/** optional `+ 16` after a map value reference (the second slot's imm) */
function valueOffset(c: Cursor): number {
  if (!c.isOp('+') && !c.isOp('-')) return 0;
  const sign = c.next('+').text === '-' ? -1n : 1n;
  const v = c.imm('a value offset');
  const value = sign * v.value;
  if (value < -(1n << 31n) || value >= 1n << 31n) c.fail(`value offset ${v.text} does not fit in 32 bits`, v.span);
  return Number(value);
}

function ldPseudo(_c: Cursor, dst: Reg, src: number, imm: number, imm2: number, fixup?: Fixup): Statement {
  return { slots: [insn(LD_IMM64_CODE, dst.n, src, 0, imm), insn(0, 0, 0, 0, imm2)], fixup };
}
