/**
 * Operand parsers of the uBPF dialect. Each returns either a value or a
 * beginner-readable message saying what was expected.
 *
 *   register   %r0 .. %r10 (the `%` may be omitted)
 *   memory     [%r1], [%r1+4], [%r10-8], [%r1+0x10]
 *   immediate  5, -3, 0x1234
 *   target     +2, -1 (relative to the next instruction) or a label name
 */
import type { Token } from './syntax.ts';
import { fitSigned, looksNumeric, parseIntLiteral } from './literals.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });
const done = <T>(value: T): Parsed<T> => ({ ok: true, value });

const REGISTER = /^%?[rR]([0-9]+)$/;

export function isRegisterLike(text: string): boolean {
  return text.startsWith('%') || REGISTER.test(text);
}

export function parseRegister(op: Token): Parsed<number> {
  const m = REGISTER.exec(op.text);
  if (!m) {
    if (op.text.startsWith('[')) return fail(`expected a register like %r1 here, not the memory operand '${op.text}'`);
    return fail(`expected a register like %r1, found '${op.text}'`);
  }
  const n = Number(m[1]);
  if (n > 10) return fail(`register '${op.text}' does not exist; the registers are %r0 to %r10`);
  return done(n);
}

export interface MemOperand {
  reg: number;
  off: number;
}

const MEMORY = /^\[\s*([^\s+\-\]]+)\s*(?:([+-])\s*([^\]]*?))?\s*\]$/;

export function parseMemory(op: Token): Parsed<MemOperand> {
  const m = MEMORY.exec(op.text);
  if (!m) {
    return fail(`expected a memory operand like [%r1+4] or [%r10-8], found '${op.text}'`);
  }
  const reg = parseRegister({ text: m[1], column: op.column });
  if (!reg.ok) return fail(`in memory operand '${op.text}': ${reg.message}`);
  if (m[2] === undefined) return done({ reg: reg.value, off: 0 });
  const offText = `${m[2]}${m[3]}`;
  const lit = parseIntLiteral(offText);
  if (!lit) return fail(`in memory operand '${op.text}': expected a number after '${m[2]}', found '${m[3]}'`);
  const fit = fitSigned(lit, 16, 'offset', offText);
  return fit.ok ? done({ reg: reg.value, off: fit.value }) : fail(fit.message);
}

export function parseImm32(op: Token, what = 'immediate'): Parsed<number> {
  const lit = parseIntLiteral(op.text);
  if (!lit) {
    if (isRegisterLike(op.text)) return fail(`expected a number here, found the register '${op.text}'`);
    return fail(`expected a number like 5, -3 or 0x1f, found '${op.text}'`);
  }
  const fit = fitSigned(lit, 32, what, op.text);
  return fit.ok ? done(fit.value) : fail(fit.message);
}

/** A jump or call target: a signed relative offset, or a label to resolve later. */
export type Target = { kind: 'offset'; value: number } | { kind: 'label'; name: string };

const LABEL_NAME = /^[A-Za-z_.$][\w.$]*$/;

export function parseTarget(op: Token, bits: 16 | 32): Parsed<Target> {
  if (looksNumeric(op.text)) {
    const lit = parseIntLiteral(op.text);
    if (!lit) return fail(`expected a jump offset like +2 or -1, or a label name, found '${op.text}'`);
    const fit = fitSigned(lit, bits, 'jump offset', op.text);
    return fit.ok ? done({ kind: 'offset', value: fit.value }) : fail(fit.message);
  }
  if (LABEL_NAME.test(op.text) && !REGISTER.test(op.text)) return done({ kind: 'label', name: op.text });
  return fail(`expected a jump offset like +2 or -1, or a label name, found '${op.text}'`);
}
