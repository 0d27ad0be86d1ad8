/* Packet rewriting: XDP swaps MACs and decrements TTL with an incremental checksum
 * update; tc does the same through bpf_l3_csum_replace. */
#include "common.h"

static __always_inline __u16 csum_fold(__u32 csum)
{
	csum = (csum & 0xffff) + (csum >> 16);
	csum = (csum & 0xffff) + (csum >> 16);
	return (__u16)~csum;
}

SEC("xdp")
int xdp_ttl_tx(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	unsigned char tmp[ETH_ALEN];
	__u32 csum;

	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ttl <= 1)
		return XDP_PASS;
	__builtin_memcpy(tmp, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, tmp, ETH_ALEN);
	/* RFC 1624: HC' = ~(~HC + ~m + m') with the TTL/protocol 16-bit word */
	csum = (__u16)~ip->check;
	csum += (__u16)~bpf_htons(ip->ttl << 8 | ip->protocol);
	ip->ttl--;
	csum += bpf_htons(ip->ttl << 8 | ip->protocol);
	ip->check = csum_fold(csum);
	return XDP_TX;
}

SEC("tc")
int tc_ttl(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__u16 old, new;

	if ((void *)(ip + 1) > data_end)
		return TC_ACT_OK;
	if (eth->h_proto != bpf_htons(ETH_P_IP) || ip->ttl <= 1)
		return TC_ACT_OK;
	old = bpf_htons(ip->ttl << 8 | ip->protocol);
	new = bpf_htons((ip->ttl - 1) << 8 | ip->protocol);
	bpf_skb_store_bytes(skb, ETH_HLEN + offsetof(struct iphdr, ttl), &(__u8){ ip->ttl - 1 }, 1, 0);
	bpf_l3_csum_replace(skb, ETH_HLEN + offsetof(struct iphdr, check), old, new, 2);
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
