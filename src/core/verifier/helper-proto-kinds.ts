/**
 * The vocabulary of helper prototypes (struct bpf_func_proto): argument and
 * return kinds, the prototype record, and the program-type sets the
 * get_func_proto callbacks hand helpers to. The tables themselves live in
 * helper-protos*.ts.
 */
import { helperByName } from '../isa/helpers.ts';
import type { MapType, ProgType } from '../program.ts';

export type ArgKind =
  | 'anything'
  | 'const_map_ptr'
  | 'map_key'
  | 'map_value'
  | 'mem_rdonly'
  | 'mem_rdonly_or_null'
  | 'mem_uninit'
  /** ARG_PTR_TO_MEM without MEM_RDONLY: the helper writes through it, so read-only memory is refused */
  | 'mem_writable'
  | 'const_size'
  | 'const_size_or_zero'
  | 'ctx'
  | 'ctx_or_null'
  | 'ringbuf_mem_release'
  | 'alloc_size_or_zero'
  | 'func'
  | 'stack_or_null'
  | 'const_str'
  /** ARG_PTR_TO_FIXED_SIZE_MEM: `fixedSize` bytes the helper reads and writes */
  | 'fixed_mem'
  /** ARG_PTR_TO_FIXED_SIZE_MEM | MEM_UNINIT | MEM_WRITE: the helper fills it (bpf_strtol's result) */
  | 'fixed_mem_uninit'
  /** ARG_PTR_TO_MAP_VALUE_OR_NULL (local-storage initial values) */
  | 'map_value_or_null'
  // kinds that take objects bpfiddle never creates (sockets, BTF pointers,
  // dynptrs, per-CPU kernel variables, timers, locks, kptrs): their expected
  // lists are the kernel's, so a wrong register is refused with its words
  | 'sock_common'
  | 'btf_sock_common'
  | 'btf_sock_common_release'
  | 'btf_id'
  | 'btf_id_or_null'
  | 'percpu_btf_id'
  | 'spin_lock'
  | 'timer'
  | 'kptr_dest'
  | 'dynptr'
  | 'dynptr_uninit';

export type RetKind = 'integer' | 'void' | 'map_value_or_null' | 'ringbuf_mem_or_null';

export interface HelperProto {
  id: number;
  name: string;
  args: ArgKind[];
  ret: RetKind;
  gplOnly: boolean;
  /** acquires a reference that must be released (bpf_ringbuf_reserve) */
  acquire?: boolean;
  /** map types the map argument must have (check_map_func_compatibility) */
  mapTypes?: MapType[];
  /** program types that may call it (get_func_proto returns this proto) */
  progTypes: 'all' | ProgType[];
  /** might_sleep: only sleepable programs may call it, and none of the types modelled here is */
  sleepable?: boolean;
  /** size in bytes of each 'fixed_mem' argument, by argument index */
  fixedSize?: Record<number, number>;
  /**
   * Why bpfiddle cannot follow a call whose arguments passed the kernel's
   * checks: the objects it returns or needs (sockets with references, BTF
   * pointers, dynptrs, timers) are not modelled. Verification stops there
   * with this reason instead of guessing.
   */
  unmodelled?: string;
}

type ProtoExtra = Partial<Pick<HelperProto, 'gplOnly' | 'acquire' | 'mapTypes' | 'sleepable' | 'fixedSize' | 'unmodelled'>>;

export const TC: ProgType[] = ['sched_cls', 'sched_act'];
export const SKB_TYPES: ProgType[] = ['socket_filter', ...TC];
export const TRACING: ProgType[] = ['kprobe', 'tracepoint', 'raw_tracepoint', 'perf_event'];
export const NET: ProgType[] = [...SKB_TYPES, 'xdp'];
export const TC_XDP: ProgType[] = [...TC, 'xdp'];

/** A prototype for the helper named `name` (null if the ISA table lacks it). */
export function p(name: string, args: ArgKind[], ret: RetKind, progTypes: 'all' | ProgType[], extra: ProtoExtra = {}): HelperProto | null {
  const info = helperByName(name);
  if (!info) return null;
  return { id: info.id, name: info.name, args, ret, progTypes, ...extra, gplOnly: extra.gplOnly ?? false };
}

/**
 * check_reg_type's compatible register types for the kinds added beyond
 * the common ones (the kernel's *_types tables, in its order), or null.
 */
export function exoticArgTypes(kind: ArgKind): string[] | null {
  switch (kind) {
    case 'sock_common':
      return ['sock_common', 'sock', 'tcp_sock', 'xdp_sock'];
    case 'btf_sock_common':
    case 'btf_sock_common_release':
      return ['sock_common', 'sock', 'tcp_sock', 'xdp_sock', 'ptr_', 'trusted_ptr_'];
    case 'btf_id':
    case 'btf_id_or_null':
      return ['ptr_', 'trusted_ptr_', 'rcu_ptr_'];
    case 'percpu_btf_id':
      return ['percpu_ptr_', 'percpu_rcu_ptr_', 'percpu_trusted_ptr_'];
    case 'spin_lock':
    case 'kptr_dest':
      return ['map_value', 'ptr_'];
    case 'timer':
    case 'map_value_or_null':
      return ['map_value'];
    case 'dynptr':
    case 'dynptr_uninit':
      return ['fp', 'dynptr_ptr'];
    case 'ctx_or_null':
      return ['ctx'];
    default:
      return null;
  }
}
