/** Decoders for Ethernet II, 802.1Q/802.1ad tags and Ethernet/IPv4 ARP. */
import { formatIpv4, formatMac } from './addr.ts';
import { ethertypeName, hex } from './constants.ts';
import type { LayerReader } from './parse-reader.ts';
import { bitChild } from './parse-reader.ts';

export function typeText(type: number): string {
  return `${ethertypeName(type)} (${hex(type, 4)})`;
}

/** Returns the EtherType (or 802.3 length) that follows the addresses. */
export function decodeEthernet(r: LayerReader): number {
  r.need(0, 12);
  const dst = formatMac(r.bytes, r.start);
  const src = formatMac(r.bytes, r.start + 6);
  r.layer.title = `Ethernet II, Src: ${src}, Dst: ${dst}`;
  r.field('Destination', dst + macNote(r.bytes[r.start]), 0, 6);
  r.field('Source', src, 6, 6);
  const type = r.u16(12);
  if (type < 0x0600) {
    // Values up to 1500 are an IEEE 802.3 length, not an EtherType.
    r.layer.title = `IEEE 802.3 Ethernet, Src: ${src}, Dst: ${dst}`;
    r.field('Length', String(type), 12, 2);
  } else {
    r.field('Type', typeText(type), 12, 2);
  }
  r.setLength(14);
  return type;
}

function macNote(firstByte: number): string {
  return firstByte === 0xff ? ' (broadcast)' : firstByte & 1 ? ' (multicast)' : '';
}

export interface VlanTag {
  id: number;
  pcp: number;
  dei: boolean;
  type: number;
}

/** Decodes the 4 bytes after a TPID: TCI and the next EtherType. r starts at the TCI. */
export function decodeVlan(r: LayerReader, tpid: number): VlanTag {
  const tci = r.u16(0);
  const tag: VlanTag = { id: tci & 0xfff, pcp: tci >> 13, dei: (tci & 0x1000) !== 0, type: 0 };
  const name = tpid === 0x8100 ? '802.1Q Virtual LAN' : '802.1ad Provider Bridge (QinQ)';
  r.layer.title = `${name}, PRI: ${tag.pcp}, DEI: ${tag.dei ? 1 : 0}, ID: ${tag.id}`;
  r.field('TCI', hex(tci, 4), 0, 2, {
    children: [
      bitChild('Priority', String(tag.pcp), r.start, 2, 0, 3),
      bitChild('DEI', tag.dei ? '1 (drop eligible)' : '0 (ineligible)', r.start, 2, 3, 1),
      bitChild('ID', String(tag.id), r.start, 2, 4, 12),
    ],
  });
  tag.type = r.u16(2);
  r.field('Type', typeText(tag.type), 2, 2);
  r.setLength(4);
  return tag;
}

export interface ArpInfo {
  op: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

const ARP_OPS: Record<number, string> = { 1: 'request', 2: 'reply', 3: 'RARP request', 4: 'RARP reply' };

/** Decodes ARP; returns details only for the Ethernet/IPv4 form the builder writes. */
export function decodeArp(r: LayerReader): ArpInfo | null {
  const htype = r.u16(0);
  r.field('Hardware type', htype === 1 ? 'Ethernet (1)' : String(htype), 0, 2);
  const ptype = r.u16(2);
  r.field('Protocol type', typeText(ptype), 2, 2);
  const hlen = r.u8(4);
  r.field('Hardware size', String(hlen), 4, 1);
  const plen = r.u8(5);
  r.field('Protocol size', String(plen), 5, 1);
  const op = r.u16(6);
  const opName = ARP_OPS[op] ?? 'unknown';
  r.field('Opcode', `${opName} (${op})`, 6, 2);
  r.layer.title = `Address Resolution Protocol (${opName})`;
  if (htype !== 1 || ptype !== 0x0800 || hlen !== 6 || plen !== 4) {
    const rest = 2 * hlen + 2 * plen;
    r.need(8, rest);
    r.field('Addresses', `${rest} bytes (not Ethernet/IPv4)`, 8, rest);
    r.setLength(8 + rest);
    return null;
  }
  r.need(8, 20);
  const info: ArpInfo = {
    op,
    senderMac: formatMac(r.bytes, r.start + 8),
    senderIp: formatIpv4(r.bytes, r.start + 14),
    targetMac: formatMac(r.bytes, r.start + 18),
    targetIp: formatIpv4(r.bytes, r.start + 24),
  };
  r.field('Sender MAC address', info.senderMac, 8, 6);
  r.field('Sender IP address', info.senderIp, 14, 4);
  r.field('Target MAC address', info.targetMac, 18, 6);
  r.field('Target IP address', info.targetIp, 24, 4);
  r.setLength(28);
  return info;
}
