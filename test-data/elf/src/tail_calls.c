/* Tail calls through a program array; the dispatcher falls through when the slot is empty. */
#include "common.h"

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} jmp SEC(".maps");

SEC("xdp")
int xdp_dispatch(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	bpf_tail_call(ctx, &jmp, len & 1);
	return XDP_PASS;
}

SEC("xdp")
int xdp_even(struct xdp_md *ctx)
{
	return XDP_DROP;
}

SEC("xdp")
int xdp_odd(struct xdp_md *ctx)
{
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
