/**
 * CO-RE relocations (BTF.ext core_relo records) resolved against the
 * simulated kernel's BTF, following libbpf's relo_core rules for the
 * field-based kinds (byte offset, byte size, exists, signed, bitfield shifts)
 * and the type-based ones (exists, size, ids), plus enum values. The local
 * access path "0:1:2" is walked in the program's BTF; the target is found by
 * the type's "essential" name (without a ___flavor suffix) and the field names.
 * An unresolvable relocation poisons the instruction as libbpf does
 * (call 0xbad2310), so the verifier reports it at that instruction.
 */
import type { Insn } from '../isa/insn.ts';
import type { CoreReloRaw } from './parse-btf-ext.ts';
import { sizeOf, skipModifiers, typeAt, typeName } from './inspect.ts';
import type { Btf, BtfType } from './types.ts';

/** Names of bpf_core_relo_kind values, index = kind number. */
export const CORE_KINDS = [
  'field_byte_offset', 'field_byte_size', 'field_exists', 'field_signed',
  'field_lshift_u64', 'field_rshift_u64', 'type_id_local', 'type_id_target',
  'type_exists', 'type_size', 'enumval_exists', 'enumval_value', 'type_matches',
] as const;

/** libbpf's poison: an unknown helper call the verifier rejects with a recognisable number. */
export const POISON_HELPER = 0xbad2310;

export interface CoreResult {
  insn: number;
  kind: string;
  spec: string;
  value: number | null;
  error?: string;
}

interface Spec {
  rootId: number;
  /** ids along the path: each step's type, after the step */
  names: string[];
  indices: number[];
  /** byte offset (bits for bitfield precision) */
  bitOffset: number;
  /** final field type id */
  typeId: number;
  bitSize: number;
}

export function makeCoreApplier(local: Btf, target: Btf): (insns: Insn[], at: number, r: CoreReloRaw) => CoreResult {
  return (insns, at, r) => applyOne(local, target, insns, at, r);
}

function applyOne(local: Btf, target: Btf, insns: Insn[], at: number, r: CoreReloRaw): CoreResult {
  const kind = CORE_KINDS[r.kind] ?? `kind ${r.kind}`;
  const root = typeAt(local, r.typeId);
  const label = `${root ? typeName(local, r.typeId) : `[${r.typeId}]`} ${r.access}`;
  const base = { insn: at, kind, spec: label };
  const outcome = resolve(local, target, r, kind);
  if ('error' in outcome) {
    poison(insns, at);
    return { ...base, value: null, error: outcome.error };
  }
  const patched = patch(insns, at, outcome.value, outcome.loadSize);
  if (patched) {
    poison(insns, at);
    return { ...base, value: null, error: patched };
  }
  return { ...base, spec: outcome.spec ?? label, value: outcome.value };
}

type Outcome = { value: number; loadSize?: { local: number; target: number }; spec?: string } | { error: string };

