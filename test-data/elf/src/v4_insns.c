/* Built with -mcpu=v4: sign-extending loads/moves, bswap, 32-bit jumps (gotol). */
#include "common.h"

SEC("xdp")
int xdp_v4(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	signed char *p = data;
	long s;
	short w;

	if ((void *)(p + 16) > data_end)
		return XDP_PASS;
	s = p[0];                   /* ldsx */
	w = (short)(s * 300);        /* movsx */
	s += w;
	s += __builtin_bswap32(*(__u32 *)(p + 4)) & 0xff;
	if (s < 0)
		return XDP_DROP;
	return (s & 1) ? XDP_PASS : XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
