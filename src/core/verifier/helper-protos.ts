/**
 * Helper prototypes as the verifier sees them (struct bpf_func_proto:
 * argument kinds, return kind) and which program types may call them
 * (the get_func_proto callbacks: bpf_base_func_proto, xdp_func_proto,
 * sk_filter_func_proto, tc_cls_act_func_proto, kprobe_prog_func_proto,
 * tp_prog_func_proto, raw_tp_prog_func_proto). Ids come from the ISA table.
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
  | 'const_size'
  | 'const_size_or_zero'
  | 'ctx'
  | 'ringbuf_mem_release'
  | 'alloc_size_or_zero'
  | 'func'
  | 'stack_or_null'
  | 'const_str';

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
  /** program types (beyond the base set) that may call it */
  progTypes: 'all' | ProgType[];
}

const SKB_TYPES: ProgType[] = ['socket_filter', 'sched_cls', 'sched_act'];
const TC: ProgType[] = ['sched_cls', 'sched_act'];
const TRACING: ProgType[] = ['kprobe', 'tracepoint', 'raw_tracepoint', 'perf_event'];
const NET: ProgType[] = ['socket_filter', 'sched_cls', 'sched_act', 'xdp'];

function p(
  name: string,
  args: ArgKind[],
  ret: RetKind,
  progTypes: 'all' | ProgType[],
  extra: Partial<Pick<HelperProto, 'gplOnly' | 'acquire' | 'mapTypes'>> = {},
): HelperProto | null {
  const info = helperByName(name);
  if (!info) return null;
  return { id: info.id, name: info.name, args, ret, progTypes, gplOnly: extra.gplOnly ?? false, acquire: extra.acquire, mapTypes: extra.mapTypes };
}

const RINGBUF: MapType[] = ['ringbuf'];

