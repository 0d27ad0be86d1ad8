/**
 * Hex text for the Packets panel: the dump a packet analyzer shows
 * (offset | 16 bytes | ASCII) and a lenient parser for what users paste.
 */
import type { NetResult } from './result.ts';
import { fail, ok } from './result.ts';

export { diffBytes } from './diff.ts';
export type { ByteDiff, ByteDiffRange, ByteDiffKind } from './diff.ts';

/** Compact lower-case hex, no separators. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export interface HexDumpRow {
  offset: number;
  bytes: Uint8Array;
}

/** The bytes split into 16-byte rows, for UIs that render their own cells. */
export function hexDumpRows(bytes: Uint8Array, width = 16): HexDumpRow[] {
  const rows: HexDumpRow[] = [];
  for (let at = 0; at < bytes.length; at += width) rows.push({ offset: at, bytes: bytes.subarray(at, at + width) });
  return rows;
}

/**
 * Wireshark-style dump:
 * `0000  ff ff ff ff ff ff 02 00  00 00 00 01 08 06 00 01   ................`
 */
export function formatHexDump(bytes: Uint8Array): string {
  const offsetDigits = Math.max(4, (Math.max(0, bytes.length - 1)).toString(16).length);
  return hexDumpRows(bytes)
    .map(({ offset, bytes: row }) => {
      const cells: string[] = [];
      for (let i = 0; i < 16; i++) {
        const cell = i < row.length ? row[i].toString(16).padStart(2, '0') : '  ';
        cells.push(i === 8 ? ' ' + cell : cell);
      }
      const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
      return `${offset.toString(16).padStart(offsetDigits, '0')}  ${cells.join(' ')}   ${ascii}`.trimEnd();
    })
    .join('\n');
}

export interface HexParseError {
  message: string;
  /** 0-based index into the text, 1-based line and column, for an editor marker. */
  index: number;
  line: number;
  column: number;
}

export type HexParseResult = { ok: true; value: Uint8Array } | { ok: false; error: string; position: HexParseError };

const OFFSET_PREFIX = /^(\s*)(0x)?[0-9a-fA-F]+:(?=\s|$)/;
const ASCII_COLUMN = /\|[^|\n]*\|\s*$/;

/**
 * Reads hex the way people paste it: whitespace and newlines anywhere,
 * `0x` prefixes, ':' '-' ',' separators, `#` comments, line offsets such as
 * tcpdump's `0x0010:` and hexdump -C's `|ascii|` column. Each token must
 * have an even number of digits (a lone `0x5` is one byte), so "45 0 0" is
 * reported rather than silently guessed. A dump in the layout formatHexDump,
 * Wireshark and hexdump -C print (offset, byte cells, ASCII column) is read
 * back as its bytes.
 */
export function parseHex(text: string): HexParseResult {
  if (typeof text !== 'string') return { ok: false, error: 'hex input must be text', position: { message: 'hex input must be text', index: 0, line: 1, column: 1 } };
  const dump = parseDumpLayout(text);
  if (dump) return ok(dump) as HexParseResult;
  const out: number[] = [];
  const lines = text.split('\n');
  let lineStart = 0;
  for (let li = 0; li < lines.length; li++) {
    let line = lines[li];
    const comment = line.indexOf('#');
    if (comment >= 0) line = line.slice(0, comment);
    line = line.replace(ASCII_COLUMN, (m) => ' '.repeat(m.length));
    const prefix = OFFSET_PREFIX.exec(line);
    if (prefix) line = ' '.repeat(prefix[0].length) + line.slice(prefix[0].length);
    const tokens = /[^\s:,-]+/g;
    for (let m = tokens.exec(line); m; m = tokens.exec(line)) {
      let digits = m[0];
      let col = m.index;
      const prefixed = /^0[xX]/.test(digits);
      if (prefixed) {
        digits = digits.slice(2);
        col += 2;
        if (digits.length === 0) return hexError(`'0x' without digits`, lineStart + m.index, li, m.index);
      }
      const bad = /[^0-9a-fA-F]/.exec(digits);
      if (bad) return hexError(`unexpected character '${bad[0]}'`, lineStart + col + bad.index, li, col + bad.index);
      if (digits.length % 2 === 1) {
        if (!prefixed) return hexError(`odd number of hex digits in '${m[0]}'`, lineStart + m.index, li, m.index);
        digits = '0' + digits;
      }
      for (let i = 0; i < digits.length; i += 2) out.push(parseInt(digits.slice(i, i + 2), 16));
    }
    lineStart += lines[li].length + 1;
  }
  return ok(Uint8Array.from(out)) as HexParseResult;
}

function hexError(what: string, index: number, lineIndex: number, column: number): HexParseResult {
  const position: HexParseError = { message: what, index, line: lineIndex + 1, column: column + 1 };
  return { ok: false, error: `hex: ${what} at line ${position.line}, column ${position.column}`, position };
}

/** parseHex without the position, for callers that only want a NetResult. */
export function parseHexBytes(text: string): NetResult<Uint8Array> {
  const r = parseHex(text);
  return r.ok ? r : fail(r.error);
}

/**
 * Recognizes "offset  cells   ascii" dumps. Only accepted when the offsets
 * start at 0 and each equals the byte count so far, so ordinary hex that
 * happens to start with "0000  " is not mistaken for a dump.
 */
function parseDumpLayout(text: string): Uint8Array | null {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return null;
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([0-9a-fA-F]{4,8})(?:\s{2}(.*))?$/.exec(lines[i].replace(/\r$/, ''));
    if (!m || parseInt(m[1], 16) !== out.length) return null;
    // hexdump -C ends with a line holding only the final offset.
    if (m[2] === undefined) {
      if (i !== lines.length - 1 || i === 0) return null;
      break;
    }
    const cells = m[2].replace(/\|.*$/, '').split(/\s{3,}/)[0].trim().split(/\s+/);
    if (cells.length > 32 || !cells.every((c) => /^[0-9a-fA-F]{2}$/.test(c))) return null;
    for (const c of cells) out.push(parseInt(c, 16));
  }
  return Uint8Array.from(out);
}
