/**
 * Splits one line of uBPF-dialect assembly into labels, mnemonic, modifier
 * words and comma-separated operands, each with its 1-based column.
 *
 *   [label:]... [mnemonic [modifiers] [operand {, operand}]] [# comment]
 *
 * Modifier words exist for two mnemonics only: `lock [fetch] OP ...` and
 * `call local|helper|runtime TARGET`.
 */

export interface Token {
  text: string;
  /** 1-based column of the first character */
  column: number;
}

export interface Statement {
  line: number;
  labels: Token[];
  mnemonic: Token | null;
  modifiers: Token[];
  operands: Token[];
}

export interface ScanProblem {
  column: number;
  endColumn: number;
  message: string;
}

const LABEL_DEF = /^([A-Za-z_.$][\w.$]*)\s*:/;
const WORD = /^[A-Za-z_][\w.]*/;
const CALL_MODES = new Set(['local', 'helper', 'runtime']);

/** Removes a `#` comment; no operand of this dialect contains '#'. */
function stripComment(text: string): string {
  const hash = text.indexOf('#');
  return hash < 0 ? text : text.slice(0, hash);
}

/** Advances past whitespace; returns the new position. */
function skipSpace(text: string, at: number): number {
  while (at < text.length && (text[at] === ' ' || text[at] === '\t' || /\s/.test(text[at]))) at++;
  return at;
}

export function scanLine(raw: string, line: number): { statement: Statement; problems: ScanProblem[] } {
  const text = stripComment(raw);
  const statement: Statement = { line, labels: [], mnemonic: null, modifiers: [], operands: [] };
  const problems: ScanProblem[] = [];
  let at = skipSpace(text, 0);

  for (let m = LABEL_DEF.exec(text.slice(at)); m; m = LABEL_DEF.exec(text.slice(at))) {
    statement.labels.push({ text: m[1], column: at + 1 });
    at = skipSpace(text, at + m[0].length);
  }
  if (at >= text.length) return { statement, problems };

  const mnemonicMatch = /^\S+/.exec(text.slice(at));
  if (!mnemonicMatch) return { statement, problems };
  const mnemonicText = mnemonicMatch[0].replace(/,+$/, '');
  statement.mnemonic = { text: mnemonicText, column: at + 1 };
  at = skipSpace(text, at + mnemonicMatch[0].length);

  at = scanModifiers(text, at, mnemonicText.toLowerCase(), statement.modifiers);
  scanOperands(text, at, statement.operands, problems);
  return { statement, problems };
}

/**
 * The modifier word at `at`, if it is followed by more text on the line (a
 * word followed by nothing, or by a comma, is an operand: `call helper_name`).
 */
function modifierAt(text: string, at: number): { token: Token; next: number } | null {
  const m = WORD.exec(text.slice(at));
  if (!m) return null;
  const next = skipSpace(text, at + m[0].length);
  if (next >= text.length || text[next] === ',') return null;
  return { token: { text: m[0], column: at + 1 }, next };
}

function scanModifiers(text: string, at: number, mnemonic: string, out: Token[]): number {
  if (mnemonic === 'lock') {
    // `lock fetch add [..], r` / `lock add [..], r`: up to two words before the operands.
    for (let i = 0; i < 2; i++) {
      const word = modifierAt(text, at);
      if (!word) break;
      out.push(word.token);
      at = word.next;
      if (word.token.text.toLowerCase() !== 'fetch') break;
    }
  } else if (mnemonic === 'call') {
    const word = modifierAt(text, at);
    if (word && CALL_MODES.has(word.token.text.toLowerCase())) {
      out.push(word.token);
      at = word.next;
    }
  }
  return at;
}

/** Comma-separated operands; commas inside `[...]` do not split. */
function scanOperands(text: string, at: number, out: Token[], problems: ScanProblem[]): void {
  if (at >= text.length) return;
  let depth = 0;
  let start = at;
  for (let i = at; i <= text.length; i++) {
    const c = i < text.length ? text[i] : ',';
    if (c === '[') depth++;
    else if (c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && (depth === 0 || i === text.length)) {
      addOperand(text, start, i, out, problems);
      start = i + 1;
    }
  }
}

function addOperand(text: string, start: number, end: number, out: Token[], problems: ScanProblem[]): void {
  const piece = text.slice(start, end);
  const trimmed = piece.trim();
  if (trimmed === '') {
    problems.push({ column: start + 1, endColumn: end + 2, message: 'missing operand: there is nothing between two commas (or after the last one)' });
  } else {
    out.push({ text: trimmed, column: start + (piece.length - piece.trimStart().length) + 1 });
  }
}
