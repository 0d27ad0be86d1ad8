/**
 * The state helpers share during a session: the live maps, the CPU the
 * program runs on, the simulated clock and random source, and what runs
 * produce besides r0 — ring-buffer and perf records, trace_printk lines.
 * Maps persist across the runs (packets) of one session, as in the kernel.
 */
import type { BpfMap } from '../maps/map.ts';
import { PerfEventArrayMap } from '../maps/perf-event-array.ts';
import { SeededRandom, SimClock } from './clock.ts';
import type { DecodedProgram } from '../../interp/decode.ts';
import type { ProgType } from '../../program.ts';
import { DEFAULT_TASK, type SimTask } from './task-helpers.ts';

export interface RunEvent {
  kind: 'ringbuf' | 'perf';
  /** the map's name */
  map: string;
  data: Uint8Array;
}

export interface SessionOptions {
  /** the CPU runs happen on (the kernel's test run here: CPU 0) */
  cpu?: number;
  /** seed of bpf_get_prandom_u32 */
  seed?: number;
  clock?: SimClock;
  /**
   * Open a BPF-output perf event on CPU i in slot i of every
   * perf_event_array, as a perf buffer reader would (default true). Without
   * it bpf_perf_event_output finds empty slots and returns -ENOENT, which is
   * what a bare BPF_PROG_TEST_RUN (and kbpf.py) sees.
   */
  attachPerfEvents?: boolean;
  /** the program type being run (bpf_redirect answers differently for XDP and tc) */
  progType?: ProgType;
  /** the simulated current task (pid, uid, comm) */
  task?: SimTask;
}

export class RuntimeSession {
  readonly maps: readonly BpfMap[];
  cpu: number;
  readonly clock: SimClock;
  readonly random: SeededRandom;
  /** records and lines of the current run; take them with takeRunOutput() */
  events: RunEvent[] = [];
  printk: string[] = [];
  /** the packet of the current run, for perf_event_output's BPF_F_CTXLEN_MASK */
  packet: Uint8Array | null = null;
  progType: ProgType | null;
  task: SimTask;
  /**
   * Tail-call targets: the fd-like number stored in a prog_array slot -> the
   * program. Fill it before runs (the CLI's --prog-array, an object's programs).
   */
  readonly programs = new Map<number, DecodedProgram>();

  constructor(maps: readonly BpfMap[], opts: SessionOptions = {}) {
    this.maps = maps;
    this.cpu = opts.cpu ?? 0;
    this.clock = opts.clock ?? new SimClock();
    this.random = new SeededRandom(opts.seed);
    this.progType = opts.progType ?? null;
    this.task = opts.task ?? DEFAULT_TASK;
    if (opts.attachPerfEvents ?? true) {
      for (const m of maps) if (m instanceof PerfEventArrayMap) m.attachPerCpu();
    }
  }

  /** Events and printk lines since the last call (one run's worth). */
  takeRunOutput(): { events: RunEvent[]; printk: string[] } {
    const out = { events: this.events, printk: this.printk };
    this.events = [];
    this.printk = [];
    return out;
  }
}
