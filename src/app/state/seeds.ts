/**
 * Map seeds as the Maps panel edits them: entries typed as hex or as a
 * number for 4- and 8-byte keys and values (little-endian, as the program
 * reads them on x86 and arm64), checked before they go to the engine.
 */
import type { MapDecl, MapSeed } from '../../bridge/index.ts';

/**
 * Reads "42", "-1", "0x2a" as a little-endian integer of `size` bytes (4 or
 * 8), anything else as hex bytes ("2a 00 00 00"). Plain digits are a decimal
 * number; type spaces between bytes to mean hex.
 */
export function seedBytes(text: string, size: number): { ok: true; hex: string } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: false, error: 'empty' };
  const spaced = t.replace(/\s+/g, '');
  if ((size === 4 || size === 8) && /^-?(0x[0-9a-f]+|\d+)$/i.test(t)) {
    let n: bigint;
    try {
      n = spaced.startsWith('-') ? -BigInt(spaced.slice(1)) : BigInt(spaced);
    } catch {
      return { ok: false, error: `'${t}' is not a number` };
    }
    const bits = BigInt(size * 8);
    if (n >= 1n << bits || n < -(1n << (bits - 1n))) return { ok: false, error: `${t} does not fit in ${size} bytes` };
    let u = BigInt.asUintN(size * 8, n);
    let hex = '';
    for (let i = 0; i < size; i++) {
      hex += Number(u & 0xffn).toString(16).padStart(2, '0');
      u >>= 8n;
    }
    return { ok: true, hex };
  }
  if (!/^[0-9a-f]*$/i.test(spaced) || spaced.length % 2 !== 0) return { ok: false, error: `'${t}' is neither a number nor hex bytes` };
  if (spaced.length / 2 !== size) return { ok: false, error: `${spaced.length / 2} bytes given, the map wants ${size}` };
  return { ok: true, hex: spaced.toLowerCase() };
}

/** A seed from the panel's inputs, or the reason it is not one. */
export function makeSeed(map: MapDecl, keyText: string, valueText: string): { ok: true; seed: MapSeed } | { ok: false; error: string } {
  const key = seedBytes(keyText, map.keySize);
  if (!key.ok) return { ok: false, error: `key: ${key.error}` };
  const value = seedBytes(valueText, map.valueSize);
  if (!value.ok) return { ok: false, error: `value: ${value.error}` };
  return { ok: true, seed: { map: map.name, keyHex: key.hex, valueHex: value.hex } };
}

export function readSeeds(json: string | null): MapSeed[] | null {
  if (json === null) return null;
  try {
    const v: unknown = JSON.parse(json);
    return parseSeeds(v);
  } catch {
    return null;
  }
}

export function parseSeeds(v: unknown): MapSeed[] | null {
  if (!Array.isArray(v) || v.length > 256) return null;
  const out: MapSeed[] = [];
  for (const s of v) {
    if (typeof s !== 'object' || s === null) return null;
    const { map, keyHex, valueHex } = s as Record<string, unknown>;
    if (typeof map !== 'string' || typeof keyHex !== 'string' || typeof valueHex !== 'string') return null;
    if (!/^[0-9a-f]*$/.test(keyHex) || !/^[0-9a-f]*$/.test(valueHex)) return null;
    out.push({ map: map.slice(0, 64), keyHex, valueHex });
  }
  return out;
}
