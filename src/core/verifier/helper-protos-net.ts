/**
 * Prototypes of networking helpers beyond the packet core, for the program
 * types Linux 6.18 gives them to (tc_cls_act_func_proto, xdp_func_proto,
 * sk_filter_func_proto; recorded in test-data/verifier/helper-availability.json).
 */
import { HelperProto, NET, SKB_TYPES, TC, TC_XDP, p } from './helper-proto-kinds.ts';

const SOCK = 'it works on kernel sockets, which bpfiddle does not model';

export const NET_PROTOS: (HelperProto | null)[] = [
  p('bpf_get_route_realm', ['ctx'], 'integer', TC),
  p('bpf_skb_cgroup_id', ['ctx'], 'integer', TC),
  p('bpf_skb_ancestor_cgroup_id', ['ctx', 'anything'], 'integer', TC),
  p('bpf_skb_cgroup_classid', ['ctx'], 'integer', TC),
  p('bpf_skb_ecn_set_ce', ['ctx'], 'integer', TC),
  p('bpf_csum_level', ['ctx', 'anything'], 'integer', TC),
  p('bpf_redirect_peer', ['anything', 'anything'], 'integer', TC),
  p('bpf_redirect_neigh', ['anything', 'mem_rdonly_or_null', 'const_size_or_zero', 'anything'], 'integer', TC),
  p('bpf_skb_set_tstamp', ['ctx', 'anything', 'anything'], 'integer', TC),
  p('bpf_skb_under_cgroup', ['ctx', 'const_map_ptr', 'anything'], 'integer', TC, { mapTypes: ['cgroup_array'] }),
  p('bpf_skb_get_tunnel_key', ['ctx', 'mem_uninit', 'const_size', 'anything'], 'integer', TC),
  p('bpf_skb_set_tunnel_key', ['ctx', 'mem_rdonly', 'const_size', 'anything'], 'integer', TC),
  p('bpf_skb_get_tunnel_opt', ['ctx', 'mem_uninit', 'const_size'], 'integer', TC),
  p('bpf_skb_set_tunnel_opt', ['ctx', 'mem_rdonly', 'const_size'], 'integer', TC),
  p('bpf_skb_get_xfrm_state', ['ctx', 'anything', 'mem_uninit', 'const_size', 'anything'], 'integer', TC),
  p('bpf_get_netns_cookie', ['ctx_or_null'], 'integer', SKB_TYPES),
  p('bpf_fib_lookup', ['ctx', 'mem_writable', 'const_size', 'anything'], 'integer', TC_XDP, { gplOnly: true }),
  p('bpf_check_mtu', ['ctx', 'anything', 'fixed_mem', 'anything', 'anything'], 'integer', TC_XDP, { gplOnly: true, fixedSize: { 2: 4 } }),
  p('bpf_xdp_get_buff_len', ['ctx'], 'integer', ['xdp']),
  p('bpf_xdp_load_bytes', ['ctx', 'anything', 'mem_uninit', 'const_size'], 'integer', ['xdp']),
  p('bpf_xdp_store_bytes', ['ctx', 'anything', 'mem_rdonly', 'const_size'], 'integer', ['xdp']),
  p('bpf_tcp_raw_gen_syncookie_ipv4', ['fixed_mem', 'mem_writable', 'const_size_or_zero'], 'integer', TC_XDP, { gplOnly: true, fixedSize: { 0: 20 } }),
  p('bpf_tcp_raw_gen_syncookie_ipv6', ['fixed_mem', 'mem_writable', 'const_size_or_zero'], 'integer', TC_XDP, { gplOnly: true, fixedSize: { 0: 40 } }),
  p('bpf_tcp_raw_check_syncookie_ipv4', ['fixed_mem', 'fixed_mem'], 'integer', TC_XDP, { gplOnly: true, fixedSize: { 0: 20, 1: 20 } }),
  p('bpf_tcp_raw_check_syncookie_ipv6', ['fixed_mem', 'fixed_mem'], 'integer', TC_XDP, { gplOnly: true, fixedSize: { 0: 40, 1: 20 } }),
  // socket lookups return referenced socket pointers the verifier would have to track
  p('bpf_sk_lookup_tcp', ['ctx', 'mem_rdonly', 'const_size_or_zero', 'anything', 'anything'], 'integer', TC_XDP, { unmodelled: SOCK }),
  p('bpf_sk_lookup_udp', ['ctx', 'mem_rdonly', 'const_size_or_zero', 'anything', 'anything'], 'integer', TC_XDP, { unmodelled: SOCK }),
  p('bpf_skc_lookup_tcp', ['ctx', 'mem_rdonly', 'const_size_or_zero', 'anything', 'anything'], 'integer', TC_XDP, { unmodelled: SOCK }),
  p('bpf_sk_release', ['btf_sock_common_release'], 'integer', TC_XDP, { unmodelled: SOCK }),
  p('bpf_tcp_check_syncookie', ['btf_sock_common', 'mem_rdonly', 'const_size', 'mem_rdonly', 'const_size'], 'integer', TC_XDP, { gplOnly: true, unmodelled: SOCK }),
  p('bpf_tcp_gen_syncookie', ['btf_sock_common', 'mem_rdonly', 'const_size', 'mem_rdonly', 'const_size'], 'integer', TC_XDP, { gplOnly: true, unmodelled: SOCK }),
  p('bpf_sk_fullsock', ['sock_common'], 'integer', TC, { unmodelled: SOCK }),
  p('bpf_tcp_sock', ['sock_common'], 'integer', TC, { unmodelled: SOCK }),
  p('bpf_get_listener_sock', ['sock_common'], 'integer', TC, { unmodelled: SOCK }),
  p('bpf_sk_storage_get', ['const_map_ptr', 'btf_sock_common', 'map_value_or_null', 'anything'], 'map_value_or_null', TC, { mapTypes: ['sk_storage'], unmodelled: SOCK }),
  p('bpf_sk_storage_delete', ['const_map_ptr', 'btf_sock_common'], 'integer', TC, { mapTypes: ['sk_storage'], unmodelled: SOCK }),
  p('bpf_sk_assign', ['ctx', 'btf_sock_common', 'anything'], 'integer', TC, { unmodelled: SOCK }),
  p('bpf_skc_to_tcp6_sock', ['btf_sock_common'], 'integer', NET, { unmodelled: SOCK }),
  p('bpf_skc_to_tcp_sock', ['btf_sock_common'], 'integer', NET, { unmodelled: SOCK }),
  p('bpf_skc_to_tcp_timewait_sock', ['btf_sock_common'], 'integer', NET, { unmodelled: SOCK }),
  p('bpf_skc_to_tcp_request_sock', ['btf_sock_common'], 'integer', NET, { unmodelled: SOCK }),
  p('bpf_skc_to_udp6_sock', ['btf_sock_common'], 'integer', NET, { unmodelled: SOCK }),
  p('bpf_skc_to_unix_sock', ['btf_sock_common'], 'integer', NET, { unmodelled: SOCK }),
  p('bpf_skc_to_mptcp_sock', ['sock_common'], 'integer', NET, { unmodelled: SOCK }),
];
