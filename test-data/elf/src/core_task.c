/* CO-RE: field offset, existence and size relocations against kernel types. */
#include "common.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

/* Local, partial views of kernel types: CO-RE matches them by name and field. */
struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	int no_such_field_in_kernel;
} __attribute__((preserve_access_index));

struct xdp_md___local {
	__u32 data;
	__u32 data_end;
	__u32 ingress_ifindex;
} __attribute__((preserve_access_index));

struct info {
	int pid;
	int tgid;
	char comm[16];
	int has_missing;
	int comm_size;
};

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct info); } infos SEC(".maps");

SEC("kprobe/do_nanosleep")
int kprobe_task(struct pt_regs *regs)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	__u32 zero = 0;
	struct info *i = bpf_map_lookup_elem(&infos, &zero);

	if (!i)
		return 0;
	i->pid = BPF_CORE_READ(t, pid);
	i->tgid = BPF_CORE_READ(t, tgid);
	BPF_CORE_READ_STR_INTO(&i->comm, t, comm);
	i->has_missing = bpf_core_field_exists(t->no_such_field_in_kernel);
	i->comm_size = bpf_core_field_size(t->comm);
	return 0;
}

SEC("xdp")
int xdp_core_ctx(struct xdp_md *ctx)
{
	struct xdp_md___local *c = (void *)ctx;

	return c->ingress_ifindex == 0xffff ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
