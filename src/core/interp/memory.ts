/**
 * The interpreter's memory model: a table of regions (stack frames, ctx,
 * packet, map values, ring-buffer records, read-only data, helper scratch).
 *
 * A pointer is a 64-bit value: the high 32 bits are a region tag
 * (REGION_TAG_BASE + region id, so small integers and sign-extended negative
 * numbers — high word 0 or 0xffffffff — never look like pointers), the low
 * 32 bits are the offset into the
 * region biased by 2^31. The bias keeps pointer arithmetic that goes a little
 * below the region start (r10 - 600) inside the same tag, so the fault can say
 * "stack-88 (fp-600)" instead of "not a pointer", and unsigned comparisons of
 * two pointers into one region (data vs data_end) still order correctly.
 *
 * Every access checks that the tag names a live region, that
 * `start <= offset` and `offset + size <= end`, and that the region is
 * writable for stores. Regions with ctx accessors route loads and stores
 * through them (the kernel rewrites ctx accesses, e.g. xdp_md->data becomes a
 * 64-bit packet pointer).
 */
import { pairToU64, u64Hi, u64Lo } from '../num/int64.ts';

/**
 * Region tags are 0x00100000 + id. Kept below 2^21 so every pointer is below
 * 2^53: helpers exchange pointers as BigInt, and a safe-integer pointer
 * converts to and from the register's int32 halves without BigInt arithmetic.
 */
export const REGION_TAG_BASE = 0x00100000;
/** Maximum number of live regions; keeps tags inside 0x00100000..0x001fffff. */
export const MAX_REGIONS = 0x100000;
/** XOR with the low word of a pointer gives the signed offset (and back). */
export const OFFSET_BIAS = 0x80000000 | 0;

export type RegionKind = 'stack' | 'ctx' | 'packet' | 'map_value' | 'ringbuf' | 'rodata' | 'scratch' | 'mem';

/** A 64-bit value as int32 halves (how the interpreter keeps registers). */
export interface Pair {
  lo: number;
  hi: number;
}

export type AccessSize = 1 | 2 | 4 | 8;

/**
 * Field accessors of a ctx region. The kernel rewrites ctx loads/stores into
 * accesses to the real kernel structure; these hooks play that role. Return a
 * string to fault with that message.
 */
export interface CtxAccessors {
  load(offset: number, size: AccessSize): Pair | string;
  store?(offset: number, size: AccessSize, value: Pair): string | null;
}

export interface Region {
  readonly id: number;
  readonly kind: RegionKind;
  /** how messages name it: "stack", "ctx", "packet", "map value of counts" */
  readonly name: string;
  bytes: Uint8Array;
  view: DataView;
  /**
   * The same bytes as little-endian 32-bit words, for the interpreter's
   * aligned 4- and 8-byte accesses (one typed-array access instead of four
   * byte accesses). Empty when `bytes` does not start on a 4-byte boundary
   * or the platform is big-endian; the loop then uses the bytes.
   */
  words: Int32Array;
  /** lowest valid offset (a packet's data start moves with adjust_head) */
  start: number;
  /** one past the highest valid offset */
  end: number;
  writable: boolean;
  /** when set, loads/stores go through the accessors instead of bytes */
  ctx?: CtxAccessors;
  /**
   * Optional fast path for a ctx whose every field is a u32 read with a
   * 4-byte load (xdp_md): the (lo, hi) result of the load at offset `off` is
   * at [off / 2, off / 2 + 1]. Whoever changes what the accessors return
   * keeps it in step.
   */
  ctxWords?: Int32Array;
  /** stack regions: offset of the frame pointer, so messages can say fp-8 */
  framePointer?: number;
}

export interface RegionSpec {
  kind: RegionKind;
  name: string;
  /** backing bytes (shared, not copied: map values write through) */
  bytes: Uint8Array;
  /** a DataView over exactly `bytes`, when the caller already has one */
  view?: DataView;
  start?: number;
  end?: number;
  writable?: boolean;
  ctx?: CtxAccessors;
  ctxWords?: Int32Array;
  framePointer?: number;
}

/** Where a checked access landed, or why it was refused. */
export type Resolved = { ok: true; region: Region; offset: number } | { ok: false; message: string };

export class Memory {
  /** indexed by region id; freed slots are undefined */
  readonly regions: (Region | undefined)[] = [];
  private readonly freeIds: number[] = [];

  addRegion(spec: RegionSpec): Region {
    const id = this.freeIds.pop() ?? this.regions.length;
    if (id >= MAX_REGIONS) throw new RangeError(`too many memory regions (limit ${MAX_REGIONS})`);
    const bytes = spec.bytes;
    const region: Region = {
      id,
      kind: spec.kind,
      name: spec.name,
      bytes,
      view: spec.view ?? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      words: wordsOf(bytes),
      start: spec.start ?? 0,
      end: spec.end ?? bytes.length,
      writable: spec.writable ?? true,
      ctx: spec.ctx,
      ctxWords: spec.ctxWords,
      framePointer: spec.framePointer,
    };
    this.regions[id] = region;
    return region;
  }

