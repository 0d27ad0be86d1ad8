import { describe, expect, it } from 'vitest';
import { readData } from '../../../test-data/net/tcpdump-text.ts';
import expected from '../../../test-data/net/expected.json';
import type { CaptureFile } from './capture.ts';
import { toHex } from './hex.ts';
import { readCapture, writePcap } from './pcap.ts';

interface Row {
  sec: number;
  nsec: number;
  hex: string;
}

function read(name: string): CaptureFile {
  const r = readCapture(readData(name));
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const rows = (f: CaptureFile): Row[] => f.packets.map((p) => ({ sec: p.timestampSec, nsec: p.timestampNsec, hex: toHex(p.data) }));

describe('readCapture on files written by other tools', () => {
  it('reads a little-endian microsecond pcap written by tcpdump', () => {
    const f = read('tcpdump-usec.pcap');
    expect(f).toMatchObject({ format: 'pcap', linktype: 1, nanosecond: false, warnings: [] });
    expect(rows(f)).toEqual(expected.pcap);
  });

  it('reads a nanosecond pcap written by tcpdump --time-stamp-precision=nano', () => {
    const f = read('tcpdump-nsec.pcap');
    expect(f.nanosecond).toBe(true);
    expect(rows(f)).toEqual(expected.pcap);
  });

  it('reads big-endian microsecond and little-endian nanosecond pcaps written with Python struct', () => {
    expect(rows(read('big-endian-usec.pcap'))).toEqual(expected.pcap);
    expect(rows(read('little-endian-nsec.pcap'))).toEqual(expected.pcapNsec);
  });

  it('reads pcapng in both byte orders: EPB, SPB, if_tsresol, skipping statistics blocks', () => {
    const le = read('capture-le.pcapng');
    expect(le.format).toBe('pcapng');
    expect(rows(le)).toEqual(expected.pcapngLe);
    expect(rows(read('capture-be.pcapng'))).toEqual(expected.pcapngBe);
  });

  it('refuses non-Ethernet link types with a clear message', () => {
    expect(readCapture(readData('linktype-raw.pcap'))).toEqual({
      ok: false,
      error: 'pcap: link type 101 (RAW (IP without link layer)) is not supported; only Ethernet (1) captures can be imported',
    });
  });

  it('keeps the complete records of a truncated file and warns about the rest', () => {
    const f = read('truncated.pcap');
    expect(rows(f)).toEqual(expected.pcap.slice(0, 2));
    // 24-byte file header + (16 + 64) + (16 + 71) = 191; tcpdump on the same file:
    // "truncated dump file; tried to read 66 captured bytes, only got 56".
    expect(f.warnings).toEqual(['pcap: record 3 at offset 191 is truncated: it claims 66 bytes, 56 remain']);
  });

  it('rejects what is not a capture', () => {
    expect(readCapture(new Uint8Array(0))).toEqual({ ok: false, error: 'pcap: file is 0 bytes, too short for a capture header' });
    const text = new TextEncoder().encode('hello, this is not a pcap file at all');
    expect(readCapture(text)).toEqual({ ok: false, error: 'pcap: unknown magic number 0x68656c6c; not a pcap or pcapng file' });
    expect(readCapture(readData('tcpdump-usec.pcap').subarray(0, 20))).toEqual({ ok: false, error: 'pcap: file is 20 bytes, shorter than the 24-byte file header' });
  });

  it('never throws on damaged files', () => {
    const sources = ['tcpdump-usec.pcap', 'capture-le.pcapng', 'capture-be.pcapng'].map(readData);
    let seed = 7;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let i = 0; i < 2000; i++) {
      const src = sources[i % sources.length];
      const bytes = src.slice(0, rnd(src.length + 1));
      for (let k = 0; k < 4 && bytes.length > 0; k++) bytes[rnd(bytes.length)] = rnd(256);
      const r = readCapture(bytes);
      if (!r.ok) expect(r.error).toMatch(/^pcap(ng)?: /);
    }
  });
});

describe('writePcap', () => {
  it('writes the same bytes libpcap does (tcpdump -w of the same packets)', () => {
    const f = read('tcpdump-usec.pcap');
    const written = writePcap(f.packets);
    expect(written.ok && toHex(written.value)).toBe(toHex(readData('tcpdump-usec.pcap')));
  });

  it('round-trips nanosecond timestamps, snap lengths and original lengths', () => {
    const packets = [
      { data: Uint8Array.from([1, 2, 3, 4, 5]), timestampSec: 5, timestampNsec: 999_999_999 },
      { data: new Uint8Array(100).fill(7), timestampSec: 6, timestampNsec: 1, originalLength: 1500 },
    ];
    const nano = writePcap(packets, { nanosecond: true, snaplen: 64 });
    if (!nano.ok) throw new Error(nano.error);
    const back = readCapture(nano.value);
    if (!back.ok) throw new Error(back.error);
    expect(back.value.snaplen).toBe(64);
    expect(back.value.packets.map((p) => [p.timestampSec, p.timestampNsec, p.data.length, p.originalLength])).toEqual([
      [5, 999_999_999, 5, 5],
      [6, 1, 64, 1500],
    ]);
    const micro = writePcap(packets);
    const backMicro = micro.ok ? readCapture(micro.value) : micro;
    expect(backMicro.ok && backMicro.value.packets.map((p) => p.timestampNsec)).toEqual([999_999_000, 0]);
  });

  it('rejects bad packets instead of throwing', () => {
    expect(writePcap([{ data: new Uint8Array(1), timestampNsec: 1e9 }])).toEqual({ ok: false, error: 'pcap: packet 1 nanoseconds 1000000000 is out of range 0..999999999' });
    expect(writePcap([{ data: 'x' as unknown as Uint8Array }])).toEqual({ ok: false, error: 'pcap: packet 1 has no data bytes' });
  });
});
