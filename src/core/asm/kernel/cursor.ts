/**
 * A cursor over one line's tokens with the small vocabulary the statement
 * parser needs (registers, immediates, memory operands). A syntax error
 * unwinds the statement with a LineError; the assembler turns it into a
 * Diagnostic and moves on to the next line, so all errors are collected.
 */
import type { Token } from '../lexer.ts';
import { parseInteger } from '../numbers.ts';

export interface Span {
  col: number;
  end: number;
}

/** A problem with one statement; caught per line, never escapes the assembler. */
export class LineError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
  }
}

export interface Reg {
  n: number;
  /** written as wN (32-bit subregister) */
  w: boolean;
  span: Span;
}

export interface Imm {
  value: bigint;
  text: string;
  span: Span;
}

export class Cursor {
  private i = 0;

  constructor(
    readonly tokens: readonly Token[],
    /** the whole line, for messages that quote it */
    readonly text: string,
    /** opcode from a pasted `(18)` prefix */
    readonly opcodeHint?: number,
  ) {}

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  /** span of the rest of the line from the current token */
  restSpan(): Span {
    const first = this.peek() ?? this.tokens[this.tokens.length - 1];
    const last = this.tokens[this.tokens.length - 1];
    return first && last ? { col: first.col, end: last.end } : { col: 1, end: 1 };
  }

  endSpan(): Span {
    const last = this.tokens[this.tokens.length - 1];
    return last ? { col: last.end, end: last.end + 1 } : { col: 1, end: 2 };
  }

  fail(message: string, span?: Span): never {
    throw new LineError(message, span ?? this.peek() ?? this.endSpan());
  }

  next(what: string): Token {
    const t = this.tokens[this.i];
    if (!t) this.fail(`expected ${what} but the line ended`, this.endSpan());
    this.i++;
    return t;
  }

  isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.kind === 'op' && t.text === text;
  }

  isIdent(text?: string, k = 0): boolean {
    const t = this.peek(k);
    return t?.kind === 'ident' && (text === undefined || t.text === text);
  }

  eatOp(text: string): Token | undefined {
    if (!this.isOp(text)) return undefined;
    return this.next(`'${text}'`);
  }

  eatIdent(text: string): Token | undefined {
    if (!this.isIdent(text)) return undefined;
    return this.next(`'${text}'`);
  }

  expectOp(text: string, context = ''): Token {
    const t = this.peek();
    if (t?.kind === 'op' && t.text === text) return this.next(`'${text}'`);
    const where = context ? ` ${context}` : '';
    if (!t) this.fail(`expected '${text}'${where} but the line ended`, this.endSpan());
    this.fail(`expected '${text}'${where} but found '${t.text}'`, t);
  }

  expectIdent(what: string): Token {
    const t = this.peek();
    if (t?.kind === 'ident') return this.next(what);
    if (!t) this.fail(`expected ${what} but the line ended`, this.endSpan());
    this.fail(`expected ${what} but found '${t.text}'`, t);
  }

  expectEnd(): void {
    const t = this.peek();
    if (t) this.fail(`unexpected '${t.text}' after the instruction`, this.restSpan());
  }

  /** Is the next token a register name (r0-r10 or w0-w10, or a bad number)? */
  isReg(k = 0): boolean {
    const t = this.peek(k);
    return t?.kind === 'ident' && /^[rw]\d+$/.test(t.text);
  }

  reg(role = 'a register'): Reg {
    const t = this.peek();
    if (!t) this.fail(`expected ${role} (r0-r10) but the line ended`, this.endSpan());
    const m = t.kind === 'ident' ? /^([rw])(\d+)$/.exec(t.text) : null;
    if (!m) this.fail(`expected ${role} (r0-r10) but found '${t.text}'`, t);
    const n = Number(m[2]);
    if (n > 10 || m[2].length > 2) this.fail(`register ${t.text} does not exist (${m[1]}0-${m[1]}10)`, t);
    this.i++;
    return { n, w: m[1] === 'w', span: t };
  }

  /** A 64-bit register operand (memory bases, pointers): wN is refused. */
  reg64(role = 'a register'): Reg {
    const r = this.reg(role);
    if (r.w) this.fail(`${role} must be a 64-bit register: write r${r.n}, not w${r.n}`, r.span);
    return r;
  }

  /** Is the next token the start of a number (`5`, `-5`, `+0x5`)? */
  isImm(k = 0): boolean {
    const t = this.peek(k);
    if (t?.kind === 'num') return true;
    return (this.isOp('-', k) || this.isOp('+', k)) && this.peek(k + 1)?.kind === 'num';
  }

  /** `[+-] number` as a BigInt, with the span covering the sign. */
  imm(what = 'a number'): Imm {
    const first = this.peek();
    let sign = 1n;
    if (this.isOp('-') || this.isOp('+')) {
      if (this.next('a sign').text === '-') sign = -1n;
    }
    const t = this.peek();
    if (t?.kind !== 'num') {
      if (!t) this.fail(`expected ${what} but the line ended`, this.endSpan());
      this.fail(`expected ${what} but found '${t.text}'`, t);
    }
    this.i++;
    const value = parseInteger(t.text);
    const span = { col: first!.col, end: t.end };
    return { value: sign * value, text: this.text.slice(span.col - 1, span.end - 1).replace(/\s+/g, ''), span };
  }

  /** `(rN)`, `(rN + 8)`, `(rN - 8)`, `(rN -8)`, `(rN + -8)` */
  mem(): { base: Reg; off: number; span: Span } {
    const open = this.expectOp('(', 'to start a memory operand like (r1 + 4)');
    const base = this.reg64('the base register');
    const off = this.memOffset();
    const close = this.expectOp(')', 'to close the memory operand');
    return { base, off, span: { col: open.col, end: close.end } };
  }

  /** `rN + 8` without parentheses, as LLVM's xchg_64/cmpxchg_64 print it. */
  bareMem(): { base: Reg; off: number } {
    const base = this.reg64('the base register');
    return { base, off: this.memOffset() };
  }

  private memOffset(): number {
    if (!this.isOp('+') && !this.isOp('-')) return 0;
    const sign = this.next('a sign').text === '-' ? -1n : 1n;
    const v = this.imm('an offset');
    const value = sign * v.value;
    if (value < -32768n || value > 32767n) this.fail(`offset ${sign < 0n ? '-' : ''}${v.text} does not fit in 16 bits (-32768..32767)`, v.span);
    return Number(value);
  }

  /** `(u32 *)` or `(s16 *)`: returns the type name. */
  sizeCast(): { name: string; span: Span } {
    const open = this.expectOp('(', "to start a size like '(u32 *)'");
    const t = this.expectIdent("a size: u8, u16, u32 or u64");
    this.expectOp('*', "in the size (like '(u32 *)')");
    const close = this.expectOp(')', 'to close the size');
    return { name: t.text, span: { col: open.col, end: close.end } };
  }
}