  free(id: number): void {
    if (this.regions[id] === undefined) return;
    this.regions[id] = undefined;
    this.freeIds.push(id);
  }

  /** Replace a region's backing bytes (e.g. a packet grown by adjust_head). */
  setBytes(region: Region, bytes: Uint8Array): void {
    region.bytes = bytes;
    region.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    region.words = wordsOf(bytes);
  }

  region(id: number): Region | undefined {
    return this.regions[id];
  }

  /** The 64-bit pointer to `offset` inside region `id`. */
  pointer(id: number, offset = 0): bigint {
    return pairToU64(pointerLo(offset), pointerHi(id));
  }

  /** Check an access of `size` bytes at the pointer (lo, hi). */
  resolve(lo: number, hi: number, size: number, write: boolean): Resolved {
    const id = (hi - REGION_TAG_BASE) >>> 0;
    const region = id < this.regions.length ? this.regions[id] : undefined;
    const verb = write ? 'write' : 'read';
    if (region === undefined) {
      return { ok: false, message: `invalid ${verb} of ${bytes(size)} at ${describeNonPointer(lo, hi)}` };
    }
    const offset = lo ^ OFFSET_BIAS;
    if (offset < region.start || offset + size > region.end) {
      return { ok: false, message: `invalid ${verb} of ${bytes(size)} at ${describeAt(region, offset)}: ${outsideText(region)}` };
    }
    if (write && !region.writable) {
      return { ok: false, message: `invalid write of ${bytes(size)} at ${describeAt(region, offset)}: the ${region.name} is read-only` };
    }
    return { ok: true, region, offset };
  }

  /** Copy `size` bytes out of memory (helpers; not a hot path). */
  read(ptr: bigint, size: number): Uint8Array | string {
    const r = this.resolve(u64Lo(ptr), u64Hi(ptr), size, false);
    if (!r.ok) return r.message;
    if (r.region.ctx) return `helpers cannot read the ${r.region.name} directly`;
    return r.region.bytes.slice(r.offset, r.offset + size);
  }

  /** Copy bytes into memory (helpers); returns a fault message or null. */
  write(ptr: bigint, data: Uint8Array): string | null {
    const r = this.resolve(u64Lo(ptr), u64Hi(ptr), data.length, true);
    if (!r.ok) return r.message;
    if (r.region.ctx) return `helpers cannot write the ${r.region.name} directly`;
    r.region.bytes.set(data, r.offset);
    return null;
  }

  /** Human description of a pointer value, for messages and the UI. */
  describe(ptr: bigint): string {
    const lo = u64Lo(ptr);
    const hi = u64Hi(ptr);
    const id = (hi - REGION_TAG_BASE) >>> 0;
    const region = id < this.regions.length ? this.regions[id] : undefined;
    return region ? describeAt(region, lo ^ OFFSET_BIAS) : describeNonPointer(lo, hi);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const NO_WORDS = new Int32Array(0);

/** `bytes` as 32-bit words when that view is exact (see Region.words). */
export function wordsOf(bytes: Uint8Array): Int32Array {
  if (!LITTLE_ENDIAN || (bytes.byteOffset & 3) !== 0) return NO_WORDS;
  return new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
}

export function pointerLo(offset: number): number {
  return offset ^ OFFSET_BIAS;
}

export function pointerHi(id: number): number {
  return (REGION_TAG_BASE + id) | 0;
}

/** "stack+504 (fp-8)", "packet+14", "ctx+0" */
export function describeAt(region: Region, offset: number): string {
  // Packet offsets read best relative to data (the start moves with adjust_head).
  const rel = region.kind === 'packet' ? offset - region.start : offset;
  const base = `${region.kind === 'packet' ? 'packet data' : region.name}${rel < 0 ? '' : '+'}${rel}`;
  if (region.framePointer === undefined) return base;
  const fp = offset - region.framePointer;
  return `${base} (fp${fp < 0 ? '' : '+'}${fp})`;
}

export function outsideText(region: Region): string {
  if (region.kind === 'stack') return `outside the ${region.end - region.start}-byte stack`;
  if (region.kind === 'packet') return `outside the ${region.end - region.start}-byte packet (data+0..data+${region.end - region.start})`;
  return `outside the ${region.end - region.start}-byte ${region.name}`;
}

function describeNonPointer(lo: number, hi: number): string {
  const value = pairToU64(lo, hi);
  const text = '0x' + value.toString(16);
  // The kernel never maps the first page; anything there is NULL plus a field offset.
  if (value < 4096n) return `${text}: null pointer dereference`;
  return `${text}: not a pointer to any memory region`;
}

function bytes(n: number): string {
  return n === 1 ? '1 byte' : `${n} bytes`;
}
