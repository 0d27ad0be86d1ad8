/* Ring buffer and perf event output of a small packet summary. */
#include "common.h"

struct event {
	__u32 len;
	__u16 proto;
	__u8 kind;
	__u8 pad;
	__u8 src_mac[6];
};

struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } rb SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, sizeof(int)); __uint(value_size, sizeof(int)); } perf SEC(".maps");

SEC("xdp")
int xdp_ringbuf(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct event *e;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return XDP_PASS;
	e->len = data_end - data;
	e->proto = bpf_ntohs(eth->h_proto);
	e->kind = 1;
	e->pad = 0;
	__builtin_memcpy(e->src_mac, eth->h_source, 6);
	bpf_ringbuf_submit(e, 0);
	return XDP_PASS;
}

SEC("xdp")
int xdp_perf(struct xdp_md *ctx)
{
	struct event e = {};

	e.len = ctx->data_end - ctx->data;
	e.kind = 2;
	bpf_perf_event_output(ctx, &perf, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
