/**
 * The instruction model: one raw 8-byte slot, as struct bpf_insn lays it out.
 * LD_IMM64 occupies two consecutive slots (the second has code 0 and carries
 * the upper 32 bits of the constant in imm), exactly as in the encoded program,
 * so instruction indices here are the kernel's instruction indices.
 */
export interface Insn {
  /** opcode byte */
  code: number;
  /** destination register, 0-15 as encoded (only 0-10 are valid) */
  dst: number;
  /** source register, 0-15 as encoded */
  src: number;
  /** signed 16-bit offset */
  off: number;
  /** signed 32-bit immediate */
  imm: number;
}

export const INSN_SIZE = 8;

export function insn(code: number, dst = 0, src = 0, off = 0, imm = 0): Insn {
  return { code, dst, src, off: (off << 16) >> 16, imm: imm | 0 };
}

export type DecodeResult =
  | { ok: true; insns: Insn[] }
  | { ok: false; error: string };

/** Split raw little-endian bytes into instruction slots. */
export function decodeBytes(bytes: Uint8Array): DecodeResult {
  if (bytes.length % INSN_SIZE !== 0) {
    return {
      ok: false,
      error: `program is ${bytes.length} bytes, not a multiple of ${INSN_SIZE} (each instruction is 8 bytes)`,
    };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const insns: Insn[] = [];
  for (let at = 0; at < bytes.length; at += INSN_SIZE) {
    const regs = view.getUint8(at + 1);
    insns.push({
      code: view.getUint8(at),
      dst: regs & 0x0f,
      src: regs >> 4,
      off: view.getInt16(at + 2, true),
      imm: view.getInt32(at + 4, true),
    });
  }
  return { ok: true, insns };
}

/** Encode instruction slots to little-endian bytes. */
export function encodeInsns(insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * INSN_SIZE);
  const view = new DataView(out.buffer);
  insns.forEach((ins, i) => {
    const at = i * INSN_SIZE;
    view.setUint8(at, ins.code & 0xff);
    view.setUint8(at + 1, ((ins.src & 0x0f) << 4) | (ins.dst & 0x0f));
    view.setInt16(at + 2, ins.off, true);
    view.setInt32(at + 4, ins.imm, true);
  });
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export type HexResult = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** Parse hex text; whitespace is ignored, anything else must be hex digits. */
export function hexToBytes(text: string): HexResult {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0) return { ok: false, error: `hex has an odd number of digits (${clean.length})` };
  const bad = /[^0-9a-fA-F]/.exec(clean);
  if (bad) return { ok: false, error: `'${bad[0]}' at position ${bad.index} is not a hex digit` };
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.substr(i * 2, 2), 16);
  return { ok: true, bytes: out };
}

export function insnsToHex(insns: readonly Insn[]): string {
  return bytesToHex(encodeInsns(insns));
}

export function insnsFromHex(text: string): DecodeResult {
  const hex = hexToBytes(text);
  if (!hex.ok) return { ok: false, error: hex.error };
  return decodeBytes(hex.bytes);
}

/** The 64-bit constant of an LD_IMM64 pair as a BigInt (not for hot paths). */
export function ldImm64Value(lo: Insn, hi: Insn): bigint {
  return (BigInt(hi.imm >>> 0) << 32n) | BigInt(lo.imm >>> 0);
}
