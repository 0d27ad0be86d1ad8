/**
 * The growing log text with the two positions the kernel keeps to append a
 * state to the instruction line just printed (prev_log_pos,
 * prev_insn_print_pos in struct bpf_verifier_env) and to rewind the log when
 * a path is abandoned at level 1 (bpf_vlog_reset).
 */
export class LogBuffer {
  /** appended pieces; `ends[i]` is the log length after parts[i] (cheap rewinds on long paths) */
  private parts: string[] = [];
  private ends: number[] = [];
  private len = 0;
  prevLogPos = 0;
  prevInsnPrintPos = 0;

  get length(): number {
    return this.len;
  }

  append(s: string): void {
    if (!s) return;
    this.parts.push(s);
    this.len += s.length;
    this.ends.push(this.len);
  }

  /** bpf_vlog_reset: cut the log back to `pos` characters. */
  reset(pos: number): void {
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
