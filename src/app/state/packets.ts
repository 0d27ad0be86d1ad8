/**
 * The packet list Runs execute on: plain entries (a label and the frame as
 * hex), persisted as JSON. Whatever comes back from storage or a share link is
 * checked entry by entry, so a damaged list falls back to the default packet.
 */
import { buildExample, DEFAULT_EXAMPLE_ID, EXAMPLE_PACKETS, toHex } from '../../core/net/index.ts';

export interface PacketEntry {
  id: string;
  label: string;
  /** the frame, Ethernet header first, lowercase hex without spaces */
  hex: string;
}

/** Runs of more packets than this would make the result list unreadable and links huge. */
export const MAX_PACKETS = 64;

let counter = 0;
/** Ids only need to be unique within one page's list. */
export function newPacketId(): string {
  counter += 1;
  return `p${Date.now().toString(36)}${counter.toString(36)}`;
}

export function examplePacket(id: string): PacketEntry | null {
  const example = EXAMPLE_PACKETS.find((p) => p.id === id);
  const built = buildExample(id);
  if (!example || !built.ok) return null;
  return { id: newPacketId(), label: example.label, hex: toHex(built.value) };
}

export function defaultPackets(): PacketEntry[] {
  const p = examplePacket(DEFAULT_EXAMPLE_ID);
  return p ? [p] : [];
}

function isHex(s: unknown): s is string {
  return typeof s === 'string' && s.length % 2 === 0 && /^[0-9a-f]*$/.test(s);
}

/** Checks entries from an untrusted source; null when they are not a packet list. */
export function parsePacketList(value: unknown): PacketEntry[] | null {
  if (!Array.isArray(value) || value.length > MAX_PACKETS) return null;
  const out: PacketEntry[] = [];
  for (const v of value) {
    if (typeof v !== 'object' || v === null) return null;
    const { label, hex } = v as Record<string, unknown>;
    if (typeof label !== 'string' || !isHex(hex)) return null;
    out.push({ id: newPacketId(), label: label.slice(0, 200), hex });
  }
  return out;
}

export function readPacketList(json: string | null): PacketEntry[] | null {
  if (json === null) return null;
  try {
    return parsePacketList(JSON.parse(json));
  } catch {
    return null;
  }
}
