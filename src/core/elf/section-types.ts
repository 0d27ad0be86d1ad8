/**
 * Program types from ELF section names, by libbpf's SEC() conventions
 * (libbpf 1.x section_defs and sec_def_matches): plain definitions match the
 * exact name only ("socket", "tc", "xdp"); "type+" definitions (kprobe,
 * tracepoint, ...) also match "type/target". Legacy prefix matching is gone.
 */
import type { ProgType } from '../program.ts';

/** enum bpf_attach_type values we need (uapi/linux/bpf.h). */
export const AttachType = {
  CGROUP_INET_INGRESS: 0,
  CGROUP_INET_EGRESS: 1,
  CGROUP_INET_SOCK_CREATE: 2,
  CGROUP_SOCK_OPS: 3,
  SK_SKB_STREAM_PARSER: 4,
  SK_SKB_STREAM_VERDICT: 5,
  CGROUP_DEVICE: 6,
  SK_MSG_VERDICT: 7,
  FLOW_DISSECTOR: 17,
  TRACE_RAW_TP: 23,
  TRACE_FENTRY: 24,
  TRACE_FEXIT: 25,
  LSM_MAC: 27,
  XDP: 37,
} as const;

/** BPF_F_XDP_HAS_FRAGS: the program accepts multi-buffer packets (xdp.frags). */
export const BPF_F_XDP_HAS_FRAGS = 1 << 5;
/** BPF_F_SLEEPABLE (.s suffixed sections). */
export const BPF_F_SLEEPABLE = 1 << 4;

export interface SectionDef {
  progType: ProgType;
  expectedAttachType?: number;
  progFlags?: number;
}

interface Rule extends SectionDef {
  prefix: string;
  /** the name may be followed by "/target" */
  target: 'none' | 'optional' | 'required';
}

