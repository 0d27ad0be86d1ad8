/**
 * Bob Jenkins' lookup3 hash ("jhash"), the function the kernel's bloom filter
 * map uses, so that a BPF_F_ZERO_SEED bloom filter sets exactly the kernel's
 * bits (and so has the kernel's false positives). Written from the published
 * algorithm: 12-byte blocks mixed into three 32-bit lanes, then a final avalanche.
 */
const INITVAL = 0xdeadbeef;

function rol(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

interface Lanes {
  a: number;
  b: number;
  c: number;
}

function mix(s: Lanes): void {
  let { a, b, c } = s;
  a = (a - c) | 0; a ^= rol(c, 4); c = (c + b) | 0;
  b = (b - a) | 0; b ^= rol(a, 6); a = (a + c) | 0;
  c = (c - b) | 0; c ^= rol(b, 8); b = (b + a) | 0;
  a = (a - c) | 0; a ^= rol(c, 16); c = (c + b) | 0;
  b = (b - a) | 0; b ^= rol(a, 19); a = (a + c) | 0;
  c = (c - b) | 0; c ^= rol(b, 4); b = (b + a) | 0;
  s.a = a; s.b = b; s.c = c;
}

function final(s: Lanes): void {
  let { a, b, c } = s;
  c ^= b; c = (c - rol(b, 14)) | 0;
  a ^= c; a = (a - rol(c, 11)) | 0;
  b ^= a; b = (b - rol(a, 25)) | 0;
  c ^= b; c = (c - rol(b, 16)) | 0;
  a ^= c; a = (a - rol(c, 4)) | 0;
  b ^= a; b = (b - rol(a, 14)) | 0;
  c ^= b; c = (c - rol(b, 24)) | 0;
  s.a = a; s.b = b; s.c = c;
}

function le32(k: Uint8Array, at: number): number {
  return k[at]! | (k[at + 1]! << 8) | (k[at + 2]! << 16) | (k[at + 3]! << 24);
}

/** jhash(key, length, initval) over bytes. */
export function jhash(key: Uint8Array, initval: number): number {
  let len = key.length;
  const start = (INITVAL + len + initval) | 0;
  const s: Lanes = { a: start, b: start, c: start };
  let at = 0;
  while (len > 12) {
    s.a = (s.a + le32(key, at)) | 0;
    s.b = (s.b + le32(key, at + 4)) | 0;
    s.c = (s.c + le32(key, at + 8)) | 0;
    mix(s);
    len -= 12;
    at += 12;
  }
  if (len === 0) return s.c >>> 0;
  // the tail: up to 12 bytes added little-endian into a, b, c
  const lanes = [0, 0, 0];
  for (let i = 0; i < len; i++) lanes[i >> 2]! += key[at + i]! * 2 ** (8 * (i & 3));
  s.a = (s.a + lanes[0]!) | 0;
  s.b = (s.b + lanes[1]!) | 0;
  s.c = (s.c + lanes[2]!) | 0;
  final(s);
  return s.c >>> 0;
}

/** jhash2(words, nwords, initval): the same over 32-bit words (little-endian bytes here). */
export function jhash2(key: Uint8Array, initval: number): number {
  let words = key.length >> 2;
  const start = (INITVAL + (words << 2) + initval) | 0;
  const s: Lanes = { a: start, b: start, c: start };
  let at = 0;
  while (words > 3) {
    s.a = (s.a + le32(key, at)) | 0;
    s.b = (s.b + le32(key, at + 4)) | 0;
    s.c = (s.c + le32(key, at + 8)) | 0;
    mix(s);
    words -= 3;
    at += 12;
  }
  if (words === 0) return s.c >>> 0;
  if (words >= 3) s.c = (s.c + le32(key, at + 8)) | 0;
  if (words >= 2) s.b = (s.b + le32(key, at + 4)) | 0;
  s.a = (s.a + le32(key, at)) | 0;
  final(s);
  return s.c >>> 0;
}
