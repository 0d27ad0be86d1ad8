/** Protocol numbers and their display names (IANA registries). */

export const ETHERTYPE = {
  IPV4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100,
  QINQ: 0x88a8,
  IPV6: 0x86dd,
} as const;

export const IPPROTO = {
  HOPOPTS: 0,
  ICMP: 1,
  TCP: 6,
  UDP: 17,
  ROUTING: 43,
  FRAGMENT: 44,
  ICMPV6: 58,
  NONE: 59,
  DSTOPTS: 60,
} as const;

const ETHERTYPE_NAMES: Record<number, string> = {
  0x0800: 'IPv4',
  0x0806: 'ARP',
  0x8100: '802.1Q Virtual LAN',
  0x88a8: '802.1ad Provider Bridge (QinQ)',
  0x9100: 'QinQ (legacy 0x9100)',
  0x86dd: 'IPv6',
  0x8847: 'MPLS label switched packet',
  0x88cc: '802.1 Link Layer Discovery Protocol (LLDP)',
};

const IPPROTO_NAMES: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option',
  1: 'ICMP',
  2: 'IGMP',
  4: 'IPIP',
  6: 'TCP',
  17: 'UDP',
  41: 'IPv6',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  47: 'GRE',
  50: 'ESP',
  51: 'AH',
  58: 'ICMPv6',
  59: 'IPv6 No Next Header',
  60: 'Destination Options for IPv6',
  132: 'SCTP',
};

export function hex(value: number, digits: number): string {
  return '0x' + value.toString(16).padStart(digits, '0');
}

export function ethertypeName(type: number): string {
  return ETHERTYPE_NAMES[type] ?? 'Unknown';
}

export function ipProtocolName(proto: number): string {
  return IPPROTO_NAMES[proto] ?? 'Unknown';
}

/** True for EtherTypes that carry an 802.1Q-style tag. */
export function isVlanTpid(type: number): boolean {
  return type === 0x8100 || type === 0x88a8 || type === 0x9100;
}

/** IPv6 extension headers the parser walks over (all share the next-header + length prefix, except Fragment). */
export function isIpv6ExtensionHeader(proto: number): boolean {
  return proto === 0 || proto === 43 || proto === 44 || proto === 60;
}
