/**
 * Queries over a type graph: skipping typedefs and qualifiers, sizes, and C
 * spellings. Corrupt BTF can contain reference cycles, so every walk is
 * bounded and reports failure as a value instead of looping.
 */
import type { Btf, BtfType } from './types.ts';

/** Deeper chains than this are treated as a cycle (the kernel uses 32). */
export const MAX_RESOLVE_DEPTH = 32;

export function typeAt(btf: Btf, id: number): BtfType | undefined {
  return Number.isInteger(id) && id >= 0 ? btf.types[id] : undefined;
}

/** Follow typedef/const/volatile/restrict/type_tag to the underlying type id; -1 on a cycle or bad id. */
export function skipModifiers(btf: Btf, id: number): number {
  let cur = id;
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
    const t = typeAt(btf, cur);
    if (!t) return -1;
    if (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'type_tag') {
      cur = t.type;
      continue;
    }
    return cur;
  }
  return -1;
}

/** Size in bytes of a type, or null when it has none (void, func, fwd) or is malformed. */
export function sizeOf(btf: Btf, id: number, depth = 0): number | null {
  if (depth > MAX_RESOLVE_DEPTH) return null;
  const rid = skipModifiers(btf, id);
  const t = typeAt(btf, rid);
  if (!t) return null;
  switch (t.kind) {
    case 'int': case 'struct': case 'union': case 'enum': case 'enum64': case 'float': case 'datasec':
      return t.size;
    case 'ptr':
      return 8;
    case 'array': {
      const elem = sizeOf(btf, t.elemType, depth + 1);
      return elem === null ? null : elem * t.nelems;
    }
    case 'var':
      return sizeOf(btf, t.type, depth + 1);
    default:
      return null;
  }
}

/** A C-like spelling of a type for messages and the UI ("struct event", "__u32 *", "char[16]"). */
export function typeName(btf: Btf, id: number, depth = 0): string {
  const t = typeAt(btf, id);
  if (!t) return `<bad type ${id}>`;
  if (depth > MAX_RESOLVE_DEPTH) return '<cycle>';
  switch (t.kind) {
    case 'void': return 'void';
    case 'int': case 'float': case 'typedef': return t.name;
    case 'struct': case 'union': return `${t.kind} ${t.name || '(anon)'}`;
    case 'enum': case 'enum64': return `enum ${t.name || '(anon)'}`;
    case 'fwd': return `${t.union ? 'union' : 'struct'} ${t.name}`;
    case 'ptr': return `${typeName(btf, t.type, depth + 1)} *`;
    case 'const': case 'volatile': case 'restrict': return `${t.kind} ${typeName(btf, t.type, depth + 1)}`;
    case 'type_tag': return typeName(btf, t.type, depth + 1);
    case 'array': return `${typeName(btf, t.elemType, depth + 1)}[${t.nelems}]`;
    case 'func': case 'var': case 'datasec': return t.name;
    case 'func_proto': return 'function';
    case 'decl_tag': return t.name;
  }
}

/** First type id with this kind and name, or -1. */
export function findType(btf: Btf, kind: BtfType['kind'], name: string): number {
  return btf.types.findIndex((t) => t.kind === kind && t.name === name);
}
