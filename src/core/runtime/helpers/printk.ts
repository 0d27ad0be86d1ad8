/**
 * bpf_trace_printk's format language, as the kernel checks and prints it
 * (bpf_bprintf_prepare in kernel/bpf/helpers.c, then bstr_printf):
 *  - the format must be NUL-terminated within fmt_size, ASCII control
 *    characters other than whitespace are refused;
 *  - at most 3 conversions; flags `0 + - space` and a width are allowed,
 *    no precision, no `#`;
 *  - %d %i %u %x %X with l / ll, %c, %s, %%, and the pointer forms %p %pK %px
 *    %ps %pS %pB %pks %pus %pI4 %pi4 %pI6 %pi6. Anything else is -EINVAL.
 * Returns the length of the formatted text, which is cut at 1023 characters
 * (MAX_BPRINTF_BUF) as the kernel cuts it.
 *
 * Differences: %p prints the raw pointer value in 16 hex digits (the kernel
 * prints a hash keyed at boot), and symbol forms print 0x<address>.
 */
import { EINVAL } from '../maps/errno.ts';

export const MAX_TRACE_PRINTK_ARGS = 3;
export const MAX_BPRINTF_BUF = 1024;
/** bytes of strings (%s) one call may copy (MAX_BPRINTF_BIN_ARGS) */
const MAX_STRING_BYTES = 512;

/** Read `size` bytes at a program pointer, or null when that memory is not readable. */
export type MemoryReader = (ptr: bigint, size: number) => Uint8Array | null;

export type PrintkResult = { ok: true; text: string; length: number } | { ok: false; errno: number; reason: string };

