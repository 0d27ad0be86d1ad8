/**
 * The growing log text with the two positions the kernel keeps to append a
 * state to the instruction line just printed (prev_log_pos,
 * prev_insn_print_pos in struct bpf_verifier_env) and to rewind the log when
 * a path is abandoned at level 1 (bpf_vlog_reset).
 *
 * With a `limit`, text past it is not kept: the buffer says so once, in a
 * line of its own, and `saturated` tells the verifier's log-heavy paths to
 * stop formatting text nobody will read (a 1M-insn program at level 2 logs
 * hundreds of MB, as the kernel does). The final lines (error, summary) go
 * in with `appendFinal`, past the limit. A rewind below the limit (level 1)
 * makes room again, exactly as if nothing had been dropped: the dropped
 * text lay after the rewind point and would have been cut anyway.
 */
export class LogBuffer {
  /** appended pieces; `ends[i]` is the log length after parts[i] (cheap rewinds on long paths) */
  private parts: string[] = [];
  private ends: number[] = [];
  private len = 0;
  prevLogPos = 0;
  prevInsnPrintPos = 0;
  /** true once text was dropped at the limit (until a rewind below it) */
  saturated = false;
  private noteAt = -1;

  constructor(private readonly limit = Infinity) {}

  get length(): number {
    return this.len;
  }

  append(s: string): void {
    if (!s || this.saturated) return;
    if (this.len + s.length > this.limit) {
      this.saturated = true;
      this.noteAt = this.len;
      this.push(`... the log is longer than ${this.limit} characters: bpfiddle stopped keeping it here; the verifier went on, and its last lines follow ...\n`);
      return;
    }
    this.push(s);
  }

  /** The error and summary lines, which are kept past the limit. */
  appendFinal(s: string): void {
    if (s) this.push(s);
  }

  private push(s: string): void {
    this.parts.push(s);
    this.len += s.length;
    this.ends.push(this.len);
  }

  /** bpf_vlog_reset: cut the log back to `pos` characters. */
  reset(pos: number): void {
    if (this.saturated && pos <= this.noteAt) this.saturated = false;
    while (this.parts.length && this.ends[this.ends.length - 2] !== undefined && this.ends[this.ends.length - 2] >= pos) {
      this.parts.pop();
      this.ends.pop();
    }
    if (this.parts.length === 1 && pos === 0) {
      this.parts = [];
      this.ends = [];
      this.len = 0;
      return;
    }
    if (this.len > pos && this.parts.length) {
      const last = this.parts.length - 1;
      const start = last > 0 ? this.ends[last - 1] : 0;
      this.parts[last] = this.parts[last].slice(0, pos - start);
      this.ends[last] = pos;
      if (!this.parts[last]) {
        this.parts.pop();
        this.ends.pop();
      }
    }
    this.len = Math.min(this.len, pos);
  }

  toString(): string {
    // level 0 never appends: answer without building arrays
    if (this.parts.length === 0) return '';
    if (this.parts.length === 1) return this.parts[0];
    const s = this.parts.join('');
    this.parts = s ? [s] : [];
    this.ends = s ? [s.length] : [];
    return s;
  }
}

const LOG_MIN_ALIGNMENT = 8;
const LOG_ALIGNMENT = 40;

/** vlog_alignment: padding that puts the ';' of a state after an insn line in a column. */
export function vlogAlignment(pos: number): number {
  const target = Math.max(pos + LOG_MIN_ALIGNMENT / 2, LOG_ALIGNMENT);
  return Math.ceil(target / LOG_MIN_ALIGNMENT) * LOG_MIN_ALIGNMENT - pos - 1;
}
