export { XDP_IPV4_ONLY } from './xdp-ipv4-only.ts';
export { DEFAULT_PACKET_ID, SAMPLE_PACKETS, samplePacket, type SamplePacket } from './packets.ts';
