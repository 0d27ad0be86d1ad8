/**
 * Integer parsing and range checks for immediates. BigInt is fine here:
 * assembling is not a hot path, and 64-bit `ll` constants need it.
 */

/** `42`, `0x2a` (validated by the lexer) → BigInt. */
export function parseInteger(text: string): bigint {
  return BigInt(text.toLowerCase());
}

const I32_MIN = -(1n << 31n);
const U32_MAX = (1n << 32n) - 1n;
const I64_MIN = -(1n << 63n);
const U64_MAX = (1n << 64n) - 1n;

/**
 * A 32-bit immediate: the kernel sign-extends imm, and LLVM accepts both
 * -0x80000000..-1 and 0x80000000..0xffffffff for the same bits.
 */
export function fitsImm32(v: bigint): boolean {
  return v >= I32_MIN && v <= U32_MAX;
}

export function toImm32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

export function fitsImm64(v: bigint): boolean {
  return v >= I64_MIN && v <= U64_MAX;
}

/** Low and high 32-bit halves (as signed imm fields) of a 64-bit constant. */
export function splitImm64(v: bigint): { lo: number; hi: number } {
  const u = BigInt.asUintN(64, v);
  return { lo: Number(BigInt.asIntN(32, u)), hi: Number(BigInt.asIntN(32, u >> 32n)) };
}

/** Signed 16-bit jump offsets (off field). */
export function fitsOff16(v: number): boolean {
  return v >= -32768 && v <= 32767;
}

export function fitsInt32(v: number): boolean {
  return v >= -2147483648 && v <= 2147483647;
}

/** `0x1f` / `-0x1f` */
export function signedHex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}
