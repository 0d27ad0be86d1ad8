/* Subprograms (static and global), a bounded loop and bpf_loop with a callback. */
#include "common.h"

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u64); } sum SEC(".maps");

struct loop_ctx {
	__u64 acc;
	__u32 limit;
};

static long add_step(__u64 index, void *data)
{
	struct loop_ctx *lc = data;

	lc->acc += index * 3;
	return index + 1 >= lc->limit ? 1 : 0;
}

static __noinline __u64 square(__u64 x)
{
	return x * x;
}

__noinline int checksum_bytes(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	int i, s = 0;

	for (i = 0; i < 32; i++) {
		if ((void *)(p + i + 1) > data_end)
			break;
		s += p[i];
	}
	return s;
}

SEC("xdp")
int xdp_loops(struct xdp_md *ctx)
{
	struct loop_ctx lc = { .acc = 0, .limit = 10 };
	__u32 zero = 0;
	__u64 *v;
	int s;

	bpf_loop(100, add_step, &lc, 0);
	s = checksum_bytes(ctx);
	v = bpf_map_lookup_elem(&sum, &zero);
	if (v)
		*v = lc.acc + square(s & 0xff);
	return XDP_PASS;
}

SEC("xdp")
int xdp_square_only(struct xdp_md *ctx)
{
	return square(ctx->data_end - ctx->data) > 10000 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
