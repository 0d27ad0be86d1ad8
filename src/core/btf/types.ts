/**
 * The BTF type graph as plain data (it crosses the worker boundary). Type ids
 * index `Btf.types`; id 0 is void and is represented by a `void` entry.
 * Kinds and field meanings follow the kernel's uapi/linux/btf.h.
 */

export type BtfKind =
  | 'void' | 'int' | 'ptr' | 'array' | 'struct' | 'union' | 'enum' | 'fwd'
  | 'typedef' | 'volatile' | 'const' | 'restrict' | 'func' | 'func_proto'
  | 'var' | 'datasec' | 'float' | 'decl_tag' | 'type_tag' | 'enum64';

/** BTF_KIND_* numbers, index = kind number. */
export const BTF_KINDS: readonly BtfKind[] = [
  'void', 'int', 'ptr', 'array', 'struct', 'union', 'enum', 'fwd', 'typedef', 'volatile',
  'const', 'restrict', 'func', 'func_proto', 'var', 'datasec', 'float', 'decl_tag', 'type_tag', 'enum64',
];

export interface BtfMember {
  name: string;
  type: number;
  /** offset from the start of the struct, in bits */
  bitOffset: number;
  /** bitfield width in bits, 0 when the member is not a bitfield */
  bitSize: number;
}

export interface BtfParam {
  name: string;
  type: number;
}

export interface BtfEnumValue {
  name: string;
  /** enum64 values beyond 2^53 lose precision; text keeps them exact */
  value: number;
  text: string;
}

export interface BtfSecInfo {
  type: number;
  offset: number;
  size: number;
}

export type BtfType =
  | { kind: 'void'; name: '' }
  | { kind: 'int'; name: string; size: number; signed: boolean; char: boolean; bool: boolean; bitOffset: number; bits: number }
  | { kind: 'ptr' | 'typedef' | 'volatile' | 'const' | 'restrict' | 'type_tag'; name: string; type: number }
  | { kind: 'array'; name: string; elemType: number; indexType: number; nelems: number }
  | { kind: 'struct' | 'union'; name: string; size: number; members: BtfMember[] }
  | { kind: 'enum' | 'enum64'; name: string; size: number; signed: boolean; values: BtfEnumValue[] }
  | { kind: 'fwd'; name: string; union: boolean }
  | { kind: 'func'; name: string; type: number; linkage: number }
  | { kind: 'func_proto'; name: string; returnType: number; params: BtfParam[] }
  | { kind: 'var'; name: string; type: number; linkage: number }
  | { kind: 'datasec'; name: string; size: number; vars: BtfSecInfo[] }
  | { kind: 'float'; name: string; size: number }
  | { kind: 'decl_tag'; name: string; type: number; componentIdx: number };

export interface Btf {
  types: BtfType[];
}

/** BTF_VAR_STATIC etc. */
export const BTF_VAR_STATIC = 0;
export const BTF_VAR_GLOBAL_ALLOCATED = 1;
export const BTF_VAR_GLOBAL_EXTERN = 2;
