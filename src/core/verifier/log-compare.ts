/**
 * Normalising kernel level-2 logs for comparison with ours: Linux 6.18
 * prints debug lines of its stack-liveness analysis ("(0) frame 0 insn 10
 * +live -8", "live stack update done in 2 iterations") that this verifier
 * does not model, and kernel addresses differ from run to run.
 */

const LIVENESS_DEBUG = /^\(\d+(,\d+)*\) (frame \d+ insn \d+ |live stack update done)/;

/** a line of the "Live regs before insn:" listing (6.18 may prefix loop members with an SCC number) */
const LIVE_REGS_LINE = /^ *\d* +\d+: [.0-9]{10} /;

/**
 * The log without liveness debug lines, addresses replaced and kbpf's extra
 * stats lines dropped; `exploration` also drops the static "Live regs"
 * listing, leaving what the abstract interpretation printed.
 */
export function comparableLog2(log: string, exploration = false): string {
  return log
    .replace(/0xffff[0-9a-f]{12}/g, 'ADDR')
    .split('\n')
    .filter((l) => !LIVENESS_DEBUG.test(l) && !l.startsWith('verification time') && !l.startsWith('stack depth'))
    .filter((l) => !exploration || (l !== 'Live regs before insn:' && !LIVE_REGS_LINE.test(l)))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

/** The lines precision tracking writes (backtracking, propagation at pruning, the fallback), in order. */
export function precisionLines(log: string): string[] {
  return comparableLog2(log)
    .split('\n')
    .filter((l) => /^(mark_precise: |force_precise: |frame \d+: propagating )/.test(l));
}
