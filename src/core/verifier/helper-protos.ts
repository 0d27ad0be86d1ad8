/**
 * Helper prototypes as the verifier sees them (struct bpf_func_proto:
 * argument kinds, return kind) and which program types may call them
 * (the get_func_proto callbacks: bpf_base_func_proto, xdp_func_proto,
 * sk_filter_func_proto, tc_cls_act_func_proto, kprobe_prog_func_proto,
 * tp_prog_func_proto, raw_tp_prog_func_proto). Ids come from the ISA table.
 * A helper may have several prototypes, one per group of program types
 * (the kernel hands tracing programs other variants than tc ones).
 * Availability and GPL flags agree with Linux 6.18 for every helper and
 * modelled program type (test-data/verifier/helper-availability.json).
 */
import type { MapType, ProgType } from '../program.ts';
import { HelperProto, NET, SKB_TYPES, TC, TRACING, p } from './helper-proto-kinds.ts';
import { BASE_PROTOS } from './helper-protos-base.ts';
import { NET_PROTOS } from './helper-protos-net.ts';

export type { ArgKind, HelperProto, RetKind } from './helper-proto-kinds.ts';
export { exoticArgTypes } from './helper-proto-kinds.ts';

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
  p('bpf_ktime_get_coarse_ns', [], 'integer', NET),
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
  p('bpf_perf_event_output', ['ctx', 'const_map_ptr', 'anything', 'mem_rdonly', 'const_size_or_zero'], 'integer', [...NET, ...TRACING], { gplOnly: true, mapTypes: ['perf_event_array'] }),
  p('bpf_get_stackid', ['ctx', 'const_map_ptr', 'anything'], 'integer', TRACING, { gplOnly: true, mapTypes: ['stack_trace'] }),
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
  // everywhere else the variant that reads the current task's classid (no skb)
  p('bpf_get_cgroup_classid', [], 'integer', 'all'),
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
  // tracepoints get the tracing variant, which check_get_func_ip then refuses
  p('bpf_get_func_ip', ['ctx'], 'integer', TRACING, { gplOnly: true }),
  // raw tracepoints get a variant whose buffer argument is (oddly) read-only memory
  p('bpf_get_stack', ['ctx', 'mem_rdonly', 'const_size_or_zero', 'anything'], 'integer', ['raw_tracepoint'], { gplOnly: true }),
  p('bpf_get_stack', ['ctx', 'mem_uninit', 'const_size_or_zero', 'anything'], 'integer', TRACING, { gplOnly: true }),
  p('bpf_snprintf', ['mem_uninit', 'const_size_or_zero', 'const_str', 'mem_rdonly_or_null', 'const_size_or_zero'], 'integer', 'all', { gplOnly: true }),
];

const BY_ID = new Map<number, HelperProto[]>();
for (const h of [...LIST, ...BASE_PROTOS, ...NET_PROTOS]) {
  if (!h) continue;
  const list = BY_ID.get(h.id);
  if (list) list.push(h);
  else BY_ID.set(h.id, [h]);
}

/** Is the helper available to this program type (get_func_proto returns non-NULL)? */
export function helperAllowed(h: HelperProto, progType: ProgType): boolean {
  return h.progTypes === 'all' || h.progTypes.includes(progType);
}

/** The prototype get_func_proto hands this program type for helper `id`, if any. */
export function helperProtoFor(id: number, progType: ProgType): HelperProto | undefined {
  return BY_ID.get(id)?.find((h) => helperAllowed(h, progType));
}

/** The first prototype known for helper `id` (for listings that have no program type). */
export function helperProto(id: number): HelperProto | undefined {
  return BY_ID.get(id)?.[0];
}

/** Every helper id some modelled program type may call. */
export function knownHelperIds(): number[] {
  return [...BY_ID.keys()].sort((a, b) => a - b);
}
