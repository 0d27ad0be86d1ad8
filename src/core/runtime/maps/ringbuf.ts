/**
 * BPF_MAP_TYPE_RINGBUF (kernel/bpf/ringbuf.c). The data area is max_entries
 * bytes (a power of two, page aligned); positions only grow and are masked
 * into the area. Every record starts with an 8-byte header
 * { u32 len | BUSY(bit 31) | DISCARD(bit 30); u32 pg_off } and takes
 * round_up(len + 8, 8) bytes. Reserve fails (NULL) when the record would make
 * producer - consumer exceed the area; records are committed (busy bit
 * cleared) or discarded. The kernel maps the data pages twice so a record
 * that wraps is contiguous; here the area is allocated twice as long and the
 * part of a record past the end is copied to the front when it is committed.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, type MapDump } from './map.ts';
import { EAGAIN, EINVAL, ENOTSUPP } from './errno.ts';
import { BPF_RB_AVAIL_DATA, BPF_RB_CONS_POS, BPF_RB_FORCE_WAKEUP, BPF_RB_NO_WAKEUP, BPF_RB_PROD_POS, BPF_RB_RING_SIZE } from './flags.ts';
import { readU32, round8, writeU32 } from './bytes.ts';

export const RINGBUF_HDR_SIZE = 8;
export const RINGBUF_BUSY_BIT = 0x80000000;
export const RINGBUF_DISCARD_BIT = 0x40000000;
/** the largest sample bpf_ringbuf_reserve accepts (RINGBUF_MAX_RECORD_SZ = UINT_MAX / 4) */
export const RINGBUF_MAX_RECORD_SZ = Math.floor(0xffffffff / 4);
export const PAGE_SIZE = 4096;
/**
 * Pages of struct bpf_ringbuf before the data area (control page, consumer
 * page, producer page); pg_off in a header counts from the struct's start.
 */
const DATA_PAGE_OFFSET = 3;

/** A reserved, not yet committed record. */
export interface RingbufSample {
  /** position of the record header */
  pos: number;
  /** the sample bytes: a live view the program writes through */
  data: Uint8Array;
}

export class RingbufMap extends BaseMap {
  private readonly area: Uint8Array;
  private readonly mask: number;
  consumerPos = 0;
  producerPos = 0;
  /** wakeups the kernel would have sent to a reader (for the events panel) */
  wakeups = 0;

  constructor(spec: MapSpec, cpus: number) {
    super(spec, cpus);
    this.mask = spec.maxEntries - 1;
    this.area = new Uint8Array(spec.maxEntries * 2);
  }

  get size(): number {
    return this.mask + 1;
  }

  /**
   * bpf_ringbuf_reserve: a writable view of `size` bytes, or null. The
   * kernel also refuses while it cannot take its spinlock (NMI context), never here.
   */
  reserve(size: number, flags: number): RingbufSample | null {
    if (flags !== 0) return null;
    if (size > RINGBUF_MAX_RECORD_SZ) return null;
    const len = round8(size + RINGBUF_HDR_SIZE);
    if (len > this.size) return null;
    const pos = this.producerPos;
    if (pos + len - this.consumerPos > this.mask) return null;
    const at = pos & this.mask;
    writeU32(this.area, at, (size | RINGBUF_BUSY_BIT) >>> 0);
    writeU32(this.area, at + 4, (at >>> 12) + DATA_PAGE_OFFSET);
    this.producerPos = pos + len;
    // the kernel does not clear reserved memory: a sample starts with whatever
    // the area held; for a record that wraps, the mirror must show the front
    const end = at + len;
    if (end > this.size) this.area.copyWithin(this.size, 0, end - this.size);
    const data = this.area.subarray(at + RINGBUF_HDR_SIZE, at + RINGBUF_HDR_SIZE + size);
    return { pos, data };
  }

  /** bpf_ringbuf_submit / bpf_ringbuf_discard: clear BUSY (and set DISCARD). */
  commit(sample: RingbufSample, flags: number, discard: boolean): void {
    const at = sample.pos & this.mask;
    let hdr = readU32(this.area, at) & ~RINGBUF_BUSY_BIT;
    if (discard) hdr |= RINGBUF_DISCARD_BIT;
    const len = sample.data.length + RINGBUF_HDR_SIZE;
    // mirror the part of the record that ran past the end of the area
    const end = at + len;
    if (end > this.size) this.area.copyWithin(0, this.size, end);
    writeU32(this.area, at, hdr >>> 0);
    // the kernel wakes the reader when the consumer is at this record, unless told otherwise
    const wake = flags & BPF_RB_FORCE_WAKEUP ? true : flags & BPF_RB_NO_WAKEUP ? false : this.consumerPos === sample.pos;
    if (wake) this.wakeups++;
  }

  /** bpf_ringbuf_output: reserve + copy + submit; 0, -EINVAL for bad flags, -EAGAIN when full. */
  output(data: Uint8Array, flags: number): number {
    if (flags & ~(BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)) return -EINVAL;
    const sample = this.reserve(data.length, 0);
    if (!sample) return -EAGAIN;
    sample.data.set(data);
    this.commit(sample, flags, false);
    return 0;
  }

  /** bpf_ringbuf_query */
  query(flags: number): number {
    switch (flags) {
      case BPF_RB_AVAIL_DATA:
        return this.producerPos - this.consumerPos;
      case BPF_RB_RING_SIZE:
        return this.size;
      case BPF_RB_CONS_POS:
        return this.consumerPos;
      case BPF_RB_PROD_POS:
        return this.producerPos;
      default:
        return 0;
    }
  }

  /**
   * Records between consumer and producer, as a reader sees them: committed
   * ones in order, discarded ones counted, stopping at a busy record.
   */
  pending(): { records: Uint8Array[]; discarded: number; busy: boolean; endPos: number } {
    const records: Uint8Array[] = [];
    let discarded = 0;
    let pos = this.consumerPos;
    while (pos < this.producerPos) {
      const at = pos & this.mask;
      const hdr = readU32(this.area, at);
      if (hdr & RINGBUF_BUSY_BIT) return { records, discarded, busy: true, endPos: pos };
      const len = hdr & ~(RINGBUF_BUSY_BIT | RINGBUF_DISCARD_BIT);
      if (hdr & RINGBUF_DISCARD_BIT) discarded++;
      else {
        const start = at + RINGBUF_HDR_SIZE;
        const out = new Uint8Array(len);
        for (let i = 0; i < len; i++) out[i] = this.area[(start + i) & this.mask]!;
        records.push(out);
      }
      pos += round8(len + RINGBUF_HDR_SIZE);
    }
    return { records, discarded, busy: false, endPos: pos };
  }

  /** Read and consume committed records (what a user-space consumer does). */
  consume(): Uint8Array[] {
    const p = this.pending();
    this.consumerPos = p.endPos;
    return p.records;
  }

  override update(): number {
    return -ENOTSUPP;
  }
  override sysLookup(): Uint8Array | number {
    return -ENOTSUPP;
  }
  override delete(): number {
    return -ENOTSUPP;
  }

  override dump(): MapDump {
    const p = this.pending();
    return { kind: 'records', records: p.records, discarded: p.discarded, producerPos: this.producerPos };
  }
}
