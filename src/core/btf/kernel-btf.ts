/**
 * The simulated kernel's BTF: the context and task structs CO-RE relocations
 * are resolved against. Layouts are those of Linux 6.18 x86-64 (offsets as
 * pahole/bpftool report them for the running kernel); only the fields programs
 * commonly read are described — a relocation against anything else reports
 * "not found" instead of guessing.
 */
import { BtfBuilder } from './build.ts';
import type { Btf } from './types.ts';

let cached: Btf | null = null;

export function kernelBtf(): Btf {
  if (!cached) cached = build();
  return cached;
}

function build(): Btf {
  const b = new BtfBuilder();
  const int = b.int('int', 4, true);
  const u8 = b.int('unsigned char', 1, false);
  const char = b.int('char', 1, true, true);
  const u16 = b.int('short unsigned int', 2, false);
  const u32 = b.int('unsigned int', 4, false);
  const u64 = b.int('long unsigned int', 8, false);
  const pidT = b.add({ kind: 'typedef', name: 'pid_t', type: int });
  const __u32 = b.add({ kind: 'typedef', name: '__u32', type: u32 });
  void u8; void u16;

  const task = b.struct('task_struct', 3264);
  const taskPtr = b.ptr(task);
  b.members(task, [
    ['__state', u32, 24],
    ['flags', u32, 44],
    ['prio', int, 108],
    ['pid', pidT, 1264],
    ['tgid', pidT, 1268],
    ['real_parent', taskPtr, 1280],
    ['comm', b.array(char, 16), 1752],
  ]);

  const xdp = b.struct('xdp_md', 24);
  b.members(xdp, [
    ['data', __u32, 0],
    ['data_end', __u32, 4],
    ['data_meta', __u32, 8],
    ['ingress_ifindex', __u32, 12],
    ['rx_queue_index', __u32, 16],
    ['egress_ifindex', __u32, 20],
  ]);

  const skb = b.struct('__sk_buff', 192);
  b.members(skb, [
    ['len', __u32, 0],
    ['pkt_type', __u32, 4],
    ['mark', __u32, 8],
    ['queue_mapping', __u32, 12],
    ['protocol', __u32, 16],
    ['vlan_present', __u32, 20],
    ['vlan_tci', __u32, 24],
    ['vlan_proto', __u32, 28],
    ['priority', __u32, 32],
    ['ingress_ifindex', __u32, 36],
    ['ifindex', __u32, 40],
    ['tc_index', __u32, 44],
    ['cb', b.array(__u32, 5), 48],
    ['hash', __u32, 68],
    ['tc_classid', __u32, 72],
    ['data', __u32, 76],
    ['data_end', __u32, 80],
    ['napi_id', __u32, 84],
    ['family', __u32, 88],
    ['data_meta', __u32, 140],
  ]);

  // x86-64 struct pt_regs: kprobe programs read arguments through it (PT_REGS_PARM1 = di).
  const regs = b.struct('pt_regs', 168);
  const names = ['r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8', 'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss'];
  b.members(regs, names.map((n, i) => [n, u64, i * 8] as [string, number, number]));
  return b.btf;
}
