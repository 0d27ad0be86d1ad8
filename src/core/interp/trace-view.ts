/**
 * Reading an ExecutionTrace at a position: register values (as numbers and
 * as pointers into regions, the way the verifier names them: fp-8, pkt+14,
 * map_value(counters)+0) and the bytes of a region, rebuilt from the
 * region's first bytes plus the recorded writes. Pure functions over plain
 * data, so the UI can call them on a trace that came from the worker.
 */
import { MAX_REGIONS, OFFSET_BIAS, REGION_TAG_BASE } from './memory.ts';
import { REG_WORDS, type ExecutionTrace, type TraceRegion } from './trace.ts';

export interface RegisterValue {
  /** 0x-prefixed, unsigned 64-bit */
  hex: string;
  /** signed 64-bit decimal */
  dec: string;
  /** set when the value points into a region: "stack+504 (fp-8)", "pkt+14" */
  pointer: string | null;
}

export function positionCount(trace: ExecutionTrace): number {
  return trace.pcs.length;
}

/** Register `r` (0..10) at `position`, as the (lo, hi) int32 pair. */
export function registerPair(trace: ExecutionTrace, position: number, r: number): { lo: number; hi: number } {
  const base = position * REG_WORDS + 2 * r;
  return { lo: trace.regs[base] ?? 0, hi: trace.regs[base + 1] ?? 0 };
}

export function registerValue(trace: ExecutionTrace, position: number, r: number): RegisterValue {
  const { lo, hi } = registerPair(trace, position, r);
  const u = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return { hex: '0x' + u.toString(16), dec: BigInt.asIntN(64, u).toString(), pointer: describePointer(trace, lo, hi) };
}

/** "stack+504 (fp-8)", "pkt+14", "map_value(counters)+0", "ctx+0"; null for a non-pointer. */
export function describePointer(trace: ExecutionTrace, lo: number, hi: number): string | null {
  const id = (hi - REGION_TAG_BASE) >>> 0;
  if (id >= MAX_REGIONS) return null;
  const region = trace.regions.find((r) => r.id === id);
  if (region === undefined) return null;
  const offset = lo ^ OFFSET_BIAS;
  return pointerText(region, offset);
}

/** The same reading for a place given as region and offset (a recorded write). */
export function describePlace(trace: ExecutionTrace, regionId: number, offset: number): string {
  const region = trace.regions.find((r) => r.id === regionId);
  return region ? pointerText(region, offset) : `region ${regionId}+${offset}`;
}

function signed(n: number): string {
  return n < 0 ? `${n}` : `+${n}`;
}

function pointerText(region: TraceRegion, offset: number): string {
  switch (region.kind) {
    case 'stack': {
      const fp = region.framePointer ?? region.end;
      return `${region.name}${signed(offset)} (fp${signed(offset - fp)})`;
    }
    case 'packet':
      return `pkt${signed(offset - region.start)}`;
    case 'map_value': {
      const map = region.name.startsWith('map value of ') ? region.name.slice('map value of '.length) : region.name;
      return `map_value(${map})${signed(offset)}`;
    }
    default:
      return `${region.name}${signed(offset)}`;
  }
}

/**
 * The bytes of region `id` at `position` (before the instruction there
 * runs); null when the region did not exist yet. Writes are replayed from
 * the region's first bytes, so the cost grows with the writes before
 * `position`, not with the trace.
 */
export function regionBytesAt(trace: ExecutionTrace, id: number, position: number): Uint8Array | null {
  const region = trace.regions.find((r) => r.id === id);
  if (region === undefined || position < region.firstPosition) return null;
  let bytes = region.initial.slice();
  for (const w of trace.writes) {
    if (w.position >= position) break;
    if (w.region !== id || w.position < region.firstPosition) continue;
    if (w.before.length !== w.after.length) bytes = w.after.slice();
    else bytes.set(w.after, w.offset);
  }
  return bytes;
}

/** The stack region of frame `depth` (frame 0: the program's own). */
export function stackRegion(trace: ExecutionTrace, depth: number): TraceRegion | undefined {
  const name = depth === 0 ? 'stack' : `stack of frame ${depth}`;
  return trace.regions.find((r) => r.kind === 'stack' && r.name === name);
}

/** Writes done by the instruction at `position` (for highlighting what it changed). */
export function writesAt(trace: ExecutionTrace, position: number): ExecutionTrace['writes'] {
  return trace.writes.filter((w) => w.position === position);
}

/**
 * The next position at or after `from` whose pc is a breakpoint of the
 * traced program (for Continue), or the last position when none is.
 */
export function nextBreakpoint(trace: ExecutionTrace, from: number, breakpoints: ReadonlySet<number>): number {
  const last = trace.pcs.length - 1;
  for (let i = Math.max(0, from); i < last; i++) if (trace.programs[i] === 0 && breakpoints.has(trace.pcs[i]!)) return i;
  return Math.max(0, last);
}
