/**
 * String helpers: bpf_strtol (105), bpf_strtoul (106) and bpf_trace_vprintk
 * (177). The number parsing follows the kernel's (__bpf_strtoull over
 * _parse_integer): leading white space, one '-', a base from flags (0, 8,
 * 10, 16; 0 guesses from a 0 / 0x prefix), at most 63 characters looked at;
 * the result is the number of characters consumed or -errno, and *res is
 * the number, or 0 on failure (Linux 6.18 clears it first). Goldens: test-data/runtime/helper-runs.json.
 */
import type { HelperFn } from '../../interp/index.ts';
import { EINVAL, ERANGE } from '../maps/errno.ts';
import type { RuntimeSession } from './session.ts';
import { emitPrintk } from './printk-emit.ts';
import { isFault, num, readArg, ret } from './util.ts';

const BASE_MASK = 0x1fn;
const U64_MAX = (1n << 64n) - 1n;
/** MAX_BPRINTF_VARARGS */
const MAX_VARARGS = 12;

/** the kernel's isspace, Latin-1 table included (0xa0 is a space there) */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;

function digitValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return 99;
}

interface Parsed {
  consumed: number;
  value: bigint;
  negative: boolean;
}

/** __bpf_strtoull: -errno or what was parsed. */
function strtoull(buf: Uint8Array, flags: bigint): Parsed | number {
  let base = Number(flags & BASE_MASK);
  if (buf.length === 0) return -EINVAL;
  if (base !== 0 && base !== 8 && base !== 10 && base !== 16) return -EINVAL;
  if ((flags & ~BASE_MASK) !== 0n) return -EINVAL;
  let i = 0;
  while (i < buf.length && isSpace(buf[i]!)) i++;
  const negative = i < buf.length && buf[i] === 0x2d;
  if (negative) i++;
  const start = i;
  if (buf.length - start === 0) return -EINVAL;
  // the kernel parses a NUL-terminated copy of at most 63 bytes
  const copy = buf.slice(start, start + Math.min(buf.length - start, 63));
  const s = (k: number): number => (k < copy.length ? copy[k]! : 0);
  let k = 0;
  if (base === 0) {
    if (s(0) === 0x30) base = (s(1) | 0x20) === 0x78 && digitValue(s(2)) < 16 ? 16 : 8;
    else base = 10;
  }
  if (base === 16 && s(0) === 0x30 && (s(1) | 0x20) === 0x78) k = 2;
  let value = 0n;
  let digits = 0;
  let overflow = false;
  for (;;) {
    const d = digitValue(s(k + digits));
    if (d >= base) break;
    const next = value * BigInt(base) + BigInt(d);
    if (next > U64_MAX) overflow = true;
    value = next & U64_MAX;
    digits++;
  }
  if (overflow) return -ERANGE;
  if (digits === 0) return -EINVAL;
  return { consumed: start + k + digits, value, negative };
}

export function stringHelpers(session: RuntimeSession): [number, HelperFn][] {
  const strto =
    (signed: boolean): HelperFn =>
    (ctx) => {
      const len = num(ctx.arg(2) & 0xffffffffn);
      const buf = readArg(ctx, 1, len, 'buf');
      if (isFault(buf)) return buf;
      const p = strtoull(buf, ctx.arg(3));
      let res = 0n;
      let rc: number;
      if (typeof p === 'number') rc = p;
      else if (signed) {
        const v = p.negative ? BigInt.asIntN(64, -p.value) : BigInt.asIntN(64, p.value);
        // the magnitude must fit a long long of the right sign
        rc = (p.negative ? v > 0n : v < 0n) ? -ERANGE : p.consumed;
        if (rc > 0) res = BigInt.asUintN(64, v);
      } else {
        rc = p.negative ? -EINVAL : p.consumed;
        if (rc > 0) res = p.value;
      }
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, res, true);
      const err = ctx.memory.write(ctx.arg(4), out);
      if (err) return { fault: `res (R4): ${err}` };
      return ret(rc);
    };

  const vprintk: HelperFn = (ctx) => {
    const fmtSize = num(ctx.arg(2) & 0xffffffffn);
    const dataLen = num(ctx.arg(4) & 0xffffffffn);
    if (dataLen % 8 !== 0 || dataLen > MAX_VARARGS * 8 || (dataLen !== 0 && ctx.arg(3) === 0n)) return ret(-EINVAL);
    const fmt = readArg(ctx, 1, fmtSize, 'format');
    if (isFault(fmt)) return fmt;
    const args: bigint[] = [];
    if (dataLen > 0) {
      const data = readArg(ctx, 3, dataLen, 'data');
      if (isFault(data)) return data;
      const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
      for (let i = 0; i < dataLen; i += 8) args.push(v.getBigUint64(i, true));
    }
    return emitPrintk(session, ctx, fmt, args);
  };

  return [
    [105, strto(true)],
    [106, strto(false)],
    [177, vprintk],
  ];
}
