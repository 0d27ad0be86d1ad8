/** Packet list ↔ capture files (pcap, pcapng in; pcap out), with labels from the decoder. */
import { parseHexBytes, parsePacket, readCapture, toHex, writePcap } from '../../core/net/index.ts';
import { MAX_PACKETS, type PacketEntry } from '../state/packets.ts';

export type ImportResult = { ok: true; packets: Omit<PacketEntry, 'id'>[]; notes: string[] } | { ok: false; error: string };

export function importCapture(bytes: Uint8Array, fileName: string): ImportResult {
  const capture = readCapture(bytes);
  if (!capture.ok) return { ok: false, error: `${fileName}: ${capture.error}` };
  const notes = [...capture.value.warnings];
  const all = capture.value.packets;
  if (all.length === 0) return { ok: false, error: `${fileName}: the capture holds no packets` };
  if (all.length > MAX_PACKETS) notes.push(`only the first ${MAX_PACKETS} of ${all.length} packets were imported`);
  const packets = all.slice(0, MAX_PACKETS).map((p) => ({ label: parsePacket(p.data).summary, hex: toHex(p.data) }));
  return { ok: true, packets, notes };
}

export function exportPcap(packets: readonly Pick<PacketEntry, 'hex'>[]): { ok: true; bytes: Uint8Array } | { ok: false; error: string } {
  const data: Uint8Array[] = [];
  for (const [i, p] of packets.entries()) {
    const b = parseHexBytes(p.hex);
    if (!b.ok) return { ok: false, error: `packet ${i + 1}: ${b.error}` };
    data.push(b.value);
  }
  // One second apart, so tools that sort by time keep the list's order.
  const written = writePcap(data.map((d, i) => ({ data: d, timestampSec: i })));
  return written.ok ? { ok: true, bytes: written.value } : { ok: false, error: written.error };
}
