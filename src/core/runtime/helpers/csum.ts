/**
 * Internet (one's complement) checksum arithmetic as the kernel's generic
 * helpers do it (csum_add / csum_sub / csum_fold / csum_partial), on values
 * as they sit in memory read little-endian — the byte order cancels out of
 * one's complement sums, so the results stored back are right on the wire.
 * All values are unsigned 32-bit (__wsum) or 16-bit (__sum16) numbers.
 */

/** csum_add: 32-bit add with end-around carry. */
export function csumAdd(a: number, b: number): number {
  const s = (a >>> 0) + (b >>> 0);
  return (s + (s > 0xffffffff ? 1 : 0)) >>> 0;
}

/** csum_sub: add the complement. */
export function csumSub(a: number, b: number): number {
  return csumAdd(a, ~b >>> 0);
}

/** csum_from32to16: fold a 32-bit partial sum into 16 bits (no complement). */
export function from32to16(x: number): number {
  let s = (x & 0xffff) + (x >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return s & 0xffff;
}

/** csum_fold: fold to 16 bits and complement. */
export function csumFold(x: number): number {
  return ~from32to16(x) & 0xffff;
}

/** csum_partial: the 32-bit sum of the little-endian 16-bit words of `bytes` (an even length), plus `seed`. */
export function csumPartial(bytes: Uint8Array, seed: number): number {
  let sum = seed >>> 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum = csumAdd(sum, bytes[i]! | (bytes[i + 1]! << 8));
  if (bytes.length & 1) sum = csumAdd(sum, bytes[bytes.length - 1]!);
  return sum;
}

/** csum16_add: 16-bit add with end-around carry. */
function csum16Add(a: number, b: number): number {
  const s = (a & 0xffff) + (b & 0xffff);
  return (s + (s >> 16)) & 0xffff;
}

/** csum_replace2: the new checksum after a 16-bit field changed from `from` to `to`. */
export function csumReplace2(sum: number, from: number, to: number): number {
  return ~csum16Add(csum16Add(~sum & 0xffff, ~from & 0xffff), to) & 0xffff;
}

/** csum_replace4 (and inet_proto_csum_replace4 without CHECKSUM_PARTIAL): a 32-bit field changed. */
export function csumReplace4(sum: number, from: number, to: number): number {
  return csumFold(csumAdd(csumSub(~(sum & 0xffff) >>> 0, from), to));
}

/** csum_replace_by_diff: apply a precomputed 32-bit difference (bpf_csum_diff's result). */
export function csumReplaceByDiff(sum: number, diff: number): number {
  return csumFold(csumAdd(diff, ~(sum & 0xffff) >>> 0));
}
