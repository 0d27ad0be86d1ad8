/**
 * The simulated machine's clock and random numbers: deterministic, so a run
 * can be repeated and shared (the kernel's values are, by nature, not).
 */
import { xorshift32 } from '../../num/prng.ts';

/** A monotonic clock that advances by a fixed step at every reading. */
export class SimClock {
  private nowNs: bigint;
  constructor(
    startNs: bigint = 1_000_000_000n,
    /** each reading advances the clock this much, so consecutive readings differ like real ones */
    readonly stepNs: bigint = 100n,
    /** ktime_get_boot_ns - ktime_get_ns: time spent suspended (none by default) */
    readonly suspendedNs: bigint = 0n,
  ) {
    this.nowNs = startNs;
  }
  /** bpf_ktime_get_ns (CLOCK_MONOTONIC) */
  monotonic(): bigint {
    this.nowNs += this.stepNs;
    return this.nowNs;
  }
  /** bpf_ktime_get_boot_ns (CLOCK_BOOTTIME) */
  boot(): bigint {
    return this.monotonic() + this.suspendedNs;
  }
  /** let simulated time pass (between packets, for example) */
  advance(ns: bigint): void {
    this.nowNs += ns;
  }
}

/**
 * bpf_get_prandom_u32 stand-in: xorshift32 from a seed (the kernel uses a
 * per-CPU Tausworthe generator seeded at boot; values cannot match it).
 */
export class SeededRandom {
  private state: number;
  constructor(seed = 0x2545f491) {
    this.state = seed >>> 0 || 0x2545f491;
  }
  nextU32(): number {
    this.state = xorshift32(this.state);
    return this.state;
  }
}
