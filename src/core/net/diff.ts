/**
 * Byte diff between a packet before and after a program ran. XDP/TC
 * programs rewrite bytes in place, and grow or shrink a packet at the head
 * (bpf_xdp_adjust_head, encapsulation), at the tail (bpf_xdp_adjust_tail)
 * or just after a header (push/pop a VLAN tag). So instead of a general
 * edit script — which on bytes matches coincidental zeros all over — we try
 * a few alignments of that shape and keep the one that lines up the most
 * equal bytes:
 *  - a constant shift (before[i] ~ after[i + s]): in-place edits, head
 *    and/or tail changes;
 *  - a single gap (insertion or removal of |delta| bytes at one position):
 *    headers pushed or popped in the middle.
 */

export type ByteDiffKind = 'equal' | 'changed' | 'inserted' | 'removed';

export interface ByteDiffRange {
  kind: ByteDiffKind;
  /** Range in the before bytes (length 0 for 'inserted': the position it goes). */
  beforeOffset: number;
  beforeLength: number;
  /** Range in the after bytes (length 0 for 'removed'). */
  afterOffset: number;
  afterLength: number;
}

export interface ByteDiff {
  identical: boolean;
  /** Covers both sequences completely, in order. */
  ranges: ByteDiffRange[];
  changed: number;
  inserted: number;
  removed: number;
}

interface Segment {
  kind: 'aligned' | 'inserted' | 'removed';
  b: number;
  a: number;
  len: number;
}

/** Above this many byte comparisons only the likely shifts are tried. */
const FULL_SHIFT_SEARCH_LIMIT = 4_000_000;
const NEAR_SHIFT_WINDOW = 64;

export function diffBytes(before: Uint8Array, after: Uint8Array): ByteDiff {
  const segments = bestAlignment(before, after);
  const ranges = toRanges(segments, before, after);
  const sum = (k: ByteDiffKind, f: (r: ByteDiffRange) => number): number => ranges.filter((r) => r.kind === k).reduce((n, r) => n + f(r), 0);
  const changed = sum('changed', (r) => r.afterLength);
  const inserted = sum('inserted', (r) => r.afterLength);
  const removed = sum('removed', (r) => r.beforeLength);
  return { identical: changed + inserted + removed === 0, ranges, changed, inserted, removed };
}

function bestAlignment(before: Uint8Array, after: Uint8Array): Segment[] {
  const delta = after.length - before.length;
  // Ties keep the earlier candidate: in place first, then a pure head change.
  let best = shiftAlignment(before, after, 0);
  let bestScore = score(best, before, after);
  const consider = (segs: Segment[]): void => {
    const n = score(segs, before, after);
    if (n > bestScore) {
      best = segs;
      bestScore = n;
    }
  };
  if (delta !== 0) {
    consider(shiftAlignment(before, after, delta));
    consider(gapAlignment(before, after));
  }
  const full = before.length * after.length <= FULL_SHIFT_SEARCH_LIMIT;
  const lo = full ? -before.length + 1 : Math.min(0, delta) - NEAR_SHIFT_WINDOW;
  const hi = full ? after.length - 1 : Math.max(0, delta) + NEAR_SHIFT_WINDOW;
  for (let s = lo; s <= hi; s++) {
    if (s === 0 || s === delta) continue;
    // A shift can line up at most its overlap; skip those that cannot win.
    const overlap = Math.min(before.length - Math.max(0, -s), after.length - Math.max(0, s));
    if (overlap > bestScore) consider(shiftAlignment(before, after, s));
  }
  return best;
}

function score(segs: Segment[], before: Uint8Array, after: Uint8Array): number {
  let n = 0;
  for (const seg of segs) {
    if (seg.kind !== 'aligned') continue;
    for (let i = 0; i < seg.len; i++) if (before[seg.b + i] === after[seg.a + i]) n++;
  }
  return n;
}

