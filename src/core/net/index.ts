/**
 * The packet library: build frames from a PacketSpec, decode frames into
 * analyzer-style layers, recover a spec from bytes, read/write pcap, hex
 * dump/parse and byte diffs. Pure TypeScript, runs in Node and a worker.
 */
export type { NetResult } from './result.ts';
export type {
  PacketSpec,
  EthSpec,
  VlanSpec,
  IpSpec,
  Ipv4Spec,
  Ipv6Spec,
  Ipv4Flag,
  ArpSpec,
  L4Spec,
  TcpSpec,
  TcpFlag,
  UdpSpec,
  IcmpSpec,
  Icmpv6Spec,
  RawL4Spec,
} from './spec.ts';
export { TCP_FLAGS } from './spec.ts';
export { buildPacket, MAX_FRAME } from './build.ts';
export type { DecodedPacket, DecodedLayer, DecodedField, LayerKind, ChecksumCheck, ChecksumStatus } from './decoded.ts';
export { parsePacket } from './parse.ts';
export { parseToSpec } from './parse-to-spec.ts';
export type { RecoveredSpec } from './parse-to-spec.ts';
export type { CaptureFile, CapturedPacket } from './capture.ts';
export { LINKTYPE_ETHERNET } from './capture.ts';
export { readCapture, readPcap, writePcap, DEFAULT_SNAPLEN } from './pcap.ts';
export type { PacketToWrite, PcapWriteOptions } from './pcap.ts';
export { readPcapng } from './pcapng.ts';
export { formatHexDump, hexDumpRows, parseHex, parseHexBytes, toHex } from './hex.ts';
export type { HexDumpRow, HexParseError, HexParseResult } from './hex.ts';
export { diffBytes } from './diff.ts';
export type { ByteDiff, ByteDiffRange, ByteDiffKind } from './diff.ts';
export { EXAMPLE_PACKETS, DEFAULT_EXAMPLE_ID, buildExample, findExample } from './defaults.ts';
export type { ExamplePacket } from './defaults.ts';
export { parseMac, formatMac, parseIpv4, formatIpv4, parseIpv6, formatIpv6 } from './addr.ts';
export { internetChecksum } from './checksum.ts';
