/**
 * BTF-defined maps: the variables of the ".maps" DATASEC, each an anonymous
 * struct whose members encode the attributes as libbpf's __uint/__type/
 * __array macros do (`int (*max_entries)[16]`, `__u32 *key`, `struct inner *values[]`).
 */
import type { Btf, BtfType } from '../btf/types.ts';
import { sizeOf, skipModifiers, typeAt, typeName } from '../btf/inspect.ts';
import { MAP_TYPES, type MapSpec, type MapType } from '../program.ts';
import { fail, step } from './errors.ts';
import type { ElfMapSpec } from './object-spec.ts';

export interface BtfMapDef {
  spec: ElfMapSpec;
  /** offset of the variable inside the .maps section (what relocations point at) */
  offset: number;
  /** size of the variable, to find which map a `.values` slot relocation belongs to */
  size: number;
  /** byte offset of the `values` member inside the variable, when present */
  valuesOffset: number | null;
}

export function mapTypeName(n: number): MapType | null {
  return n >= 1 && n <= MAP_TYPES.length ? MAP_TYPES[n - 1] : null;
}

export function readBtfMaps(btf: Btf): BtfMapDef[] {
  const secId = btf.types.findIndex((t) => t.kind === 'datasec' && t.name === '.maps');
  if (secId < 0) fail('the object has a .maps section but its BTF has no .maps DATASEC');
  const sec = btf.types[secId] as Extract<BtfType, { kind: 'datasec' }>;
  return sec.vars.map((vsi) => {
    const v = typeAt(btf, vsi.type);
    if (!v || v.kind !== 'var') fail(`.maps DATASEC entry [${vsi.type}] is not a variable`);
    return step(`map ${v.name}`, () => {
      const parsed = parseDef(btf, v.type, v.name, 0);
      return { spec: parsed.spec, offset: vsi.offset, size: vsi.size, valuesOffset: parsed.valuesOffset };
    });
  });
}

interface ParsedDef {
  spec: ElfMapSpec;
  valuesOffset: number | null;
}

function parseDef(btf: Btf, typeId: number, name: string, depth: number): ParsedDef {
  const sid = skipModifiers(btf, typeId);
  const st = typeAt(btf, sid);
  if (!st || st.kind !== 'struct') fail(`definition is ${st ? typeName(btf, sid) : 'a bad type'}, not a struct`);
  let type: MapType | null = null;
  let keySize: number | null = null;
  let valueSize: number | null = null;
  let btfKeyTypeId = 0;
  let btfValueTypeId = 0;
  let maxEntries = 0;
  let flags = 0;
  let mapExtra = 0;
  let pinning: number | undefined;
  let innerMap: MapSpec | undefined;
  let valuesOffset: number | null = null;

  for (const m of st.members) {
    const mt = typeAt(btf, skipModifiers(btf, m.type));
    switch (m.name) {
      case 'type': {
        const n = uintAttr(btf, mt, m.name);
        type = mapTypeName(n);
        if (!type) fail(`unknown map type ${n}`);
        break;
      }
      case 'max_entries': maxEntries = uintAttr(btf, mt, m.name); break;
      case 'map_flags': flags = uintAttr(btf, mt, m.name); break;
      case 'map_extra': mapExtra = uintAttr(btf, mt, m.name); break;
      case 'numa_node': uintAttr(btf, mt, m.name); break;
      case 'pinning': pinning = uintAttr(btf, mt, m.name); break;
      case 'key_size': keySize = checkSame(keySize, uintAttr(btf, mt, m.name), 'key size'); break;
      case 'value_size': valueSize = checkSame(valueSize, uintAttr(btf, mt, m.name), 'value size'); break;
      case 'key': {
        const t = pointee(mt, m.name);
        const sz = sizeOf(btf, t);
        if (sz === null) fail(`key type ${typeName(btf, t)} has no size`);
        keySize = checkSame(keySize, sz, 'key size');
        btfKeyTypeId = t;
        break;
      }
      case 'value': {
        const t = pointee(mt, m.name);
        const sz = sizeOf(btf, t);
        if (sz === null) fail(`value type ${typeName(btf, t)} has no size`);
        valueSize = checkSame(valueSize, sz, 'value size');
        btfValueTypeId = t;
        break;
      }
      case 'values': {
        // __array(values, struct inner): a zero-length array of pointers to the inner definition.
        if (!mt || mt.kind !== 'array') fail('"values" must be an array');
        const ptr = typeAt(btf, skipModifiers(btf, mt.elemType));
        if (!ptr || ptr.kind !== 'ptr') fail('"values" must be an array of pointers');
        const target = typeAt(btf, skipModifiers(btf, ptr.type));
        valuesOffset = m.bitOffset / 8;
        if (target && target.kind === 'struct') {
          if (depth > 0) fail('inner map definitions cannot nest further');
          innerMap = step('inner map', () => parseDef(btf, ptr.type, `${name}.inner`, depth + 1).spec);
        }
        // a func_proto target is a prog_array initialiser: nothing to describe
        break;
      }
      default:
        fail(`unknown map attribute "${m.name}"`);
    }
  }
  if (!type) fail('no "type" attribute');
  const sizes = defaultSizes(type, keySize, valueSize, innerMap !== undefined);
  const spec: ElfMapSpec = {
    name,
    type,
    keySize: sizes.key,
    valueSize: sizes.value,
    maxEntries,
    flags,
    origin: 'btf',
    btfKeyTypeId,
    btfValueTypeId,
  };
  if (mapExtra) spec.mapExtra = mapExtra;
  if (pinning !== undefined) spec.pinning = pinning;
  if (innerMap) spec.innerMap = innerMap;
  return { spec, valuesOffset };
}

/** Sizes the kernel fixes for some map types when the definition leaves them out. */
function defaultSizes(type: MapType, key: number | null, value: number | null, hasInner: boolean): { key: number; value: number } {
  if (hasInner || type === 'array_of_maps' || type === 'hash_of_maps' || type === 'prog_array') {
    // the value is a map/prog fd from user space (4 bytes); libbpf fills it in when left out
    return { key: key ?? 4, value: value ?? 4 };
  }
  if (type === 'perf_event_array') return { key: key ?? 4, value: value ?? 4 };
  return { key: key ?? 0, value: value ?? 0 };
}

function checkSame(prev: number | null, next: number, what: string): number {
  if (prev !== null && prev !== next) fail(`conflicting ${what}: ${prev} and ${next}`);
  return next;
}

/** __uint(name, N) is `int (*name)[N]`: the value is the array's element count. */
function uintAttr(btf: Btf, t: BtfType | undefined, name: string): number {
  if (!t || t.kind !== 'ptr') fail(`attribute "${name}" is not encoded as __uint (pointer to array)`);
  const arr = typeAt(btf, skipModifiers(btf, t.type));
  if (!arr || arr.kind !== 'array') fail(`attribute "${name}" is not encoded as __uint (pointer to array)`);
  return arr.nelems;
}

function pointee(t: BtfType | undefined, name: string): number {
  if (!t || t.kind !== 'ptr') fail(`attribute "${name}" must be a pointer (__type)`);
  return t.type;
}
