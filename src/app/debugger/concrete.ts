/**
 * What the recorded run holds at the debugger's position, shaped for the
 * Registers and Stack panels: each register's value (hex, signed decimal,
 * or the region it points into) and the current frame's 8-byte stack slots,
 * each marked when the instruction just executed changed it.
 */
import { describePlace, regionBytesAt, registerValue, stackRegion, writesAt, type RegisterValue } from '../../bridge/index.ts';
import type { ReadyDebug } from './session.ts';

export interface ConcreteRegister extends RegisterValue {
  /** the previous instruction changed it */
  changed: boolean;
}

export function concreteRegisters(view: ReadyDebug): ConcreteRegister[] {
  const { trace, position } = view;
  return Array.from({ length: 11 }, (_, r) => {
    const value = registerValue(trace, position, r);
    const changed = position > 0 && registerValue(trace, position - 1, r).hex !== value.hex;
    return { ...value, changed };
  });
}

/** "30", "-2", or the pointer's reading "stack+504 (fp-8)". */
export function concreteText(v: RegisterValue): string {
  return v.pointer ?? v.dec;
}

export interface ConcreteSlot {
  /** "fp-8" */
  name: string;
  /** the 8 bytes in memory order, "01 00 00 00 00 00 00 00" */
  bytes: string;
  zero: boolean;
  changed: boolean;
}

const SLOT = 8;

/** The current frame's stack as fp-8 ... fp-512 slots (position order: before the instruction runs). */
export function concreteStack(view: ReadyDebug): ConcreteSlot[] {
  const { trace, position } = view;
  const region = stackRegion(trace, trace.depths[position] ?? 0);
  if (!region) return [];
  const now = regionBytesAt(trace, region.id, position);
  if (!now) return [];
  const before = position > 0 ? regionBytesAt(trace, region.id, position - 1) : null;
  const fp = region.framePointer ?? now.length;
  const slots: ConcreteSlot[] = [];
  for (let off = fp - SLOT; off >= 0; off -= SLOT) {
    const bytes = now.subarray(off, off + SLOT);
    let changed = false;
    if (before) for (let i = 0; i < SLOT; i++) changed ||= before[off + i] !== bytes[i];
    slots.push({
      name: `fp-${fp - off}`,
      bytes: Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' '),
      zero: bytes.every((b) => b === 0),
      changed,
    });
  }
  return slots;
}

const hexBytes = (b: Uint8Array, max = 16): string =>
  Array.from(b.subarray(0, max), (x) => x.toString(16).padStart(2, '0')).join(' ') + (b.length > max ? ' …' : '');

/**
 * What the instruction before `position` wrote, in any region (stack,
 * packet, map value): "pkt+12: 08 00 → 86 dd".
 */
export function lastWrites(view: ReadyDebug): string[] {
  if (view.position === 0) return [];
  return writesAt(view.trace, view.position - 1).map((w) => `${describePlace(view.trace, w.region, w.offset)}: ${hexBytes(w.before)} → ${hexBytes(w.after)}`);
}
