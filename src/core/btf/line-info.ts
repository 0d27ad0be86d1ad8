/**
 * Source lines for instructions. BTF line_info marks where each C line's code
 * starts; every instruction after a record belongs to it until the next one,
 * which is how bpftool and the verifier log attribute lines.
 */
export interface SourceLine {
  file: string;
  line: number;
  column: number;
  text: string;
}

export interface LineRecord extends SourceLine {
  insn: number;
}

/** The line an instruction belongs to, or null before the first record. Records must be sorted by insn. */
export function sourceLineAt(records: readonly LineRecord[], insn: number): SourceLine | null {
  let lo = 0;
  let hi = records.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (records[mid].insn <= insn) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  if (best < 0) return null;
  const r = records[best];
  return { file: r.file, line: r.line, column: r.column, text: r.text };
}

/** One entry per instruction slot (null before the first record), for the UI's C-beside-asm view. */
export function sourceLinesFor(records: readonly LineRecord[], insnCount: number): (SourceLine | null)[] {
  const sorted = [...records].sort((a, b) => a.insn - b.insn);
  const out: (SourceLine | null)[] = [];
  for (let i = 0; i < insnCount; i++) out.push(sourceLineAt(sorted, i));
  return out;
}
