export { XDP_IPV4_ONLY } from './xdp-ipv4-only.ts';
