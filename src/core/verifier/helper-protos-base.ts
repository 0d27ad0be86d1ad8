/**
 * Prototypes of the helpers every modelled program type may call beyond the
 * map/ringbuf/printk core (bpf_base_func_proto and the tracing families as
 * Linux 6.18 hands them out to root), recorded in
 * test-data/verifier/helper-availability.json. Argument kinds follow the
 * kernel's bpf_func_proto of each helper.
 */
import { HelperProto, TRACING, p } from './helper-proto-kinds.ts';

// why verification stops at calls of helpers over objects bpfiddle has no model of
const BTF_OBJ = 'it needs BTF-typed kernel objects, which bpfiddle does not model';
const DYNPTR = 'dynptrs are not modelled yet';
const TIMER = 'bpf_timer needs a map value with a BTF-described struct bpf_timer';

export const BASE_PROTOS: (HelperProto | null)[] = [
  p('bpf_perf_event_read', ['const_map_ptr', 'anything'], 'integer', 'all', { gplOnly: true, mapTypes: ['perf_event_array'] }),
  p('bpf_perf_event_read_value', ['const_map_ptr', 'anything', 'mem_uninit', 'const_size'], 'integer', 'all', { gplOnly: true, mapTypes: ['perf_event_array'] }),
  p('bpf_current_task_under_cgroup', ['const_map_ptr', 'anything'], 'integer', 'all', { mapTypes: ['cgroup_array'] }),
  p('bpf_get_current_cgroup_id', [], 'integer', 'all'),
  p('bpf_get_current_ancestor_cgroup_id', ['anything'], 'integer', 'all'),
  p('bpf_strtol', ['mem_rdonly', 'const_size', 'anything', 'fixed_mem_uninit'], 'integer', 'all', { fixedSize: { 3: 8 } }),
  p('bpf_strtoul', ['mem_rdonly', 'const_size', 'anything', 'fixed_mem_uninit'], 'integer', 'all', { fixedSize: { 3: 8 } }),
  p('bpf_strncmp', ['mem_rdonly', 'const_size', 'const_str'], 'integer', 'all'),
  p('bpf_send_signal', ['anything'], 'integer', 'all'),
  p('bpf_send_signal_thread', ['anything'], 'integer', 'all'),
  p('bpf_get_ns_current_pid_tgid', ['anything', 'anything', 'mem_uninit', 'const_size'], 'integer', 'all'),
  p('bpf_ktime_get_tai_ns', [], 'integer', 'all'),
  p('bpf_get_branch_snapshot', ['mem_uninit', 'const_size_or_zero'], 'integer', 'all', { gplOnly: true }),
  p('bpf_trace_vprintk', ['mem_rdonly', 'const_size', 'mem_rdonly_or_null', 'const_size_or_zero'], 'integer', 'all', { gplOnly: true }),
  p('bpf_for_each_map_elem', ['const_map_ptr', 'func', 'stack_or_null', 'anything'], 'integer', 'all'),
  p('bpf_map_lookup_percpu_elem', ['const_map_ptr', 'map_key', 'anything'], 'map_value_or_null', 'all', {
    mapTypes: ['percpu_array', 'percpu_hash', 'lru_percpu_hash'],
  }),
  p('bpf_copy_from_user', ['mem_uninit', 'const_size_or_zero', 'anything'], 'integer', 'all', { sleepable: true }),
  p('bpf_copy_from_user_task', ['mem_uninit', 'const_size_or_zero', 'anything', 'btf_id', 'anything'], 'integer', 'all', { gplOnly: true, sleepable: true }),
  p('bpf_get_attach_cookie', ['ctx'], 'integer', TRACING),
  // helpers over objects bpfiddle has no model of
  p('bpf_spin_lock', ['spin_lock'], 'void', 'all', { unmodelled: 'bpf_spin_lock needs a map value with a BTF-described struct bpf_spin_lock' }),
  p('bpf_spin_unlock', ['spin_lock'], 'void', 'all', { unmodelled: 'bpf_spin_lock needs a map value with a BTF-described struct bpf_spin_lock' }),
  p('bpf_get_task_stack', ['btf_id', 'mem_uninit', 'const_size_or_zero', 'anything'], 'integer', 'all', { unmodelled: BTF_OBJ }),
  p('bpf_snprintf_btf', ['mem_writable', 'const_size', 'mem_rdonly', 'const_size', 'anything'], 'integer', 'all', { unmodelled: BTF_OBJ }),
  p('bpf_per_cpu_ptr', ['percpu_btf_id', 'anything'], 'integer', 'all', { unmodelled: BTF_OBJ }),
  p('bpf_this_cpu_ptr', ['percpu_btf_id'], 'integer', 'all', { unmodelled: BTF_OBJ }),
  p('bpf_task_storage_get', ['const_map_ptr', 'btf_id_or_null', 'map_value_or_null', 'anything'], 'map_value_or_null', 'all', { mapTypes: ['task_storage'], unmodelled: BTF_OBJ }),
  p('bpf_task_storage_delete', ['const_map_ptr', 'btf_id_or_null'], 'integer', 'all', { mapTypes: ['task_storage'], unmodelled: BTF_OBJ }),
  p('bpf_cgrp_storage_get', ['const_map_ptr', 'btf_id_or_null', 'map_value_or_null', 'anything'], 'map_value_or_null', 'all', { mapTypes: ['cgrp_storage'], unmodelled: BTF_OBJ }),
  p('bpf_cgrp_storage_delete', ['const_map_ptr', 'btf_id_or_null'], 'integer', 'all', { mapTypes: ['cgrp_storage'], unmodelled: BTF_OBJ }),
  p('bpf_get_current_task_btf', [], 'integer', 'all', { gplOnly: true, unmodelled: BTF_OBJ }),
  p('bpf_task_pt_regs', ['btf_id'], 'integer', 'all', { gplOnly: true, unmodelled: BTF_OBJ }),
  p('bpf_find_vma', ['btf_id', 'anything', 'func', 'stack_or_null', 'anything'], 'integer', 'all', { unmodelled: BTF_OBJ }),
  p('bpf_kptr_xchg', ['kptr_dest', 'btf_id_or_null'], 'integer', 'all', { unmodelled: BTF_OBJ }),
  p('bpf_timer_init', ['timer', 'const_map_ptr', 'anything'], 'integer', 'all', { gplOnly: true, unmodelled: TIMER }),
  p('bpf_timer_set_callback', ['timer', 'func'], 'integer', 'all', { gplOnly: true, unmodelled: TIMER }),
  p('bpf_timer_start', ['timer', 'anything', 'anything'], 'integer', 'all', { gplOnly: true, unmodelled: TIMER }),
  p('bpf_timer_cancel', ['timer'], 'integer', 'all', { gplOnly: true, unmodelled: TIMER }),
  p('bpf_dynptr_from_mem', ['mem_uninit', 'const_size_or_zero', 'anything', 'dynptr_uninit'], 'integer', 'all', { unmodelled: DYNPTR }),
  p('bpf_ringbuf_reserve_dynptr', ['const_map_ptr', 'anything', 'anything', 'dynptr_uninit'], 'integer', 'all', { mapTypes: ['ringbuf'], unmodelled: DYNPTR }),
  p('bpf_ringbuf_submit_dynptr', ['dynptr', 'anything'], 'void', 'all', { unmodelled: DYNPTR }),
  p('bpf_ringbuf_discard_dynptr', ['dynptr', 'anything'], 'void', 'all', { unmodelled: DYNPTR }),
  p('bpf_dynptr_read', ['mem_uninit', 'const_size_or_zero', 'dynptr', 'anything', 'anything'], 'integer', 'all', { unmodelled: DYNPTR }),
  p('bpf_dynptr_write', ['dynptr', 'anything', 'mem_rdonly', 'const_size_or_zero', 'anything'], 'integer', 'all', { unmodelled: DYNPTR }),
  p('bpf_dynptr_data', ['dynptr', 'anything', 'alloc_size_or_zero'], 'integer', 'all', { unmodelled: DYNPTR }),
  p('bpf_user_ringbuf_drain', ['const_map_ptr', 'func', 'stack_or_null', 'anything'], 'integer', 'all', { mapTypes: ['user_ringbuf'], unmodelled: 'user ring buffers are not modelled' }),
];

