/**
 * BPF_MAP_TYPE_PERF_EVENT_ARRAY (kernel/bpf/arraymap.c + kernel/trace/bpf_trace.c):
 * each slot holds a perf event opened on some CPU; bpf_perf_event_output
 * appends a raw sample to the event of the selected slot. In the simulation a
 * slot is filled by `attach(index, cpu)` (what a perf buffer reader does with
 * perf_event_open + map update), and the samples are kept per slot.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, arrayNextKey, type MapDump } from './map.ts';
import { E2BIG, EBADF, EINVAL, ENOENT, ENOTSUPP, EOPNOTSUPP } from './errno.ts';
import { BPF_ANY, BPF_F_CURRENT_CPU } from './flags.ts';
import { readU32 } from './bytes.ts';
import type { MapEnv } from './env.ts';

export interface PerfSample {
  /** the slot the sample went to */
  index: number;
  cpu: number;
  data: Uint8Array;
}

export class PerfEventArrayMap extends BaseMap {
  /** per slot: the CPU its event is bound to */
  private readonly events: (number | undefined)[];
  private readonly env: MapEnv;
  /** every sample in output order */
  readonly samples: PerfSample[] = [];

  constructor(spec: MapSpec, env: MapEnv) {
    super(spec, env.cpus);
    this.env = env;
    this.events = new Array(spec.maxEntries);
  }

  /** Open a BPF-output perf event on `cpu` and put it in slot `index` (false when out of range). */
  attach(index: number, cpu: number): boolean {
    if (index >= this.maxEntries) return false;
    this.events[index] = cpu;
    return true;
  }

  /** The usual reader setup: slot i gets an event on CPU i, for every CPU. */
  attachPerCpu(): void {
    for (let c = 0; c < Math.min(this.cpus, this.maxEntries); c++) this.attach(c, c);
  }

  /**
   * bpf_perf_event_output: `flags` low 32 bits pick the slot
   * (0xffffffff = the current CPU's), any higher bit is EINVAL here (the skb
   * variant's BPF_F_CTXLEN_MASK is the caller's business to strip first).
   */
  output(flagsLow: number, flagsHigh: number, data: Uint8Array, cpu: number): number {
    if (flagsHigh !== 0) return -EINVAL;
    const index = flagsLow >>> 0 === BPF_F_CURRENT_CPU ? cpu : flagsLow >>> 0;
    if (index >= this.maxEntries) return -E2BIG;
    const eventCpu = this.events[index];
    if (eventCpu === undefined) return -ENOENT;
    if (eventCpu !== cpu) return -EOPNOTSUPP;
    this.samples.push({ index, cpu, data: data.slice() });
    return 0;
  }

  /** Samples since the last drain, oldest first. */
  drain(): PerfSample[] {
    return this.samples.splice(0, this.samples.length);
  }

  /** A map update stores a perf event fd: the session decides which fds are events. */
  override update(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -EINVAL;
    const i = readU32(key);
    if (i >= this.maxEntries) return -E2BIG;
    const fd = readU32(value);
    const ok = this.env.checkFd ? this.env.checkFd(this, 'perf_event', fd) : -EBADF;
    if (ok < 0) return ok;
    this.events[i] = fd % this.cpus;
    return 0;
  }

  override delete(key: Uint8Array): number {
    const i = readU32(key);
    if (i >= this.maxEntries) return -E2BIG;
    if (this.events[i] === undefined) return -ENOENT;
    this.events[i] = undefined;
    return 0;
  }

  override sysLookup(_key: Uint8Array): Uint8Array | number {
    return -ENOTSUPP;
  }

  override getNextKey(key: Uint8Array | null): Uint8Array | number {
    return arrayNextKey(key, this.maxEntries);
  }

  override dump(): MapDump {
    return { kind: 'skipped', reason: 'not dumpable' };
  }
}
