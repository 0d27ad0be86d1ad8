/**
 * Source text → code lines: comments removed and the prefixes of pasted
 * kernel logs and llvm-objdump output stripped. Removed text is replaced by
 * spaces so columns still point into the user's original line.
 */

export interface CodeLine {
  /** 1-based line number */
  line: number;
  /** the line with comments and pasted prefixes blanked out */
  text: string;
  /** the opcode of a pasted `(bf)` prefix: `(18) r1 = 0x0` is an LD_IMM64 even without `ll` */
  opcodeHint?: number;
  /** `llvm-objdump -dr` relocation line for the instruction above it */
  relocation?: { type: string; symbol: string; column: number; symbolColumn: number };
}

/** `/* ... *\/` may span lines; blank it but keep the newlines. */
function blankBlockComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?(\*\/|$)/g, (c) => c.replace(/[^\n]/g, ' '));
}

/**
 * Line comments: `;` (also the kernel log's state comment), `//`, and `#` at
 * the start of a line or after whitespace (`call bpf_map_lookup_elem#1`
 * keeps its `#`). Quoted strings are respected.
 */
function stripLineComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (inString && ch === '\\') {
      i++; // `\"` does not end the string
      continue;
    }
    if (ch === '"') inString = !inString;
    if (inString) continue;
    const startsComment = ch === ';' || (ch === '/' && line[i + 1] === '/') || (ch === '#' && (i === 0 || /\s/.test(line[i - 1])));
    if (startsComment) return line.slice(0, i);
  }
  return line;
}

/**
 * `  4 12: .1........ (bf) r1 = r2` (verifier log, optional loop SCC number
 * and liveness column), `12: (bf) r1 = r2`, `(bf) r1 = r2`,
 * `     0:\tb7 00 00 00 02 00 00 00\tr0 = 0x2` (llvm-objdump).
 */
const PASTED_PREFIX =
  /^(\s*(?:\d+\s+)?\d+:\s*(?:(?:[0-9a-fA-F]{2}\s){8}(?:(?:[0-9a-fA-F]{2}\s){8})?)?\s*(?:[.0-9]{10}\s+)?)?(\([0-9a-fA-F]{2}\)\s*)?/;
/** llvm-objdump's function header `0000000000000000 <xdp_prog>:` */
const OBJDUMP_FUNC = /^\s*[0-9a-fA-F]{8,16}\s+<([A-Za-z_.$][\w.$]*)>:\s*$/;
/** llvm-objdump's `<LBB0_2>` after a jump target */
const OBJDUMP_TARGET = /\s<[A-Za-z_.$][\w.$+]*>\s*$/;
/** verifier state lines `12: R1=ctx() R10=fp0` carry no instruction */
const STATE_LINE = /^\s*(R\d+|fp-?\d+|frame\d+)[=_:]/;

export function codeLines(source: string): CodeLine[] {
  const lines = blankBlockComments(source).split('\n');
  return lines.map((raw, i) => ({ line: i + 1, ...cleanLine(raw) }));
}

/** `\t\t0000000000000020:  R_BPF_64_64\tcounters` */
const OBJDUMP_RELOCATION = /^(\s*[0-9a-fA-F]+:\s+)(R_BPF_\w+)\s+([A-Za-z_.$][\w.$]*)\s*$/;

function cleanLine(raw: string): Omit<CodeLine, 'line'> {
  let text = stripLineComment(raw.replace(/\r$/, ''));
  const reloc = OBJDUMP_RELOCATION.exec(text);
  if (reloc) {
    const column = reloc[1].length + 1;
    const symbolColumn = text.lastIndexOf(reloc[3]) + 1;
    return { text: '', relocation: { type: reloc[2], symbol: reloc[3], column, symbolColumn } };
  }
  const func = OBJDUMP_FUNC.exec(text);
  if (func) return { text: ' '.repeat(text.indexOf('<') + 1) + func[1] + ':' };
  const m = PASTED_PREFIX.exec(text);
  let opcodeHint: number | undefined;
  if (m && m[0].length > 0) {
    const rest = text.slice(m[0].length);
    if (m[1] && STATE_LINE.test(rest)) return { text: '' };
    if (m[2]) opcodeHint = parseInt(m[2].slice(1, 3), 16);
    text = ' '.repeat(m[0].length) + rest;
  }
  text = text.replace(OBJDUMP_TARGET, (t) => ' '.repeat(t.length));
  return { text: text.trimEnd(), opcodeHint };
}
