/**
 * Classic libpcap files: read (either byte order, microsecond or nanosecond
 * magic, Ethernet link type) and write (little endian, link type Ethernet).
 * readCapture also accepts pcapng by handing it to the pcapng reader.
 * Format: https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
 */
import type { CaptureFile, CapturedPacket } from './capture.ts';
import { LINKTYPE_ETHERNET, unsupportedLinktype } from './capture.ts';
import { PCAPNG_SHB_TYPE, readPcapng } from './pcapng.ts';
import type { NetResult } from './result.ts';
import { fail, ok } from './result.ts';

const MAGIC_USEC = 0xa1b2c3d4;
const MAGIC_NSEC = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** Larger records than this mean a corrupt file, not a packet (libpcap's limit is 256 KiB). */
const MAX_RECORD = 262144;
export const DEFAULT_SNAPLEN = 262144;

/** Reads a pcap or pcapng file of Ethernet frames. */
export function readCapture(bytes: Uint8Array): NetResult<CaptureFile> {
  if (!(bytes instanceof Uint8Array)) return fail('capture file must be bytes');
  if (bytes.length < 4) return fail(`pcap: file is ${bytes.length} bytes, too short for a capture header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) === PCAPNG_SHB_TYPE) return readPcapng(bytes);
  return readPcap(bytes);
}

export function readPcap(bytes: Uint8Array): NetResult<CaptureFile> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < FILE_HEADER) return fail(`pcap: file is ${bytes.length} bytes, shorter than the 24-byte file header`);
  let little: boolean;
  let nanosecond: boolean;
  const magicLE = view.getUint32(0, true);
  const magicBE = view.getUint32(0, false);
  if (magicLE === MAGIC_USEC || magicLE === MAGIC_NSEC) {
    little = true;
    nanosecond = magicLE === MAGIC_NSEC;
  } else if (magicBE === MAGIC_USEC || magicBE === MAGIC_NSEC) {
    little = false;
    nanosecond = magicBE === MAGIC_NSEC;
  } else {
    return fail(`pcap: unknown magic number 0x${magicBE.toString(16).padStart(8, '0')}; not a pcap or pcapng file`);
  }
  const major = view.getUint16(4, little);
  const minor = view.getUint16(6, little);
  if (major !== 2) return fail(`pcap: version ${major}.${minor} is not supported (expected 2.4)`);
  const snaplen = view.getUint32(16, little);
  // The upper bits of this field may carry FCS information; the link type is the low 16.
  const linktype = view.getUint32(20, little) & 0xffff;
  if (linktype !== LINKTYPE_ETHERNET) return fail(`pcap: ${unsupportedLinktype(linktype)}`);

  const packets: CapturedPacket[] = [];
  const warnings: string[] = [];
  let at = FILE_HEADER;
  while (at < bytes.length) {
    const index = packets.length + 1;
    if (at + RECORD_HEADER > bytes.length) {
      warnings.push(`pcap: record ${index} at offset ${at} is truncated: ${bytes.length - at} bytes left, the record header needs 16`);
      break;
    }
    const sec = view.getUint32(at, little);
    const frac = view.getUint32(at + 4, little);
    const inclLen = view.getUint32(at + 8, little);
    const origLen = view.getUint32(at + 12, little);
    if (inclLen > MAX_RECORD) return fail(`pcap: record ${index} at offset ${at} claims ${inclLen} captured bytes; the file is corrupt`);
    const dataAt = at + RECORD_HEADER;
    if (dataAt + inclLen > bytes.length) {
      warnings.push(`pcap: record ${index} at offset ${at} is truncated: it claims ${inclLen} bytes, ${bytes.length - dataAt} remain`);
      break;
    }
    if (frac >= (nanosecond ? 1e9 : 1e6)) warnings.push(`pcap: record ${index} has an out-of-range fraction of a second (${frac})`);
    packets.push({
      timestampSec: sec,
      timestampNsec: nanosecond ? frac : frac * 1000,
      data: bytes.slice(dataAt, dataAt + inclLen),
      originalLength: Math.max(origLen, inclLen),
    });
    at = dataAt + inclLen;
  }
  return ok({ format: 'pcap', linktype, snaplen, nanosecond, packets, warnings });
}

export interface PacketToWrite {
  data: Uint8Array;
  /** default 0 */
  timestampSec?: number;
  /** default 0 */
  timestampNsec?: number;
  /** default data.length */
  originalLength?: number;
}

export interface PcapWriteOptions {
  /** Write the nanosecond-resolution magic (default: microseconds, which every tool reads). */
  nanosecond?: boolean;
  snaplen?: number;
}

/** Writes a little-endian pcap file with link type Ethernet. */
export function writePcap(packets: readonly PacketToWrite[], options: PcapWriteOptions = {}): NetResult<Uint8Array> {
  if (!Array.isArray(packets)) return fail('pcap: packets must be a list');
  const snaplen = options.snaplen ?? DEFAULT_SNAPLEN;
  if (!Number.isInteger(snaplen) || snaplen < 1 || snaplen > 0x7fffffff) return fail(`pcap: snaplen ${snaplen} is out of range`);
  let size = FILE_HEADER;
  for (const [i, p] of packets.entries()) {
    if (!(p?.data instanceof Uint8Array)) return fail(`pcap: packet ${i + 1} has no data bytes`);
    const sec = p.timestampSec ?? 0;
    const nsec = p.timestampNsec ?? 0;
    if (!Number.isInteger(sec) || sec < 0 || sec > 0xffffffff) return fail(`pcap: packet ${i + 1} timestamp ${sec} s is out of range`);
    if (!Number.isInteger(nsec) || nsec < 0 || nsec >= 1e9) return fail(`pcap: packet ${i + 1} nanoseconds ${nsec} is out of range 0..999999999`);
    const orig = p.originalLength ?? p.data.length;
    if (!Number.isInteger(orig) || orig < p.data.length || orig > 0xffffffff) return fail(`pcap: packet ${i + 1} original length ${orig} is less than its ${p.data.length} bytes`);
    size += RECORD_HEADER + Math.min(p.data.length, snaplen);
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, options.nanosecond ? MAGIC_NSEC : MAGIC_USEC, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  // thiszone and sigfigs stay 0, as every modern writer leaves them.
  view.setUint32(16, snaplen, true);
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  let at = FILE_HEADER;
  for (const p of packets) {
    const data = p.data.subarray(0, snaplen);
    const nsec = p.timestampNsec ?? 0;
    view.setUint32(at, p.timestampSec ?? 0, true);
    view.setUint32(at + 4, options.nanosecond ? nsec : Math.floor(nsec / 1000), true);
    view.setUint32(at + 8, data.length, true);
    view.setUint32(at + 12, p.originalLength ?? p.data.length, true);
    out.set(data, at + RECORD_HEADER);
    at += RECORD_HEADER + data.length;
  }
  return ok(out);
}
