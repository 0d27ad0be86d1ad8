/* Common mistakes the kernel verifier rejects, one per program, and one that is fine. */
#include "common.h"

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } arr SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } hm SEC(".maps");

SEC("xdp")
int no_bounds_check(struct xdp_md *ctx)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	return eth->h_proto == bpf_htons(ETH_P_IP) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int null_map_value(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&hm, &k);
	return *v ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int map_value_oob(struct xdp_md *ctx)
{
	__u32 k = 0;
	__u32 i = ctx->data_end - ctx->data;
	__u64 *v = bpf_map_lookup_elem(&arr, &k);
	if (!v)
		return XDP_PASS;
	return ((__u8 *)v)[i & 0xff];
}

SEC("xdp")
int write_ctx(struct xdp_md *ctx)
{
	ctx->data = 0;
	return XDP_PASS;
}

SEC("xdp")
int off_by_one(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	if (data + 14 > data_end)
		return XDP_PASS;
	return p[14];
}

SEC("xdp")
int checked_ok(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *p = data;
	if (data + 15 > data_end)
		return XDP_PASS;
	return p[14] == 0x45 ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
