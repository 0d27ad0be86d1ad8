/**
 * C string literals as bytes: the text between the quotes of `"GET /\r\n"`
 * with C's backslash escapes, UTF-8 for anything outside ASCII. Used by the
 * data directives (`.rodata`, `.init`, `.license`) and by the disassembler
 * to print such data back.
 *
 * `\xHH` takes one or two hex digits (C takes as many as follow, which makes
 * `"\x41b"` ambiguous to a reader); `\ooo` one to three octal digits.
 */

export type CStringResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string; offset: number; length: number };

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = {
  n: 0x0a,
  t: 0x09,
  r: 0x0d,
  '0': 0x00,
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  v: 0x0b,
  e: 0x1b,
  '\\': 0x5c,
  '"': 0x22,
  "'": 0x27,
  '?': 0x3f,
};

const utf8 = new TextEncoder();

/** Decode the raw text of a string literal (without its quotes). `offset` of an error is into `raw`. */
export function decodeCString(raw: string): CStringResult {
  const out: number[] = [];
  for (let i = 0; i < raw.length; ) {
    const ch = raw[i];
    if (ch !== '\\') {
      const cp = raw.codePointAt(i)!;
      const text = String.fromCodePoint(cp);
      for (const b of cp < 0x80 ? [cp] : utf8.encode(text)) out.push(b);
      i += text.length;
      continue;
    }
    const e = raw[i + 1];
    if (e === undefined) return { ok: false, message: 'a string cannot end with a lone backslash', offset: i, length: 1 };
    if (e === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(raw.slice(i + 2));
      if (!m) return { ok: false, message: "'\\x' needs one or two hex digits, like \\x0a", offset: i, length: 2 };
      out.push(parseInt(m[0], 16));
      i += 2 + m[0].length;
      continue;
    }
    if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(raw.slice(i + 1))!;
      const v = parseInt(m[0], 8);
      if (v > 0xff) return { ok: false, message: `octal escape '\\${m[0]}' is more than one byte (largest \\377)`, offset: i, length: 1 + m[0].length };
      out.push(v);
      i += 1 + m[0].length;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple === undefined) {
      return { ok: false, message: `unknown escape '\\${e}'; use \\n \\t \\r \\0 \\\\ \\" \\xHH or \\ooo`, offset: i, length: 2 };
    }
    out.push(simple);
    i += 2;
  }
  return { ok: true, bytes: Uint8Array.from(out) };
}

const NAMED: Readonly<Record<number, string>> = { 0x0a: '\\n', 0x09: '\\t', 0x0d: '\\r', 0x5c: '\\\\', 0x22: '\\"' };

/** The text of a string literal (without quotes) that decodeCString reads back as exactly `bytes`. */
export function encodeCString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    const named = NAMED[b];
    if (named) s += named;
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}

/** Printable ASCII (and \t \n \r), the bytes a string literal shows readably. */
export function isTextByte(b: number): boolean {
  return (b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d;
}
