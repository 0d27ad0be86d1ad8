/**
 * pcapng reader for the blocks a capture of Ethernet frames needs: Section
 * Header (either byte order, several sections), Interface Description
 * (link type, snap length, if_tsresol), Enhanced Packet, Simple Packet and
 * the obsolete Packet block. Other blocks (statistics, name resolution,
 * custom) are skipped. Format: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-02.html
 */
import type { CaptureFile, CapturedPacket } from './capture.ts';
import { LINKTYPE_ETHERNET, unsupportedLinktype } from './capture.ts';
import type { NetResult } from './result.ts';
import { fail, ok } from './result.ts';

export const PCAPNG_SHB_TYPE = 0x0a0d0d0a;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const IDB = 1;
const OBSOLETE_PB = 2;
const SPB = 3;
const EPB = 6;
const OPT_IF_TSRESOL = 9;

interface Interface {
  linktype: number;
  snaplen: number;
  /** Timestamp units per second as (base, exponent): 10^6 unless if_tsresol says otherwise. */
  resolution: { base: 10 | 2; exponent: number };
}

export function readPcapng(bytes: Uint8Array): NetResult<CaptureFile> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const packets: CapturedPacket[] = [];
  const warnings: string[] = [];
  let little = true;
  let interfaces: Interface[] = [];
  const skippedInterfaces = new Set<string>();
  let snaplen = 0;
  let at = 0;
  let blockIndex = 0;
  while (at < bytes.length) {
    blockIndex++;
    if (at + 12 > bytes.length) {
      warnings.push(`pcapng: block ${blockIndex} at offset ${at} is truncated (${bytes.length - at} bytes left)`);
      break;
    }
    const type = view.getUint32(at, little);
    if (type === PCAPNG_SHB_TYPE || view.getUint32(at, true) === PCAPNG_SHB_TYPE) {
      // A new section may switch byte order; its magic tells which.
      const magic = view.getUint32(at + 8, true);
      if (magic === BYTE_ORDER_MAGIC) little = true;
      else if (view.getUint32(at + 8, false) === BYTE_ORDER_MAGIC) little = false;
      else return fail(`pcapng: section header at offset ${at} has an unknown byte-order magic`);
      interfaces = [];
    }
    const length = view.getUint32(at + 4, little);
    if (length < 12 || length % 4 !== 0) return fail(`pcapng: block ${blockIndex} at offset ${at} has an invalid length ${length}`);
    if (at + length > bytes.length) {
      warnings.push(`pcapng: block ${blockIndex} at offset ${at} is truncated: it claims ${length} bytes, ${bytes.length - at} remain`);
      break;
    }
    if (blockIndex === 1 && type !== PCAPNG_SHB_TYPE) return fail('pcapng: file does not start with a section header block');
    const body = at + 8;
    const bodyEnd = at + length - 4;
    const blockType = view.getUint32(at, little);
    const where = `pcapng: block ${blockIndex} at offset ${at}`;
    if (blockType === PCAPNG_SHB_TYPE) {
      const major = view.getUint16(body + 4, little);
      if (major !== 1) return fail(`${where}: section version ${major} is not supported (expected 1)`);
    } else if (blockType === IDB) {
      if (bodyEnd - body < 8) return fail(`${where}: interface description block is too short`);
      const iface: Interface = { linktype: view.getUint16(body, little), snaplen: view.getUint32(body + 4, little), resolution: { base: 10, exponent: 6 } };
      readOptions(view, body + 8, bodyEnd, little, (code, valueAt, len) => {
        if (code === OPT_IF_TSRESOL && len >= 1) {
          const v = bytes[valueAt];
          iface.resolution = v & 0x80 ? { base: 2, exponent: v & 0x7f } : { base: 10, exponent: v };
        }
      });
      if (iface.linktype === LINKTYPE_ETHERNET && snaplen === 0) snaplen = iface.snaplen;
      interfaces.push(iface);
    } else if (blockType === EPB || blockType === OBSOLETE_PB) {
      const obsolete = blockType === OBSOLETE_PB;
      if (bodyEnd - body < 20) return fail(`${where}: packet block is too short`);
      const ifaceId = obsolete ? view.getUint16(body, little) : view.getUint32(body, little);
      const iface = interfaces[ifaceId];
      if (!iface) return fail(`${where}: packet refers to interface ${ifaceId}, which was not described`);
      const capLen = view.getUint32(body + 12, little);
      const origLen = view.getUint32(body + 16, little);
      if (body + 20 + capLen > bodyEnd) return fail(`${where}: captured length ${capLen} overruns the block`);
      if (iface.linktype !== LINKTYPE_ETHERNET) {
        skippedInterfaces.add(`interface ${ifaceId}: ${unsupportedLinktype(iface.linktype)}`);
      } else {
        const ts = timestamp(view.getUint32(body + 4, little), view.getUint32(body + 8, little), iface.resolution);
        packets.push({ ...ts, data: bytes.slice(body + 20, body + 20 + capLen), originalLength: Math.max(origLen, capLen) });
      }
    } else if (blockType === SPB) {
      const iface = interfaces[0];
      if (!iface) return fail(`${where}: simple packet block before any interface description`);
      const origLen = view.getUint32(body, little);
      const capLen = Math.min(origLen, bodyEnd - body - 4, iface.snaplen > 0 ? iface.snaplen : Infinity);
      if (iface.linktype !== LINKTYPE_ETHERNET) skippedInterfaces.add(`interface 0: ${unsupportedLinktype(iface.linktype)}`);
      // Simple packet blocks carry no timestamp.
      else packets.push({ timestampSec: 0, timestampNsec: 0, data: bytes.slice(body + 4, body + 4 + capLen), originalLength: Math.max(origLen, capLen) });
    }
    at += length;
  }
  for (const s of skippedInterfaces) warnings.push(`pcapng: skipped packets of ${s}`);
  if (packets.length === 0 && skippedInterfaces.size > 0) return fail(`pcapng: no Ethernet packets; ${[...skippedInterfaces].join('; ')}`);
  return ok({ format: 'pcapng', linktype: LINKTYPE_ETHERNET, snaplen, nanosecond: false, packets, warnings });
}

function readOptions(view: DataView, start: number, end: number, little: boolean, visit: (code: number, valueAt: number, len: number) => void): void {
  let at = start;
  while (at + 4 <= end) {
    const code = view.getUint16(at, little);
    const len = view.getUint16(at + 2, little);
    if (code === 0 || at + 4 + len > end) return;
    visit(code, at + 4, len);
    at += 4 + Math.ceil(len / 4) * 4;
  }
}

/** Converts a 64-bit tick count at the interface's resolution to seconds + nanoseconds. */
function timestamp(high: number, low: number, res: Interface['resolution']): { timestampSec: number; timestampNsec: number } {
  // BigInt is fine here: this runs once per imported packet, not in a hot loop.
  const ticks = (BigInt(high) << 32n) | BigInt(low);
  const perSecond = BigInt(res.base) ** BigInt(res.exponent);
  if (perSecond === 0n) return { timestampSec: 0, timestampNsec: 0 };
  const sec = ticks / perSecond;
  const frac = ticks % perSecond;
  const nsec = (frac * 1_000_000_000n) / perSecond;
  return { timestampSec: Number(sec), timestampNsec: Number(nsec) };
}
