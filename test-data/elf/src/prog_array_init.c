/* A program array initialised at load time with programs of the object, as
 * libbpf does for `.values = { [i] = &prog }`. */
#include "common.h"

int xdp_second(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, int (void *));
} progs SEC(".maps") = {
	.values = { [1] = (void *)&xdp_second },
};

SEC("xdp")
int xdp_first(struct xdp_md *ctx)
{
	bpf_tail_call(ctx, &progs, 1);
	return XDP_ABORTED;
}

SEC("xdp")
int xdp_second(struct xdp_md *ctx)
{
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