interface Spec {
  left: boolean;
  zero: boolean;
  plus: boolean;
  space: boolean;
  width: number;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
function isPunct(c: number): boolean {
  return (c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e);
}
/** the end of a %s / plain %p conversion: NUL, whitespace or punctuation */
function endsConversion(c: number): boolean {
  return c === 0 || isSpace(c) || isPunct(c);
}

function pad(body: string, spec: Spec, signPrefix = ''): string {
  const len = signPrefix.length + body.length;
  if (len >= spec.width) return signPrefix + body;
  const fill = spec.width - len;
  if (spec.left) return signPrefix + body + ' '.repeat(fill);
  if (spec.zero) return signPrefix + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + signPrefix + body;
}

function formatInt(raw: bigint, bits: 32 | 64, conv: string, spec: Spec): string {
  const u = BigInt.asUintN(bits, raw);
  if (conv === 'd' || conv === 'i') {
    const s = BigInt.asIntN(bits, raw);
    const sign = s < 0n ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
    return pad((s < 0n ? -s : s).toString(), spec, sign);
  }
  if (conv === 'u') return pad(u.toString(), spec);
  const hex = u.toString(16);
  return pad(conv === 'X' ? hex.toUpperCase() : hex, spec);
}

function readCString(read: MemoryReader, ptr: bigint, max: number): string {
  let out = '';
  for (let i = 0; i < max; i++) {
    const b = read(ptr + BigInt(i), 1);
    if (!b || b[0] === 0) break;
    out += String.fromCharCode(b[0]!);
  }
  return out;
}

function formatIp(read: MemoryReader, ptr: bigint, kind: string): string {
  const v6 = kind.endsWith('6');
  const bytes = read(ptr, v6 ? 16 : 4) ?? new Uint8Array(v6 ? 16 : 4);
  if (!v6) {
    const parts = [...bytes].map((b) => (kind === 'i4' ? b.toString().padStart(3, '0') : b.toString()));
    return parts.join('.');
  }
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (kind === 'i6') return hex;
  return hex.match(/.{4}/g)!.join(':');
}

export function formatPrintk(fmtBytes: Uint8Array, args: readonly bigint[], read: MemoryReader): PrintkResult {
  const nul = fmtBytes.indexOf(0);
  if (nul < 0) return { ok: false, errno: EINVAL, reason: 'the format string is not NUL-terminated within fmt_size' };
  // a NUL-terminated view so lookahead past the end reads 0, as in C
  const f = fmtBytes.subarray(0, nul + 1);
  const at = (i: number): number => (i < f.length ? f[i]! : 0);
  const ch = (i: number): string => String.fromCharCode(at(i));
  // bytes, so UTF-8 in the format passes through and the length counts bytes as the kernel's does
  const bytes: number[] = [];
  const emit = (text: string): void => {
    for (let k = 0; k < text.length; k++) bytes.push(text.charCodeAt(k) & 0xff);
  };
  let nspec = 0;
  let stringBudget = MAX_STRING_BYTES;
  for (let i = 0; i < nul; i++) {
    const c = at(i);
    if (c < 0x80 && !(c >= 0x20 && c <= 0x7e) && !isSpace(c)) {
      return { ok: false, errno: EINVAL, reason: `control character 0x${c.toString(16)} in the format` };
    }
    if (c !== 0x25) {
      bytes.push(c);
      continue;
    }
    if (at(i + 1) === 0x25) {
      bytes.push(0x25);
      i++;
      continue;
    }
    if (nspec >= args.length) return { ok: false, errno: EINVAL, reason: `more than ${args.length} conversions` };
    i++;
    if (at(i) >= 0x80) return { ok: false, errno: EINVAL, reason: 'non-ASCII character after %' };
    const spec: Spec = { left: false, zero: false, plus: false, space: false, width: 0 };
    for (;;) {
      const k = ch(i);
      if (k === '0') spec.zero = true;
      else if (k === '+') spec.plus = true;
      else if (k === '-') spec.left = true;
      else if (k === ' ') spec.space = true;
      else break;
      i++;
    }
    if (at(i) >= 0x31 && at(i) <= 0x39) {
      let w = 0;
      while (at(i) >= 0x30 && at(i) <= 0x39) w = w * 10 + (at(i++) - 0x30);
      spec.width = w;
    }
    const arg = args[nspec]!;
    nspec++;
    const conv = ch(i);
    if (conv === 'p') {
      const next = at(i + 1);
      const ptrHex = BigInt.asUintN(64, arg).toString(16);
      if (endsConversion(next)) {
        emit(pad(arg === 0n ? '(null)' : ptrHex.padStart(16, '0'), spec));
        continue;
      }
      const n1 = ch(i + 1);
      const n2 = ch(i + 2);
      if ((n1 === 'k' || n1 === 'u') && n2 === 's') {
        i += 2;
        if (!endsConversion(at(i + 1))) return { ok: false, errno: EINVAL, reason: `%p${n1}s must end the conversion` };
        const s = readCString(read, arg, stringBudget);
        stringBudget -= s.length + 1;
        emit(pad(s, spec));
        continue;
      }
      if (n1 === 'K' || n1 === 'x') {
        i++;
        emit(pad(n1 === 'K' && arg === 0n ? '0'.repeat(16) : ptrHex.padStart(16, '0'), spec));
        continue;
      }
      if (n1 === 's' || n1 === 'S' || n1 === 'B') {
        i++;
        emit(pad(`0x${ptrHex}`, spec));
        continue;
      }
      if ((n1 === 'i' || n1 === 'I') && (n2 === '4' || n2 === '6')) {
        i += 2;
        emit(pad(formatIp(read, arg, n1 + n2), spec));
        continue;
      }
      return { ok: false, errno: EINVAL, reason: `unsupported pointer format %p${n1}` };
    }
    if (conv === 's') {
      if (!endsConversion(at(i + 1))) return { ok: false, errno: EINVAL, reason: '%s must be followed by whitespace, punctuation or the end' };
      const s = readCString(read, arg, Math.max(stringBudget - 1, 0));
      stringBudget -= s.length + 1;
      emit(pad(s, spec));
      continue;
    }
    if (conv === 'c') {
      emit(pad(String.fromCharCode(Number(BigInt.asUintN(8, arg))), spec));
      continue;
    }
    let bits: 32 | 64 = 32;
    if (ch(i) === 'l') {
      bits = 64;
      i++;
      if (ch(i) === 'l') i++;
    }
    const k = ch(i);
    if (k !== 'd' && k !== 'i' && k !== 'u' && k !== 'x' && k !== 'X') {
      return { ok: false, errno: EINVAL, reason: `unsupported conversion %${k === '\0' ? '' : k}` };
    }
    emit(formatInt(arg, bits, k, spec));
  }
  const kept = Uint8Array.from(bytes.slice(0, MAX_BPRINTF_BUF - 1));
  return { ok: true, text: new TextDecoder().decode(kept), length: bytes.length };
}
