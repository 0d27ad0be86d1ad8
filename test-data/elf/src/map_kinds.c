/* One BTF-defined map of each common kind, and several XDP programs in one section. */
#include "common.h"

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u64); } h SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u32); } a SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } pa SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } ph SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 16); __type(key, __u64); __type(value, __u32); } lru SEC(".maps");

struct lpm_key { __u32 prefixlen; __u32 addr; };
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 16); __uint(map_flags, BPF_F_NO_PREALLOC);
	 __type(key, struct lpm_key); __type(value, __u32); } lpm SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, 8); __uint(value_size, sizeof(__u32)); } q SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_STACK); __uint(max_entries, 8); __uint(value_size, sizeof(__u32)); } stk SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 32); __uint(value_size, sizeof(__u32)); __uint(map_extra, 3); } bloom SEC(".maps");

struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); };
struct inner inner0 SEC(".maps");
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner);
} outer SEC(".maps") = { .values = { [0] = &inner0 } };

SEC("xdp")
int xdp_hash_array(struct xdp_md *ctx)
{
	__u32 k = ctx->data_end - ctx->data;
	__u64 one = 1, *v;
	__u32 idx = 1, *av;

	v = bpf_map_lookup_elem(&h, &k);
	if (v)
		*v += 1;
	else
		bpf_map_update_elem(&h, &k, &one, BPF_ANY);
	av = bpf_map_lookup_elem(&a, &idx);
	if (av)
		*av = k;
	v = bpf_map_lookup_elem(&pa, &idx);
	if (v)
		*v += k;
	bpf_map_update_elem(&ph, &idx, &one, BPF_ANY);
	return XDP_PASS;
}

SEC("xdp")
int xdp_lru_lpm(struct xdp_md *ctx)
{
	__u64 key = ctx->data_end - ctx->data;
	__u32 val = 7, *m;
	struct lpm_key lk = { .prefixlen = 32, .addr = bpf_htonl(0x0a000001) };

	bpf_map_update_elem(&lru, &key, &val, BPF_ANY);
	m = bpf_map_lookup_elem(&lpm, &lk);
	return m ? *m : XDP_PASS;
}

SEC("xdp")
int xdp_queue_stack_bloom(struct xdp_md *ctx)
{
	__u32 v = ctx->data_end - ctx->data, out = 0;

	bpf_map_push_elem(&q, &v, 0);
	bpf_map_push_elem(&stk, &v, 0);
	bpf_map_push_elem(&bloom, &v, 0);
	if (bpf_map_peek_elem(&bloom, &v) == 0)
		out += 1;
	if (bpf_map_pop_elem(&q, &v) == 0)
		out += 1;
	return out == 2 ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int xdp_map_in_map(struct xdp_md *ctx)
{
	__u32 zero = 0, *val;
	void *in = bpf_map_lookup_elem(&outer, &zero);

	if (!in)
		return XDP_ABORTED;
	val = bpf_map_lookup_elem(in, &zero);
	if (!val)
		return XDP_ABORTED;
	*val += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
