/**
 * Tokens of one line of kernel/LLVM-syntax assembly, with 1-based columns so
 * every diagnostic can point at the exact text it is about.
 */
export type TokenKind = 'ident' | 'num' | 'op' | 'str';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the first character */
  col: number;
  /** 1-based column just past the last character (Diagnostic.endColumn) */
  end: number;
}

export type LexResult = { ok: true; tokens: Token[] } | { ok: false; col: number; end: number; message: string };

/** Longest first, so `s>>=` wins over `s>` and `<<=` over `<`. */
const OPERATORS = [
  's>>=', '<<=', '>>=', 's>=', 's<=', 's/=', 's%=',
  's>', 's<', '+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=', '==', '!=', '>=', '<=',
  '>', '<', '=', '+', '-', '*', '&', '(', ')', '[', ']', ',', ':', '#', '%', '/', '|', '^', '!',
];

const IDENT_START = /[A-Za-z_.$]/;
const IDENT_CHAR = /[A-Za-z0-9_.$]/;

export function tokenize(text: string): LexResult {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\v' || ch === '\f') {
      i++;
      continue;
    }
    const start = i;
    // `s>` etc. are operators only when the `s` does not begin a longer name
    const op = ch === 's' && /[<>/%]/.test(text[i + 1] ?? '') ? matchOperator(text, i) : IDENT_START.test(ch) ? undefined : matchOperator(text, i);
    if (op) {
      i += op.length;
      tokens.push({ kind: 'op', text: op, col: start + 1, end: i + 1 });
      continue;
    }
    if (IDENT_START.test(ch)) {
      while (i < text.length && IDENT_CHAR.test(text[i])) i++;
      tokens.push({ kind: 'ident', text: text.slice(start, i), col: start + 1, end: i + 1 });
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(text.slice(i))!;
      i += m[0].length;
      if (i < text.length && IDENT_CHAR.test(text[i])) {
        while (i < text.length && IDENT_CHAR.test(text[i])) i++;
        return { ok: false, col: start + 1, end: i + 1, message: `'${text.slice(start, i)}' is not a number (use decimal like 42 or hex like 0x2a)` };
      }
      tokens.push({ kind: 'num', text: m[0], col: start + 1, end: i + 1 });
      continue;
    }
    if (ch === '"') {
      // the token keeps the text as written; escapes are decoded by whoever knows the string's use
      const close = closingQuote(text, i + 1);
      if (close < 0) return { ok: false, col: start + 1, end: text.length + 1, message: 'string is missing its closing quote (")' };
      i = close + 1;
      tokens.push({ kind: 'str', text: text.slice(start + 1, close), col: start + 1, end: i + 1 });
      continue;
    }
    return { ok: false, col: start + 1, end: start + 2, message: `unexpected character '${ch}'` };
  }
  return { ok: true, tokens };
}

function matchOperator(text: string, at: number): string | undefined {
  for (const op of OPERATORS) if (text.startsWith(op, at)) return op;
  return undefined;
}

/** Index of the `"` that ends a string starting at `from`, skipping backslash escapes like `\"`; -1 if none. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
