/**
 * Abstract states per instruction, read back from the kernel-format level-2
 * verifier log (the same text the kernel prints, so this works on either).
 * The log prints a full state when a path starts ("from 4 to 9: ...", "9:
 * ...") and after each instruction only what it changed ("5: (bf) r2 = r10
 * ; R2=fp0"), so the states are rebuilt by replaying those deltas in order.
 */

/** Register and stack entries by name: R0..R10, fp-8, fp-16, ... → kernel text. */
export type AbstractState = ReadonlyMap<string, string>;

export interface Visit {
  insn: number;
  /** 0-based line of the log where the instruction was printed */
  logLine: number;
  before: AbstractState;
  after: AbstractState;
  /** entries the instruction changed (what the log printed after ';') */
  changed: ReadonlySet<string>;
}

/** Where exploration went: each path the verifier took up later, and the points it pruned. */
export type PathMark =
  /** a branch target pushed earlier, explored now ("from 4 to 9: ...") */
  | { kind: 'path'; from: number; to: number; logLine: number }
  /** the state equalled one already proven safe, so the path stopped here ("from 6 to 18: safe", "18: safe") */
  | { kind: 'pruned'; insn: number; logLine: number };

export interface LogStates {
  visits: Visit[];
  paths: PathMark[];
  /** per log line, the instruction it is about (null for summary lines) */
  lineInsns: (number | null)[];
}

/** Splits at `sep` outside parentheses: "a=(1; 2) b" → ["a=(1; 2)", "b"]. */
export function splitTopLevel(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && text.startsWith(sep, i)) {
      out.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  out.push(text.slice(start));
  return out.filter((s) => s !== '');
}

/** "R1=ctx() R10=fp0 fp-8=mmmm????" → entries; tokens that are not NAME=VALUE are skipped. */
export function parseStateText(text: string): Map<string, string> {
  const state = new Map<string, string>();
  for (const token of splitTopLevel(text.trim(), ' ')) {
    const eq = token.indexOf('=');
    if (eq <= 0) continue;
    // Older kernels mark written entries with _w (R1_w=...); the name is what matters.
    const name = token.slice(0, eq).replace(/_w$/, '');
    if (/^(R\d+|fp-\d+)$/.test(name)) state.set(name, token.slice(eq + 1));
  }
  return state;
}

const INSN_LINE = /^(\d+): \(([0-9a-f]{2})\) (.*)$/;
const STATE_LINE = /^(\d+): (R\d.*)$/;
const FROM_LINE = /^from (\d+) to (\d+): (.*)$/;
/** BPF_JMP|BPF_CALL and BPF_JMP|BPF_EXIT opcodes */
const CALL = '85';

export function parseLogStates(log: string): LogStates {
  const lines = log.split('\n');
  const visits: Visit[] = [];
  const paths: PathMark[] = [];
  const lineInsns: (number | null)[] = [];
  let current = new Map<string, string>();
  lines.forEach((line, i) => {
    const from = FROM_LINE.exec(line);
    if (from) {
      const to = Number(from[2]);
      lineInsns.push(to);
      if (from[3]!.trim() === 'safe') {
        paths.push({ kind: 'pruned', insn: to, logLine: i });
        return;
      }
      paths.push({ kind: 'path', from: Number(from[1]), to, logLine: i });
      current = parseStateText(from[3]!);
      return;
    }
    const safe = /^(\d+): safe$/.exec(line);
    if (safe) {
      lineInsns.push(Number(safe[1]));
      paths.push({ kind: 'pruned', insn: Number(safe[1]), logLine: i });
      return;
    }
    const full = STATE_LINE.exec(line);
    if (full) {
      current = parseStateText(full[2]!);
      lineInsns.push(Number(full[1]));
      return;
    }
    const insn = INSN_LINE.exec(line);
    if (insn) {
      const index = Number(insn[1]);
      lineInsns.push(index);
      const before = new Map(current);
      const after = new Map(current);
      // A call clobbers the caller-saved R1-R5; the log does not print registers that became unreadable.
      if (insn[2] === CALL) for (let r = 1; r <= 5; r++) after.delete(`R${r}`);
      const [, delta = ''] = splitOnce(insn[3]!, ' ; ');
      const changes = parseStateText(delta);
      for (const [k, v] of changes) after.set(k, v);
      visits.push({ insn: index, logLine: i, before, after, changed: new Set(changes.keys()) });
      current = after;
      return;
    }
    // "      3: .1..... (bf) r2 = r1" in the live-registers table also names an instruction.
    const live = /^\s+(\d+): /.exec(line);
    lineInsns.push(live ? Number(live[1]) : null);
  });
  return { visits, paths, lineInsns };
}

function splitOnce(text: string, sep: string): [string, string?] {
  const at = text.indexOf(sep);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + sep.length)];
}

/** Every visit of an instruction, in exploration order. */
export function visitsOf(states: LogStates, insn: number): Visit[] {
  return states.visits.filter((v) => v.insn === insn);
}
