/* One program per libbpf section convention, to check program types. */
#include "common.h"
#include <bpf/bpf_tracing.h>

SEC("socket")
int sock_prog(struct __sk_buff *skb) { return skb->len > 100 ? 0 : skb->len; }

SEC("classifier")
int cls_prog(struct __sk_buff *skb) { return TC_ACT_OK; }

SEC("kprobe/do_unlinkat")
int kprobe_prog(void *ctx) { return 0; }

SEC("kretprobe/do_unlinkat")
int kretprobe_prog(void *ctx) { return 0; }

SEC("tracepoint/syscalls/sys_enter_write")
int tracepoint_prog(void *ctx) { return 0; }

SEC("tp/syscalls/sys_enter_read")
int tp_prog(void *ctx) { return 0; }

SEC("raw_tracepoint/sys_enter")
int raw_tracepoint_prog(void *ctx) { return 0; }

SEC("raw_tp/sys_exit")
int raw_tp_prog(void *ctx) { return 0; }

SEC("perf_event")
int perf_event_prog(void *ctx) { return 0; }

SEC("cgroup_skb/ingress")
int cgroup_ingress(struct __sk_buff *skb) { return 1; }

SEC("cgroup_skb/egress")
int cgroup_egress(struct __sk_buff *skb) { return skb->len < 1000; }

SEC("tp_btf/sched_switch")
int tp_btf_prog(__u64 *ctx) { return 0; }

SEC("xdp.frags")
int xdp_frags_prog(struct xdp_md *ctx) { return XDP_PASS; }

char LICENSE[] SEC("license") = "GPL";