function resolve(local: Btf, target: Btf, r: CoreReloRaw, kind: string): Outcome {
  const access = r.access.split(':').map((s) => Number(s));
  if (access.some((n) => !Number.isInteger(n) || n < 0)) return { error: `bad access string "${r.access}"` };
  const rootId = skipModifiers(local, r.typeId);
  const root = typeAt(local, rootId);
  if (!root) return { error: `local type [${r.typeId}] does not exist` };
  const candidates = findCandidates(local, target, rootId);
  switch (kind) {
    case 'type_id_local':
      return { value: r.typeId };
    case 'type_exists': case 'type_matches':
      return { value: candidates.length > 0 ? 1 : 0 };
    case 'type_id_target':
      return candidates.length ? { value: candidates[0] } : { error: `no kernel type ${root.name}` };
    case 'type_size': {
      const sz = candidates.length ? sizeOf(target, candidates[0]) : null;
      return sz === null ? { error: `no kernel type ${root.name} with a size` } : { value: sz };
    }
    case 'enumval_exists': case 'enumval_value':
      return resolveEnum(local, target, root, candidates, access[0], kind);
    default:
      break;
  }
  const localSpec = walk(local, rootId, access, null);
  if ('error' in localSpec) return { error: `local ${localSpec.error}` };
  let found: Spec | null = null;
  for (const c of candidates) {
    const t = walk(target, c, access, { btf: local, spec: localSpec });
    if (!('error' in t)) {
      found = t;
      break;
    }
  }
  const path = `${typeName(local, rootId)}::${localSpec.names.filter(Boolean).join('.')}`;
  if (kind === 'field_exists') return { value: found ? 1 : 0, spec: path };
  if (!found) {
    return { error: candidates.length ? `field ${path} not found in the kernel's ${root.name}` : `the simulated kernel has no type ${essential(root.name)}` };
  }
  const size = found.bitSize ? null : sizeOf(target, found.typeId);
  switch (kind) {
    case 'field_byte_offset':
      if (found.bitSize || found.bitOffset % 8) return { error: `${path} is a bitfield; use BPF_CORE_READ_BITFIELD` };
      return { value: found.bitOffset / 8, loadSize: loadSizes(sizeOf(local, localSpec.typeId), size), spec: path };
    case 'field_byte_size':
      return size === null ? { error: `${path} has no byte size` } : { value: size, spec: path };
    case 'field_signed': {
      const t = typeAt(target, skipModifiers(target, found.typeId));
      return { value: t && (t.kind === 'int' ? t.signed : t.kind === 'enum' || t.kind === 'enum64' ? t.signed : false) ? 1 : 0, spec: path };
    }
    case 'field_lshift_u64': case 'field_rshift_u64': {
      const bits = found.bitSize || (size ?? 0) * 8;
      const loadBits = (size ?? Math.ceil(bits / 8)) * 8 || 8;
      const inLoad = found.bitSize ? found.bitOffset % loadBits : 0;
      return { value: kind === 'field_lshift_u64' ? 64 - (inLoad + bits) : 64 - bits, spec: path };
    }
    default:
      return { error: `relocation kind ${kind} is not supported` };
  }
}

function loadSizes(local: number | null, target: number | null): { local: number; target: number } | undefined {
  return local !== null && target !== null ? { local, target } : undefined;
}

function resolveEnum(local: Btf, target: Btf, root: BtfType, candidates: number[], index: number, kind: string): Outcome {
  if (root.kind !== 'enum' && root.kind !== 'enum64') return { error: 'enum relocation on a non-enum type' };
  const name = root.values[index]?.name;
  if (name === undefined) return { error: `enumerator ${index} does not exist locally` };
  for (const c of candidates) {
    const t = typeAt(target, c);
    if (t && (t.kind === 'enum' || t.kind === 'enum64')) {
      const v = t.values.find((e) => essential(e.name) === essential(name));
      if (v) return { value: kind === 'enumval_exists' ? 1 : v.value };
    }
  }
  return kind === 'enumval_exists' ? { value: 0 } : { error: `enumerator ${name} not found in the kernel` };
}

/** The name without libbpf's "___flavor" suffix (task_struct___old -> task_struct). */
export function essential(name: string): string {
  const i = name.indexOf('___');
  return i > 0 ? name.slice(0, i) : name;
}

function findCandidates(local: Btf, target: Btf, rootId: number): number[] {
  const t = typeAt(local, rootId);
  if (!t || !t.name) return [];
  const want = essential(t.name);
  const out: number[] = [];
  target.types.forEach((x, id) => {
    if (x.kind === t.kind && essential(x.name) === want) out.push(id);
    else if (t.kind === 'fwd' && (x.kind === 'struct' || x.kind === 'union') && x.name === want) out.push(id);
  });
  return out;
}

/**
 * Walk an access path. For the local side, member indices are used as given;
 * for the target side (`match` set), members are matched by the local
 * member's name, as CO-RE does.
 */
