/**
 * The data a `.init` or `.rodata` directive writes into a map: a number
 * (little-endian, as the machine stores it), a C string `"text\n"`, or hex
 * bytes `x"0a 00 00 01"`. Parsing keeps the literal's span; fitting it to a
 * key or value size happens later, once the map's sizes are known.
 */
import { hexToBytes } from '../../isa/insn.ts';
import { decodeCString } from '../c-string.ts';
import { Cursor, LineError, Span } from './cursor.ts';

export type DataLiteral =
  | { kind: 'number'; value: bigint; text: string; span: Span }
  | { kind: 'string'; bytes: Uint8Array; span: Span }
  | { kind: 'hex'; bytes: Uint8Array; span: Span };

const WHAT = 'a number, a "string" or hex bytes like x"0a000001"';

function isHexPrefix(c: Cursor): boolean {
  const x = c.peek();
  const s = c.peek(1);
  return x?.kind === 'ident' && x.text === 'x' && s?.kind === 'str' && s.col === x.end;
}

export function parseDataLiteral(c: Cursor, role: string): DataLiteral {
  const t = c.peek();
  if (t?.kind === 'str') {
    c.next('a string');
    const d = decodeCString(t.text);
    // +1: the token's column is its opening quote
    if (!d.ok) c.fail(d.message, { col: t.col + 1 + d.offset, end: t.col + 1 + d.offset + d.length });
    return { kind: 'string', bytes: d.bytes, span: t };
  }
  if (isHexPrefix(c)) {
    const x = c.next('x');
    const s = c.next('hex bytes');
    const span = { col: x.col, end: s.end };
    const h = hexToBytes(s.text);
    if (!h.ok) c.fail(`x"${s.text}" is not hex bytes (${h.error}); write two hex digits per byte, like x"0a000001"`, span);
    return { kind: 'hex', bytes: h.bytes, span };
  }
  if (!c.isImm()) {
    if (!t) c.fail(`expected ${role}: ${WHAT}, but the line ended`, c.endSpan());
    c.fail(`expected ${role}: ${WHAT}, but found '${t.text}'`, t);
  }
  const v = c.imm(role);
  return { kind: 'number', value: v.value, text: v.text, span: v.span };
}

/**
 * The literal as exactly `size` bytes: numbers little-endian (negative ones
 * in two's complement), strings and hex bytes padded with zeros. A literal
 * that does not fit is an error at its span.
 */
export function fitDataLiteral(lit: DataLiteral, size: number, role: string): Uint8Array {
  const out = new Uint8Array(size);
  if (lit.kind === 'number') {
    const bits = BigInt(size * 8);
    const fits = size > 0 && lit.value >= -(1n << (bits - 1n)) && lit.value < 1n << bits;
    if (!fits) throw new LineError(`${lit.text} does not fit in the ${size}-byte ${role}`, lit.span);
    let u = BigInt.asUintN(size * 8, lit.value);
    for (let i = 0; i < size; i++, u >>= 8n) out[i] = Number(u & 0xffn);
    return out;
  }
  if (lit.bytes.length > size) {
    const what = lit.kind === 'string' ? 'string' : 'hex data';
    throw new LineError(`the ${what} is ${lit.bytes.length} bytes, more than the ${size}-byte ${role}`, lit.span);
  }
  out.set(lit.bytes);
  return out;
}