const RULES: Rule[] = [
  { prefix: 'socket', progType: 'socket_filter', target: 'none' },
  { prefix: 'sk_reuseport', progType: 'sk_reuseport', target: 'none' },
  { prefix: 'kprobe', progType: 'kprobe', target: 'optional' },
  { prefix: 'kretprobe', progType: 'kprobe', target: 'optional' },
  { prefix: 'uprobe', progType: 'kprobe', target: 'optional' },
  { prefix: 'uretprobe', progType: 'kprobe', target: 'optional' },
  { prefix: 'ksyscall', progType: 'kprobe', target: 'optional' },
  { prefix: 'kretsyscall', progType: 'kprobe', target: 'optional' },
  { prefix: 'tc', progType: 'sched_cls', target: 'none' },
  { prefix: 'classifier', progType: 'sched_cls', target: 'none' },
  { prefix: 'action', progType: 'sched_act', target: 'none' },
  { prefix: 'tracepoint', progType: 'tracepoint', target: 'optional' },
  { prefix: 'tp', progType: 'tracepoint', target: 'optional' },
  { prefix: 'raw_tracepoint', progType: 'raw_tracepoint', target: 'optional' },
  { prefix: 'raw_tp', progType: 'raw_tracepoint', target: 'optional' },
  { prefix: 'raw_tracepoint.w', progType: 'raw_tracepoint_writable', target: 'optional' },
  { prefix: 'raw_tp.w', progType: 'raw_tracepoint_writable', target: 'optional' },
  { prefix: 'tp_btf', progType: 'tracing', expectedAttachType: AttachType.TRACE_RAW_TP, target: 'required' },
  { prefix: 'fentry', progType: 'tracing', expectedAttachType: AttachType.TRACE_FENTRY, target: 'required' },
  { prefix: 'fexit', progType: 'tracing', expectedAttachType: AttachType.TRACE_FEXIT, target: 'required' },
  { prefix: 'lsm', progType: 'lsm', expectedAttachType: AttachType.LSM_MAC, target: 'required' },
  { prefix: 'xdp.frags', progType: 'xdp', expectedAttachType: AttachType.XDP, progFlags: BPF_F_XDP_HAS_FRAGS, target: 'none' },
  { prefix: 'xdp', progType: 'xdp', expectedAttachType: AttachType.XDP, target: 'none' },
  { prefix: 'perf_event', progType: 'perf_event', target: 'none' },
  { prefix: 'lwt_in', progType: 'lwt_in', target: 'none' },
  { prefix: 'lwt_out', progType: 'lwt_out', target: 'none' },
  { prefix: 'lwt_xmit', progType: 'lwt_xmit', target: 'none' },
  { prefix: 'lwt_seg6local', progType: 'lwt_seg6local', target: 'none' },
  { prefix: 'sockops', progType: 'sock_ops', expectedAttachType: AttachType.CGROUP_SOCK_OPS, target: 'none' },
  { prefix: 'sk_skb/stream_parser', progType: 'sk_skb', expectedAttachType: AttachType.SK_SKB_STREAM_PARSER, target: 'none' },
  { prefix: 'sk_skb/stream_verdict', progType: 'sk_skb', expectedAttachType: AttachType.SK_SKB_STREAM_VERDICT, target: 'none' },
  { prefix: 'sk_skb', progType: 'sk_skb', target: 'none' },
  { prefix: 'sk_msg', progType: 'sk_msg', expectedAttachType: AttachType.SK_MSG_VERDICT, target: 'none' },
  { prefix: 'flow_dissector', progType: 'flow_dissector', expectedAttachType: AttachType.FLOW_DISSECTOR, target: 'none' },
  { prefix: 'cgroup_skb/ingress', progType: 'cgroup_skb', expectedAttachType: AttachType.CGROUP_INET_INGRESS, target: 'none' },
  { prefix: 'cgroup_skb/egress', progType: 'cgroup_skb', expectedAttachType: AttachType.CGROUP_INET_EGRESS, target: 'none' },
  { prefix: 'cgroup/skb', progType: 'cgroup_skb', target: 'none' },
  { prefix: 'cgroup/sock_create', progType: 'cgroup_sock', expectedAttachType: AttachType.CGROUP_INET_SOCK_CREATE, target: 'none' },
  { prefix: 'cgroup/sock', progType: 'cgroup_sock', expectedAttachType: AttachType.CGROUP_INET_SOCK_CREATE, target: 'none' },
  { prefix: 'cgroup/dev', progType: 'cgroup_device', expectedAttachType: AttachType.CGROUP_DEVICE, target: 'none' },
  { prefix: 'syscall', progType: 'syscall', target: 'none' },
];

/** Longest matching prefix first, so "xdp.frags" wins over "xdp" and "raw_tp.w" over "raw_tp". */
const ORDERED = [...RULES].sort((a, b) => b.prefix.length - a.prefix.length);

/** libbpf's program type for a section name, or null when libbpf would not know it. */
export function sectionDef(section: string): SectionDef | null {
  let name = section;
  let flags = 0;
  // libbpf's ".s" (sleepable) variants, e.g. "fentry.s/…", "lsm.s/…", "uprobe.s/…".
  const sleepable = /^([a-z_]+)\.s(\/|$)/.exec(name);
  if (sleepable) {
    name = sleepable[1] + name.slice(sleepable[0].length - sleepable[2].length);
    flags |= BPF_F_SLEEPABLE;
  }
  for (const r of ORDERED) {
    const exact = name === r.prefix;
    const withTarget = name.startsWith(r.prefix + '/') && name.length > r.prefix.length + 1;
    if (!(exact && r.target !== 'required') && !(withTarget && r.target !== 'none')) continue;
    const def: SectionDef = { progType: r.progType };
    if (r.expectedAttachType !== undefined) def.expectedAttachType = r.expectedAttachType;
    const progFlags = (r.progFlags ?? 0) | flags;
    if (progFlags) def.progFlags = progFlags;
    return def;
  }
  return null;
}
