/** Section names to program types, per libbpf's SEC() table (libbpf.c section_defs, libbpf 1.x). */
import { describe, expect, it } from 'vitest';
import { sectionDef } from './section-types.ts';

describe('sectionDef', () => {
  const cases: [string, string | null][] = [
    ['xdp', 'xdp'],
    ['xdp.frags', 'xdp'],
    ['socket', 'socket_filter'],
    ['socket/anything', null],
    ['tc', 'sched_cls'],
    ['classifier', 'sched_cls'],
    ['classifier/ingress', null],
    ['action', 'sched_act'],
    ['kprobe/do_unlinkat', 'kprobe'],
    ['kretprobe/do_unlinkat', 'kprobe'],
    ['uprobe', 'kprobe'],
    ['tracepoint/syscalls/sys_enter_write', 'tracepoint'],
    ['tp/syscalls/sys_enter_write', 'tracepoint'],
    ['raw_tracepoint/sys_enter', 'raw_tracepoint'],
    ['raw_tp/sys_enter', 'raw_tracepoint'],
    ['raw_tp.w/sys_enter', 'raw_tracepoint_writable'],
    ['perf_event', 'perf_event'],
    ['cgroup_skb/ingress', 'cgroup_skb'],
    ['cgroup_skb/egress', 'cgroup_skb'],
    ['tp_btf/sched_switch', 'tracing'],
    ['fentry/do_unlinkat', 'tracing'],
    ['fentry.s/do_unlinkat', 'tracing'],
    ['lsm/file_open', 'lsm'],
    ['sk_msg', 'sk_msg'],
    ['sockops', 'sock_ops'],
    ['flow_dissector', 'flow_dissector'],
    // not program sections, or missing a required target
    ['.text', null],
    ['license', null],
    ['xdpfoo', null],
    ['tp_btf', null],
    ['cgroup_skb/sideways', null],
    ['', null],
  ];
  for (const [name, type] of cases) {
    it(`${JSON.stringify(name)} -> ${type}`, () => {
      expect(sectionDef(name)?.progType ?? null).toBe(type);
    });
  }

  it('sleepable variants carry BPF_F_SLEEPABLE and xdp.frags carries BPF_F_XDP_HAS_FRAGS', () => {
    expect(sectionDef('fentry.s/do_unlinkat')?.progFlags).toBe(1 << 4);
    expect(sectionDef('xdp.frags')?.progFlags).toBe(1 << 5);
    expect(sectionDef('xdp')?.progFlags).toBeUndefined();
  });
});
