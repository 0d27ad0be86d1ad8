/**
 * The Internet checksum (RFC 1071) and the pseudo-headers that TCP, UDP
 * (RFC 768 / RFC 8200 section 8.1) and ICMPv6 (RFC 4443) fold into it.
 */

/** One's-complement sum of 16-bit big-endian words, not yet folded or inverted. */
export function sumWords(bytes: Uint8Array, start = 0, end = bytes.length, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  // An odd trailing byte is padded with a zero low byte.
  if (i < end) sum += bytes[i] << 8;
  // Fold now and then so the sum stays a small integer even for jumbo frames.
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

export function finishChecksum(sum: number): number {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
}

export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return finishChecksum(sumWords(bytes, start, end));
}

/** Sum of the pseudo-header for an upper-layer protocol over IPv4 or IPv6. */
export function pseudoHeaderSum(src: Uint8Array, dst: Uint8Array, protocol: number, upperLength: number): number {
  let sum = sumWords(src) + sumWords(dst) + protocol;
  if (src.length === 16) {
    // IPv6 uses a 32-bit upper-layer length.
    sum += Math.floor(upperLength / 0x10000) + (upperLength & 0xffff);
  } else {
    sum += upperLength & 0xffff;
  }
  return sum;
}

/**
 * Checksum of an upper-layer segment (checksum field zeroed or included, see
 * callers) with its pseudo-header.
 */
export function upperLayerChecksum(
  src: Uint8Array,
  dst: Uint8Array,
  protocol: number,
  segment: Uint8Array,
  start: number,
  end: number,
): number {
  return finishChecksum(sumWords(segment, start, end, pseudoHeaderSum(src, dst, protocol, end - start)));
}
