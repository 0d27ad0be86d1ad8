/**
 * How map keys, values and records are shown: hex always, and 4- or 8-byte
 * values also as the little-endian integers a program reads them as.
 */

/** Hex with a space every byte, so it lines up with the byte layout. */
export function spacedHex(hex: string): string {
  return (hex.match(/../g) ?? []).join(' ');
}

/** The unsigned little-endian integer in `hex`, for 1, 2, 4 or 8 bytes; null otherwise. */
export function leUnsigned(hex: string): bigint | null {
  const bytes = hex.match(/../g);
  if (!bytes || ![1, 2, 4, 8].includes(bytes.length) || !/^[0-9a-f]+$/i.test(hex)) return null;
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(parseInt(bytes[i]!, 16));
  return n;
}

/** The integer reading of a 4- or 8-byte value ("12", or "4294967295 (-1)" when the top bit is set). */
export function integerReading(hex: string): string | null {
  const size = hex.length / 2;
  if (size !== 4 && size !== 8) return null;
  const u = leUnsigned(hex);
  if (u === null) return null;
  const signed = BigInt.asIntN(size * 8, u);
  return signed < 0n ? `${u} (${signed})` : `${u}`;
}