const LIST: (HelperProto | null)[] = [
  p('bpf_map_lookup_elem', ['const_map_ptr', 'map_key'], 'map_value_or_null', 'all'),
  p('bpf_map_update_elem', ['const_map_ptr', 'map_key', 'map_value', 'anything'], 'integer', 'all'),
  p('bpf_map_delete_elem', ['const_map_ptr', 'map_key'], 'integer', 'all'),
  p('bpf_map_push_elem', ['const_map_ptr', 'map_value', 'anything'], 'integer', 'all', { mapTypes: ['queue', 'stack', 'bloom_filter'] }),
  p('bpf_map_pop_elem', ['const_map_ptr', 'mem_uninit'], 'integer', 'all', { mapTypes: ['queue', 'stack'] }),
  p('bpf_map_peek_elem', ['const_map_ptr', 'mem_uninit'], 'integer', 'all', { mapTypes: ['queue', 'stack', 'bloom_filter'] }),
  p('bpf_ktime_get_ns', [], 'integer', 'all'),
  p('bpf_ktime_get_boot_ns', [], 'integer', 'all'),
  p('bpf_ktime_get_coarse_ns', [], 'integer', 'all'),
  p('bpf_get_prandom_u32', [], 'integer', 'all'),
  p('bpf_get_smp_processor_id', [], 'integer', 'all'),
  p('bpf_get_numa_node_id', [], 'integer', 'all'),
  p('bpf_jiffies64', [], 'integer', 'all'),
  p('bpf_trace_printk', ['mem_rdonly', 'const_size'], 'integer', 'all', { gplOnly: true }),
  p('bpf_tail_call', ['ctx', 'const_map_ptr', 'anything'], 'void', 'all', { mapTypes: ['prog_array'] }),
  p('bpf_ringbuf_output', ['const_map_ptr', 'mem_rdonly', 'const_size_or_zero', 'anything'], 'integer', 'all', { mapTypes: RINGBUF }),
  p('bpf_ringbuf_reserve', ['const_map_ptr', 'alloc_size_or_zero', 'anything'], 'ringbuf_mem_or_null', 'all', { mapTypes: RINGBUF, acquire: true }),
  p('bpf_ringbuf_submit', ['ringbuf_mem_release', 'anything'], 'void', 'all'),
  p('bpf_ringbuf_discard', ['ringbuf_mem_release', 'anything'], 'void', 'all'),
  p('bpf_ringbuf_query', ['const_map_ptr', 'anything'], 'integer', 'all', { mapTypes: RINGBUF }),
  p('bpf_loop', ['anything', 'func', 'stack_or_null', 'anything'], 'integer', 'all'),
  p('bpf_probe_read_kernel', ['mem_uninit', 'const_size_or_zero', 'anything'], 'integer', 'all', { gplOnly: true }),
  p('bpf_probe_read_kernel_str', ['mem_uninit', 'const_size_or_zero', 'anything'], 'integer', 'all', { gplOnly: true }),
  // bpf_base_func_proto offers the user-memory readers to every type when perfmon_capable (root)
  p('bpf_probe_read_user', ['mem_uninit', 'const_size_or_zero', 'anything'], 'integer', 'all', { gplOnly: true }),
  p('bpf_probe_read_user_str', ['mem_uninit', 'const_size_or_zero', 'anything'], 'integer', 'all', { gplOnly: true }),
  p('bpf_probe_read', ['mem_uninit', 'const_size_or_zero', 'anything'], 'integer', TRACING, { gplOnly: true }),
  p('bpf_probe_read_str', ['mem_uninit', 'const_size_or_zero', 'anything'], 'integer', TRACING, { gplOnly: true }),
  p('bpf_get_current_pid_tgid', [], 'integer', 'all'),
  p('bpf_get_current_uid_gid', [], 'integer', 'all'),
  p('bpf_get_current_comm', ['mem_uninit', 'const_size'], 'integer', 'all'),
  p('bpf_get_current_task', [], 'integer', 'all', { gplOnly: true }),
  p('bpf_perf_event_output', ['ctx', 'const_map_ptr', 'anything', 'mem_rdonly', 'const_size_or_zero'], 'integer', [...NET, ...TRACING], { mapTypes: ['perf_event_array'] }),
  p('bpf_get_stackid', ['ctx', 'const_map_ptr', 'anything'], 'integer', TRACING, { mapTypes: ['stack_trace'] }),
  p('bpf_redirect', ['anything', 'anything'], 'integer', ['xdp', ...TC]),
  p('bpf_redirect_map', ['const_map_ptr', 'anything', 'anything'], 'integer', ['xdp'], { mapTypes: ['devmap', 'devmap_hash', 'cpumap', 'xskmap'] }),
  p('bpf_xdp_adjust_head', ['ctx', 'anything'], 'integer', ['xdp']),
  p('bpf_xdp_adjust_tail', ['ctx', 'anything'], 'integer', ['xdp']),
  p('bpf_xdp_adjust_meta', ['ctx', 'anything'], 'integer', ['xdp']),
  p('bpf_csum_diff', ['mem_rdonly_or_null', 'const_size_or_zero', 'mem_rdonly_or_null', 'const_size_or_zero', 'anything'], 'integer', ['xdp', ...TC]),
  p('bpf_skb_load_bytes', ['ctx', 'anything', 'mem_uninit', 'const_size'], 'integer', SKB_TYPES),
  p('bpf_skb_store_bytes', ['ctx', 'anything', 'mem_rdonly', 'const_size', 'anything'], 'integer', TC),
  p('bpf_l3_csum_replace', ['ctx', 'anything', 'anything', 'anything', 'anything'], 'integer', TC),
  p('bpf_l4_csum_replace', ['ctx', 'anything', 'anything', 'anything', 'anything'], 'integer', TC),
  p('bpf_clone_redirect', ['ctx', 'anything', 'anything'], 'integer', TC),
  p('bpf_get_cgroup_classid', ['ctx'], 'integer', TC),
  p('bpf_skb_vlan_push', ['ctx', 'anything', 'anything'], 'integer', TC),
  p('bpf_skb_vlan_pop', ['ctx'], 'integer', TC),
  p('bpf_get_hash_recalc', ['ctx'], 'integer', TC),
  p('bpf_skb_pull_data', ['ctx', 'anything'], 'integer', TC),
  p('bpf_skb_change_tail', ['ctx', 'anything', 'anything'], 'integer', TC),
  p('bpf_skb_change_head', ['ctx', 'anything', 'anything'], 'integer', TC),
  p('bpf_skb_change_proto', ['ctx', 'anything', 'anything'], 'integer', TC),
  p('bpf_skb_change_type', ['ctx', 'anything'], 'integer', TC),
  p('bpf_skb_adjust_room', ['ctx', 'anything', 'anything', 'anything'], 'integer', TC),
  p('bpf_set_hash', ['ctx', 'anything'], 'integer', TC),
  p('bpf_set_hash_invalid', ['ctx'], 'integer', TC),
  p('bpf_csum_update', ['ctx', 'anything'], 'integer', TC),
  p('bpf_get_socket_cookie', ['ctx'], 'integer', SKB_TYPES),
  p('bpf_get_socket_uid', ['ctx'], 'integer', SKB_TYPES),
  p('bpf_skb_load_bytes_relative', ['ctx', 'anything', 'mem_uninit', 'const_size', 'anything'], 'integer', SKB_TYPES),
  p('bpf_get_func_ip', ['ctx'], 'integer', ['kprobe']),
  p('bpf_get_stack', ['ctx', 'mem_uninit', 'const_size_or_zero', 'anything'], 'integer', TRACING),
  p('bpf_snprintf', ['mem_uninit', 'const_size_or_zero', 'const_str', 'mem_rdonly_or_null', 'const_size_or_zero'], 'integer', 'all'),
];

const BY_ID = new Map<number, HelperProto>();
for (const h of LIST) if (h) BY_ID.set(h.id, h);

export function helperProto(id: number): HelperProto | undefined {
  return BY_ID.get(id);
}

/** Is the helper available to this program type (get_func_proto returns non-NULL)? */
export function helperAllowed(h: HelperProto, progType: ProgType): boolean {
  return h.progTypes === 'all' || h.progTypes.includes(progType);
}