function walk(btf: Btf, rootId: number, access: number[], match: { btf: Btf; spec: Spec } | null): Spec | { error: string } {
  const rootSize = sizeOf(btf, rootId);
  if (rootSize === null) return { error: `type ${typeName(btf, rootId)} has no size` };
  let bitOffset = access[0] * rootSize * 8;
  let cur = rootId;
  let bitSize = 0;
  const names: string[] = [''];
  const indices: number[] = [access[0]];
  for (let i = 1; i < access.length; i++) {
    const id = skipModifiers(btf, cur);
    const t = typeAt(btf, id);
    if (!t) return { error: 'bad type in access path' };
    if (t.kind === 'struct' || t.kind === 'union') {
      let m = t.members[access[i]];
      if (match) {
        const want = match.spec.names[i];
        if (!want) return { error: 'anonymous members cannot be matched' };
        m = t.members.find((x) => x.name === want) as typeof m;
        if (!m) return { error: `no field ${want}` };
      } else if (!m) {
        return { error: `member ${access[i]} of ${typeName(btf, id)} does not exist` };
      }
      bitOffset += m.bitOffset;
      bitSize = m.bitSize;
      names.push(m.name);
      indices.push(access[i]);
      cur = m.type;
    } else if (t.kind === 'array') {
      if (match === null && t.nelems > 0 && access[i] >= t.nelems && i < access.length - 1) return { error: `index ${access[i]} beyond array of ${t.nelems}` };
      const elem = sizeOf(btf, t.elemType);
      if (elem === null) return { error: 'array element has no size' };
      bitOffset += access[i] * elem * 8;
      bitSize = 0;
      names.push('');
      indices.push(access[i]);
      cur = t.elemType;
    } else {
      return { error: `cannot index into ${typeName(btf, id)}` };
    }
  }
  return { rootId, names, indices, bitOffset, typeId: cur, bitSize };
}

const CLS_LDX = 1;
const CLS_ST = 2;
const CLS_STX = 3;
const CLS_ALU = 4;
const CLS_ALU64 = 7;
const SIZE_BY_BYTES: Record<number, number> = { 1: 0x10, 2: 0x08, 4: 0x00, 8: 0x18 };

/** Write the resolved value into the instruction; returns an error text when the instruction cannot take it. */
function patch(insns: Insn[], at: number, value: number, loadSize?: { local: number; target: number }): string | null {
  const ins = insns[at];
  if (!ins) return `instruction ${at} does not exist`;
  const cls = ins.code & 0x07;
  if (ins.code === 0x18) {
    if (!insns[at + 1]) return 'LD_IMM64 without its second slot';
    ins.imm = value | 0;
    insns[at + 1].imm = Math.floor(value / 0x1_0000_0000) | 0;
    return null;
  }
  if (cls === CLS_ALU || cls === CLS_ALU64) {
    if ((ins.code & 0x08) !== 0) return 'ALU instruction with a register source cannot be relocated';
    ins.imm = value | 0;
    return null;
  }
  if (cls === CLS_LDX || cls === CLS_ST || cls === CLS_STX) {
    if (value > 0x7fff || value < -0x8000) return `offset ${value} does not fit an instruction's 16-bit offset`;
    ins.off = value;
    // A direct load of a whole field whose size differs in the kernel reads
    // the kernel's size instead (libbpf does the same); partial reads stay.
    if (cls === CLS_LDX && loadSize && loadSize.local !== loadSize.target && (ins.code & 0xe0) === 0x60 &&
        ins.code === ((ins.code & ~0x18) | SIZE_BY_BYTES[loadSize.local]) && SIZE_BY_BYTES[loadSize.target] !== undefined) {
      ins.code = (ins.code & ~0x18) | SIZE_BY_BYTES[loadSize.target];
    }
    return null;
  }
  return `opcode 0x${ins.code.toString(16)} cannot be relocated`;
}

function poison(insns: Insn[], at: number): void {
  const ins = insns[at];
  if (!ins) return;
  insns[at] = { code: 0x85, dst: 0, src: 0, off: 0, imm: POISON_HELPER };
}
