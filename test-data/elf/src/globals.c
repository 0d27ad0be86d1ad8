/* Global data: .data, .rodata (const volatile config), .bss and string literals. */
#include "common.h"

const volatile __u32 drop_len = 60;        /* .rodata */
const volatile __u8 verbose = 0;           /* .rodata */
__u64 packets = 0;                         /* .bss */
__u64 bytes = 0;                           /* .bss */
__u32 last_len = 0xffffffff;               /* .data */
static __u32 seen_big = 3;                 /* .data, static */
static const char tag[] = "bpfiddle";      /* .rodata */

SEC("xdp")
int xdp_globals(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	packets++;
	bytes += len;
	last_len = len;
	if (len > 100)
		seen_big++;
	if (verbose)
		bpf_printk("len %u tag %s", len, tag);
	return len == drop_len ? XDP_DROP : XDP_PASS;
}

SEC("tc")
int tc_globals(struct __sk_buff *skb)
{
	packets += 2;
	if (verbose)
		bpf_trace_printk("tc len %d\n", sizeof("tc len %d\n"), skb->len);
	if (skb->len == drop_len)
		return TC_ACT_SHOT;
	return tag[0] == 'b' ? TC_ACT_OK : TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
