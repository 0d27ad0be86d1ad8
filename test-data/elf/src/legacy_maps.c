/* The pre-BTF "maps" section (struct bpf_map_def), as old samples wrote it,
 * plus the legacy "version" section. libbpf 1.x no longer loads these. */
#include "common.h"

struct bpf_map_def_legacy {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bpf_map_def_legacy SEC("maps") legacy_counts = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 2,
};
struct bpf_map_def_legacy SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u32),
	.max_entries = 8,
	.map_flags = 0,
};

SEC("socket")
int legacy_sock(struct __sk_buff *skb)
{
	__u32 k = skb->len & 1;
	__u64 *v = bpf_map_lookup_elem(&legacy_counts, &k);
	__u32 one = 1;

	if (v)
		__sync_fetch_and_add(v, 1);
	bpf_map_update_elem(&legacy_hash, &k, &one, BPF_ANY);
	return -1;
}

char LICENSE[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060c00;
