/**
 * Render a value's bytes by its BTF type, for the UI's typed view of map
 * entries and ring buffer events: `{ pid = 42, comm = "bash" }`, like
 * bpftool's map dump but one line. Never throws; short buffers and bad types
 * show up inline as `<...>`.
 */
import { MAX_RESOLVE_DEPTH, sizeOf, skipModifiers, typeAt } from './inspect.ts';
import type { Btf } from './types.ts';

export interface FormatOptions {
  /** stop listing array elements after this many (default 64) */
  maxArray?: number;
}

export function formatValue(btf: Btf, typeId: number, bytes: Uint8Array, options: FormatOptions = {}): string {
  return fmt(btf, typeId, bytes, 0, 0, options.maxArray ?? 64, 0);
}

function fmt(btf: Btf, id: number, b: Uint8Array, byteOff: number, bitOff: number, maxArray: number, depth: number): string {
  if (depth > MAX_RESOLVE_DEPTH) return '<too deep>';
  const rid = skipModifiers(btf, id);
  const t = typeAt(btf, rid);
  if (!t) return `<bad type ${id}>`;
  switch (t.kind) {
    case 'int': {
      if (t.bool) return readUnsigned(b, byteOff, t.size) === null ? '<short>' : readUnsigned(b, byteOff, t.size) === 0n ? 'false' : 'true';
      const v = readInt(b, byteOff, t.size, t.signed, bitOff + t.bitOffset, t.bits);
      if (v === null) return '<short>';
      if (t.char && t.size === 1) return charLiteral(Number(v));
      return v.toString();
    }
    case 'ptr': {
      const v = readUnsigned(b, byteOff, 8);
      return v === null ? '<short>' : `0x${v.toString(16)}`;
    }
    case 'enum': case 'enum64': {
      const v = readInt(b, byteOff, t.size, t.signed, 0, t.size * 8);
      if (v === null) return '<short>';
      const e = t.values.find((x) => x.text === v.toString());
      return e ? e.name : v.toString();
    }
    case 'float': {
      if (byteOff + t.size > b.length) return '<short>';
      const dv = new DataView(b.buffer, b.byteOffset + byteOff, t.size);
      return t.size === 4 ? String(dv.getFloat32(0, true)) : t.size === 8 ? String(dv.getFloat64(0, true)) : '<float>';
    }
    case 'array': {
      const elemId = skipModifiers(btf, t.elemType);
      const elem = typeAt(btf, elemId);
      const esz = sizeOf(btf, t.elemType);
      if (esz === null) return '<bad array>';
      if (elem && elem.kind === 'int' && elem.size === 1 && (elem.char || elem.name === 'char')) {
        return stringLiteral(b.subarray(byteOff, Math.min(b.length, byteOff + t.nelems)));
      }
      const n = Math.min(t.nelems, maxArray);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) parts.push(fmt(btf, t.elemType, b, byteOff + i * esz, 0, maxArray, depth + 1));
      if (t.nelems > n) parts.push(`... ${t.nelems - n} more`);
      return `[${parts.join(', ')}]`;
    }
    case 'struct': case 'union': {
      const parts = t.members.map((m) => {
        const at = byteOff + Math.floor(m.bitOffset / 8);
        const text = m.bitSize
          ? bitfield(b, byteOff, m.bitOffset, m.bitSize)
          : fmt(btf, m.type, b, at, 0, maxArray, depth + 1);
        return m.name ? `${m.name} = ${text}` : text;
      });
      return `{ ${parts.join(', ')} }`;
    }
    case 'datasec': {
      const parts = t.vars.map((v) => {
        const vt = typeAt(btf, v.type);
        const name = vt && vt.kind === 'var' ? vt.name : `[${v.type}]`;
        return `${name} = ${fmt(btf, v.type, b, byteOff + v.offset, 0, maxArray, depth + 1)}`;
      });
      return `{ ${parts.join(', ')} }`;
    }
    case 'var':
      return fmt(btf, t.type, b, byteOff, bitOff, maxArray, depth + 1);
    default:
      return `<${t.kind}>`;
  }
}

function readUnsigned(b: Uint8Array, off: number, size: number): bigint | null {
  if (off < 0 || off + size > b.length || size > 16) return null;
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[off + i]);
  return v;
}

function readInt(b: Uint8Array, off: number, size: number, signed: boolean, bitOff: number, bits: number): bigint | null {
  const raw = readUnsigned(b, off, size);
  if (raw === null) return null;
  const width = bits || size * 8;
  const v = (raw >> BigInt(bitOff)) & ((1n << BigInt(width)) - 1n);
  return signed ? BigInt.asIntN(width, v) : v;
}

function bitfield(b: Uint8Array, base: number, bitOffset: number, bitSize: number): string {
  const first = base + Math.floor(bitOffset / 8);
  const span = Math.ceil(((bitOffset % 8) + bitSize) / 8);
  const raw = readUnsigned(b, first, span);
  if (raw === null) return '<short>';
  return ((raw >> BigInt(bitOffset % 8)) & ((1n << BigInt(bitSize)) - 1n)).toString();
}

function charLiteral(c: number): string {
  const u = c & 0xff;
  return u >= 0x20 && u < 0x7f && u !== 0x27 && u !== 0x5c ? `'${String.fromCharCode(u)}'` : `'\\x${u.toString(16).padStart(2, '0')}'`;
}

/** char arrays as C strings up to the first NUL, escaping the unprintable. */
function stringLiteral(bytes: Uint8Array): string {
  let s = '';
  for (const c of bytes) {
    if (c === 0) break;
    if (c === 0x22 || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c >= 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"`;
}
