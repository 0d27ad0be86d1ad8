/**
 * Integer literals of the uBPF / bpf_conformance dialect: decimal or hex
 * (`0x`), with an optional sign. BigInt keeps 64-bit `lddw` constants exact;
 * the assembler is not a hot path.
 *
 * Range rules follow the bpf_conformance negative tests: a decimal 32-bit
 * immediate must fit a signed int (invalid_imm32_dec_range rejects
 * 2147483648), while hex may spell any 32-bit pattern up to 0xffffffff
 * (invalid_imm32_hex_range rejects 0x100000000). Offsets work the same way at
 * 16 bits (invalid_offset_range rejects 0x10000).
 */

export interface IntLiteral {
  value: bigint;
  hex: boolean;
}

const LITERAL = /^([+-]?)(0[xX][0-9a-fA-F]+|[0-9]+)$/;

export function parseIntLiteral(text: string): IntLiteral | null {
  const m = LITERAL.exec(text);
  if (!m) return null;
  const magnitude = BigInt(m[2]);
  return { value: m[1] === '-' ? -magnitude : magnitude, hex: /^0[xX]/.test(m[2]) };
}

export function looksNumeric(text: string): boolean {
  return /^[+-]?[0-9]/.test(text);
}

export type Fit = { ok: true; value: number } | { ok: false; message: string };

/**
 * A value for a field of `bits` bits (32 for imm, 16 for off), returned
 * as the signed number the Insn model stores.
 */
export function fitSigned(lit: IntLiteral, bits: 16 | 32, what: string, text: string): Fit {
  const half = 1n << BigInt(bits - 1);
  const full = 1n << BigInt(bits);
  const min = -half;
  const max = lit.hex ? full - 1n : half - 1n;
  if (lit.value < min || lit.value > max) {
    const range = lit.hex
      ? `-0x${half.toString(16)}..0x${(full - 1n).toString(16)}`
      : `${min}..${half - 1n}`;
    const hint = lit.hex || lit.value < min || lit.value >= full ? '' : `; write 0x${lit.value.toString(16)} for that bit pattern`;
    return { ok: false, message: `${what} ${text} does not fit in ${bits} bits (allowed: ${range})${hint}` };
  }
  return { ok: true, value: Number(BigInt.asIntN(bits, lit.value)) };
}

export type Fit64 = { ok: true; lo: number; hi: number } | { ok: false; message: string };

/** A 64-bit `lddw` constant, split into the two imm halves (signed int32 each). */
export function fit64(lit: IntLiteral, text: string): Fit64 {
  if (lit.value < -(1n << 63n) || lit.value > (1n << 64n) - 1n) {
    return { ok: false, message: `64-bit value ${text} does not fit in 64 bits` };
  }
  const bits = BigInt.asUintN(64, lit.value);
  return {
    ok: true,
    lo: Number(BigInt.asIntN(32, bits)),
    hi: Number(BigInt.asIntN(32, bits >> 32n)),
  };
}
