/** The capture-file model shared by the pcap and pcapng readers. */

export interface CapturedPacket {
  /** Seconds since the Unix epoch. */
  timestampSec: number;
  /** Nanoseconds within the second (pcap microsecond files give multiples of 1000). */
  timestampNsec: number;
  /** The captured bytes (may be shorter than originalLength if the capture had a snap length). */
  data: Uint8Array;
  originalLength: number;
}

export interface CaptureFile {
  format: 'pcap' | 'pcapng';
  /** Always 1 (Ethernet) today: files of other link types are refused. */
  linktype: number;
  snaplen: number;
  /** pcap: whether the file stores nanosecond timestamps. */
  nanosecond: boolean;
  packets: CapturedPacket[];
  /** Non-fatal oddities: a truncated last record, skipped blocks or interfaces. */
  warnings: string[];
}

export const LINKTYPE_ETHERNET = 1;

const LINKTYPE_NAMES: Record<number, string> = {
  0: 'NULL (BSD loopback)',
  1: 'ETHERNET',
  101: 'RAW (IP without link layer)',
  105: 'IEEE802_11 (Wi-Fi)',
  113: 'LINUX_SLL (Linux "any" device)',
  127: 'IEEE802_11_RADIOTAP',
  228: 'IPV4',
  229: 'IPV6',
  276: 'LINUX_SLL2 (Linux "any" device)',
};

export function linktypeName(linktype: number): string {
  return LINKTYPE_NAMES[linktype] ?? 'unknown';
}

export function unsupportedLinktype(linktype: number): string {
  return `link type ${linktype} (${linktypeName(linktype)}) is not supported; only Ethernet (1) captures can be imported`;
}
