/**
 * A friendlier reading of the verifier's register and stack text, beside the
 * kernel notation: constants as numbers, ranges as [min, max], pointers by
 * what they point to.
 */
import { splitTopLevel } from './log-states.ts';

/** "smin=smin32=0,smax=umax=10,var_off=(0x0; 0xf)" → { smin: '0', smin32: '0', smax: '10', umax: '10', var_off: '(0x0; 0xf)' } */
export function parseArgs(inner: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of splitTopLevel(inner, ',')) {
    const pieces = part.split('=');
    const value = pieces.pop() ?? '';
    if (pieces.length === 0) continue;
    // var_off's value has '=' nowhere, but a name chain may: smax=umax=10.
    for (const k of pieces) out[k.trim()] = value.trim();
  }
  return out;
}

function range(args: Record<string, string>): string | null {
  // Unsigned bounds when the kernel knows them, else signed ones.
  const lo = args.umin ?? args.smin;
  const hi = args.umax ?? args.smax;
  if (lo === undefined && hi === undefined) return null;
  const min = lo ?? (args.smax !== undefined && args.umax === undefined ? '-∞' : '0');
  const max = hi ?? 'max';
  return `[${min}, ${max}]`;
}

/** Kernel register/stack text → a short plain-language reading. */
export function readValue(text: string): string {
  // A leading P marks a value the verifier tracks precisely for pruning.
  const t = /^P(-?\d|0x|scalar|fp|ctx|map|pkt)/.test(text) ? text.slice(1) : text;
  if (/^-?\d+$/.test(t) || /^0x[0-9a-f]+$/i.test(t)) return `the number ${t.startsWith('0x') ? `${BigInt(t)} (${t})` : t}`;
  if (/^fp0$/.test(t)) return 'pointer to the top of the stack (r10)';
  const fp = /^fp(-\d+)$/.exec(t);
  if (fp) return `pointer into the stack at r10 ${fp[1]}`;
  if (/^[m0?firsp]+$/.test(t) && t.length <= 8) return stackBytes(t);
  const call = /^([a-z_]+)\((.*)\)$/.exec(t);
  if (!call) return t;
  const [, kind, inner = ''] = call;
  const a = parseArgs(inner);
  const off = a.off !== undefined && a.off !== '0' ? ` + ${a.off}` : '';
  switch (kind) {
    case 'ctx':
      return `pointer to the program's context${off}`;
    case 'scalar': {
      const r = range(a);
      return r ? `a number in ${r}` : 'a number the verifier knows nothing about';
    }
    case 'pkt':
      return `packet pointer${off}; ${a.r ?? '0'} bytes proven readable from packet start`;
    case 'pkt_end':
      return 'end of the packet (data_end)';
    case 'pkt_meta':
      return 'packet metadata pointer';
    case 'map_ptr':
      return `the map ${a.map ?? ''} (for map helpers)`;
    case 'map_value':
      return `pointer to a value of map ${a.map ?? '?'} (${a.vs ?? '?'} bytes)${off}`;
    case 'map_value_or_null':
      return `pointer to a value of map ${a.map ?? '?'}, or NULL: check it before use`;
    case 'ptr_or_null':
    case 'mem_or_null':
    case 'ringbuf_mem_or_null':
      return 'pointer or NULL: check it before use';
    case 'mem':
    case 'ringbuf_mem':
      return `pointer to ${a.sz ?? '?'} bytes of memory${off}`;
    case 'fp':
      return `pointer into the stack${off}`;
    default:
      return t;
  }
}

const SLOT_BYTE: Record<string, string> = { m: 'misc', '0': 'zero', '?': 'invalid' };

/** "mmmm????" → "4 misc, 4 invalid": one character per byte of the slot. */
export function stackBytes(types: string): string {
  const counts = new Map<string, number>();
  for (const c of types) counts.set(SLOT_BYTE[c] ?? c, (counts.get(SLOT_BYTE[c] ?? c) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(', ') + (types.length === 8 ? '' : ` (${types.length} bytes)`);
}

/** How a stack slot is used, for the Stack panel's kind column. */
export function slotKind(text: string | undefined): 'spill' | 'misc' | 'zero' | 'invalid' | 'mixed' {
  if (text === undefined) return 'invalid';
  if (!/^[m0?]+$/.test(text)) return 'spill';
  if (/^m+$/.test(text)) return 'misc';
  if (/^0+$/.test(text)) return 'zero';
  if (/^\?+$/.test(text)) return 'invalid';
  return 'mixed';
}
