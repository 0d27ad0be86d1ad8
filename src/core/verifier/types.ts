/** The structured result of verification; the text log is one rendering of it. */

export type Verdict = 'accepted' | 'rejected';

export interface VerifierError {
  /** instruction the kernel names for the error (null for whole-program errors) */
  insn: number | null;
  /** the kernel's message, last line first-class (errorLine) */
  message: string;
  /** every line of the error text, in order */
  lines: string[];
}

/** One visit of an instruction on some path: the registers after it ran. */
export interface StateSnapshot {
  insn: number;
  /** kernel-format register text, e.g. "R0=0 R1=ctx()" */
  regs: string;
}

export interface PathEvent {
  kind: 'branch' | 'pruned' | 'exit' | 'error';
  /** the instruction where it happened */
  insn: number;
  /** branch: the target pushed for later exploration */
  target?: number;
}

export interface VerifyStats {
  processedInsns: number;
  totalStates: number;
  peakStates: number;
  maxStatesPerInsn: number;
  /** wall time of verification in milliseconds */
  durationMs: number;
}

export interface VerifyResult {
  verdict: Verdict;
  error: VerifierError | null;
  log: string;
  stats: VerifyStats;
  /** per-visit snapshots (only when requested: opts.snapshots) */
  snapshots: StateSnapshot[];
  /** branch points, pruned points and exits in exploration order */
  paths: PathEvent[];
}

export interface VerifyOptions {
  logLevel?: 0 | 1 | 2;
  insnLimit?: number;
  /**
   * CPUs of the modelled machine (the kernel bounds bpf_get_smp_processor_id
   * by nr_cpu_ids); default 2, the reference machine's count
   */
  nrCpus?: number;
  /** collect per-instruction state snapshots for a visualizer */
  snapshots?: boolean;
  /**
   * keep at most this many characters of log text (the error and the summary
   * line are always kept); the verdict and stats do not depend on it.
   * Default LOG_LIMIT_DEFAULT: 16 MiB, the log buffer of libbpf and kbpf.py
   */
  logLimit?: number;
}