/** before[i] lines up with after[i + s]; what hangs over either end is inserted or removed. */
function shiftAlignment(before: Uint8Array, after: Uint8Array, s: number): Segment[] {
  const segs: Segment[] = [];
  const bStart = Math.max(0, -s);
  const aStart = Math.max(0, s);
  const overlap = Math.max(0, Math.min(before.length - bStart, after.length - aStart));
  if (overlap === 0) {
    // Nothing lines up: everything old went, everything new came.
    return [
      { kind: 'removed', b: 0, a: 0, len: before.length },
      { kind: 'inserted', b: before.length, a: 0, len: after.length },
    ];
  }
  if (bStart > 0) segs.push({ kind: 'removed', b: 0, a: 0, len: bStart });
  if (aStart > 0) segs.push({ kind: 'inserted', b: 0, a: 0, len: aStart });
  segs.push({ kind: 'aligned', b: bStart, a: aStart, len: overlap });
  const bEnd = bStart + overlap;
  const aEnd = aStart + overlap;
  if (bEnd < before.length) segs.push({ kind: 'removed', b: bEnd, a: aEnd, len: before.length - bEnd });
  if (aEnd < after.length) segs.push({ kind: 'inserted', b: before.length, a: aEnd, len: after.length - aEnd });
  return segs;
}

/** The longer side has |delta| extra bytes at one position p, chosen to maximize equal bytes. */
function gapAlignment(before: Uint8Array, after: Uint8Array): Segment[] {
  const grew = after.length > before.length;
  const short = grew ? before : after;
  const long = grew ? after : before;
  const gap = long.length - short.length;
  // prefix[p]: equal bytes in short[0..p) vs long[0..p); suffix[p]: short[p..) vs long[p+gap..).
  const prefix = new Int32Array(short.length + 1);
  for (let i = 0; i < short.length; i++) prefix[i + 1] = prefix[i] + (short[i] === long[i] ? 1 : 0);
  const suffix = new Int32Array(short.length + 1);
  for (let i = short.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1] + (short[i] === long[i + gap] ? 1 : 0);
  let bestP = short.length;
  for (let p = short.length - 1; p >= 0; p--) if (prefix[p] + suffix[p] > prefix[bestP] + suffix[bestP]) bestP = p;
  const segs: Segment[] = [];
  if (bestP > 0) segs.push({ kind: 'aligned', b: 0, a: 0, len: bestP });
  if (grew) segs.push({ kind: 'inserted', b: bestP, a: bestP, len: gap });
  else segs.push({ kind: 'removed', b: bestP, a: bestP, len: gap });
  const rest = short.length - bestP;
  if (rest > 0) segs.push(grew ? { kind: 'aligned', b: bestP, a: bestP + gap, len: rest } : { kind: 'aligned', b: bestP + gap, a: bestP, len: rest });
  return segs;
}

function toRanges(segs: Segment[], before: Uint8Array, after: Uint8Array): ByteDiffRange[] {
  const out: ByteDiffRange[] = [];
  const push = (kind: ByteDiffKind, b: number, bl: number, a: number, al: number): void => {
    if (bl === 0 && al === 0) return;
    const last = out[out.length - 1];
    if (last && last.kind === kind && last.beforeOffset + last.beforeLength === b && last.afterOffset + last.afterLength === a) {
      last.beforeLength += bl;
      last.afterLength += al;
    } else {
      out.push({ kind, beforeOffset: b, beforeLength: bl, afterOffset: a, afterLength: al });
    }
  };
  for (const seg of segs) {
    if (seg.kind === 'inserted') push('inserted', seg.b, 0, seg.a, seg.len);
    else if (seg.kind === 'removed') push('removed', seg.b, seg.len, seg.a, 0);
    else for (let i = 0; i < seg.len; i++) push(before[seg.b + i] === after[seg.a + i] ? 'equal' : 'changed', seg.b + i, 1, seg.a + i, 1);
  }
  return out;
}
