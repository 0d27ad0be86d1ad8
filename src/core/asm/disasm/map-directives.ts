/**
 * A MapSpec as the directives that declare it, for the 'asm' disassembly
 * style: `.rodata` when the map is exactly what that directive makes,
 * otherwise `.map` (with `frozen`) and one `.init` per initial entry. Data
 * is printed in the most readable form that assembles back to the same
 * bytes: a number, a "string", or x"hex".
 */
import type { MapEntrySpec, MapSpec } from '../../program.ts';
import { BPF_F_RDONLY_PROG } from '../../runtime/maps/flags.ts';
import { encodeCString, isTextByte } from '../c-string.ts';

const KEYLESS = new Set(['queue', 'stack', 'bloom_filter']);

export function mapDirectives(m: MapSpec): string[] {
  if (isRodata(m)) return [`.rodata ${m.name} ${rodataLiteral(m.init![0].value)}`];
  const out = [`.map ${m.name} ${m.type} key=${m.keySize} value=${m.valueSize} entries=${m.maxEntries}${m.flags ? ` flags=${hexFlags(m.flags)}` : ''}${m.mapExtra !== undefined ? ` extra=${m.mapExtra}` : ''}${m.frozen ? ' frozen' : ''}`];
  for (const e of m.init ?? []) out.push(initLine(m, e));
  return out;
}

/** The license as a string literal. */
export function licenseLiteral(license: string): string {
  return `"${encodeCString(new TextEncoder().encode(license))}"`;
}

/** Exactly the map `.rodata NAME DATA` declares. */
function isRodata(m: MapSpec): boolean {
  const e = m.init?.length === 1 ? m.init[0] : undefined;
  return (
    e !== undefined &&
    m.type === 'array' &&
    m.keySize === 4 &&
    m.maxEntries === 1 &&
    m.flags === BPF_F_RDONLY_PROG &&
    m.frozen === true &&
    m.mapExtra === undefined &&
    e.mapIndex === undefined &&
    e.key.length === 4 &&
    e.key.every((b) => b === 0) &&
    e.value.length === m.valueSize &&
    m.valueSize > 0
  );
}

/** A string when the bytes are text ending in one NUL (the NUL `.rodata` adds), hex otherwise. */
function rodataLiteral(v: Uint8Array): string {
  const body = v.subarray(0, v.length - 1);
  if (v[v.length - 1] === 0 && body.every(isTextByte)) return `"${encodeCString(body)}"`;
  return hexLiteral(v);
}

function initLine(m: MapSpec, e: MapEntrySpec): string {
  if (e.mapIndex !== undefined) return `; .init ${m.name}: entry ${hexOf(e.key)} holds map #${e.mapIndex} (map-in-map entries cannot be written in assembly)`;
  const value = dataLiteral(e.value, m.valueSize);
  return KEYLESS.has(m.type) ? `.init ${m.name} = ${value}` : `.init ${m.name} ${keyLiteral(e.key, m.keySize)} = ${value}`;
}

function keyLiteral(k: Uint8Array, size: number): string {
  return k.length === size && size > 0 && size <= 8 ? numberLiteral(k) : hexLiteral(k);
}

/** Decimal while small (indexes, counters), hex beyond (masks, addresses). */
function numberLiteral(b: Uint8Array): string {
  const n = littleEndian(b);
  return n < 0x10000n ? n.toString() : `0x${n.toString(16)}`;
}

/**
 * Values: text padded with NULs as a string, up to 8 bytes as a number
 * (decimal when small), the rest as hex bytes. Trailing zeros are left out
 * of strings and hex, since `.init` pads with them.
 */
function dataLiteral(v: Uint8Array, size: number): string {
  if (v.length !== size) return hexLiteral(v);
  let textEnd = 0;
  while (textEnd < v.length && v[textEnd] !== 0 && isTextByte(v[textEnd])) textEnd++;
  const rest = v.subarray(textEnd);
  const looksLikeText = (textEnd >= 3 || (size > 8 && textEnd >= 1)) && rest.every((b) => b === 0);
  if (looksLikeText) return `"${encodeCString(v.subarray(0, textEnd))}"`;
  if (size > 0 && size <= 8) return numberLiteral(v);
  let end = v.length;
  while (end > 1 && v[end - 1] === 0) end--;
  return hexLiteral(v.subarray(0, end));
}

function littleEndian(b: Uint8Array): bigint {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]);
  return n;
}

function hexLiteral(b: Uint8Array): string {
  return `x"${hexOf(b)}"`;
}

function hexOf(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function hexFlags(f: number): string {
  return `0x${f.toString(16)}`;
}
