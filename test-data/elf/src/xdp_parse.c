/* XDP parser: Ethernet, up to two VLAN tags, IPv4/IPv6, TCP/UDP.
 * Counts packets per outcome in an array map and drops UDP port 53. */
#include "common.h"

enum outcome { O_SHORT, O_IPV4, O_IPV6, O_TCP, O_UDP, O_OTHER, O_DNS_DROP, O_MAX };

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, O_MAX);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static __always_inline void count(__u32 what)
{
	__u64 *v = bpf_map_lookup_elem(&counters, &what);
	if (v)
		__sync_fetch_and_add(v, 1);
}

/* returns the L4 protocol or -1; *l4 set to the L4 header */
static __noinline int parse_l3(void *data, void *data_end, __u16 proto, void **l4)
{
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = data;
		if ((void *)(ip + 1) > data_end)
			return -1;
		if (ip->ihl < 5)
			return -1;
		*l4 = (void *)ip + ip->ihl * 4;
		return ip->protocol;
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = data;
		if ((void *)(ip6 + 1) > data_end)
			return -1;
		*l4 = ip6 + 1;
		return ip6->nexthdr;
	}
	return -1;
}

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *l4 = 0;
	__u16 proto;
	int i, l4proto;

	if ((void *)(eth + 1) > data_end) {
		count(O_SHORT);
		return XDP_PASS;
	}
	proto = eth->h_proto;
	data = eth + 1;
#pragma unroll
	for (i = 0; i < 2; i++) {
		struct vlan_hdr *vh = data;
		if (proto != bpf_htons(ETH_P_8021Q) && proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(vh + 1) > data_end)
			return XDP_DROP;
		proto = vh->encap_proto;
		data = vh + 1;
	}
	l4proto = parse_l3(data, data_end, proto, &l4);
	if (l4proto < 0) {
		count(O_OTHER);
		return XDP_PASS;
	}
	count(proto == bpf_htons(ETH_P_IP) ? O_IPV4 : O_IPV6);
	if (l4proto == IPPROTO_TCP) {
		struct tcphdr *tcp = l4;
		if ((void *)(tcp + 1) > data_end)
			return XDP_DROP;
		count(O_TCP);
		return tcp->syn && !tcp->ack ? XDP_PASS : XDP_PASS;
	}
	if (l4proto == IPPROTO_UDP) {
		struct udphdr *udp = l4;
		if ((void *)(udp + 1) > data_end)
			return XDP_DROP;
		count(O_UDP);
		if (udp->dest == bpf_htons(53)) {
			count(O_DNS_DROP);
			return XDP_DROP;
		}
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
