/**
 * Tracing-flavoured helpers over the simulated task and machine (results
 * of the deterministic cases recorded from Linux 6.18 in
 * test-data/runtime/helper-runs.json):
 * get_cgroup_classid (17, every variant), perf_event_read (22),
 * perf_event_read_value (55), get_current_cgroup_id (80),
 * send_signal (109), send_signal_thread (117), get_ns_current_pid_tgid (120),
 * get_current_ancestor_cgroup_id (123), get_attach_cookie (174),
 * get_branch_snapshot (176), map_lookup_percpu_elem (195), ktime_get_tai_ns (208).
 *
 * What cannot be simulated stops the run with the reason instead of
 * pretending: there is no process to signal and no perf counter to read.
 */
import type { HelperContext, HelperFn } from '../../interp/index.ts';
import { E2BIG, EINVAL, ENOENT } from '../maps/errno.ts';
import type { MapMemory } from './map-memory.ts';
import { ROOT_CGROUP_ID } from './net-extra-helpers.ts';
import type { RuntimeSession } from './session.ts';
import { isFault, mapArg, num, readArg, ret } from './util.ts';

/** the simulated pid namespace (the initial one): st_dev and st_ino of /proc/self/ns/pid */
export const SIM_PIDNS_DEV = 4n;
export const SIM_PIDNS_INO = 0xeffffffcn;
/** sizeof(struct bpf_pidns_info) */
const PIDNS_INFO_SIZE = 8;
/** CLOCK_TAI at simulated boot: 2026-01-01T00:00:37 TAI, a fixed instant so runs repeat */
export const SIM_TAI_AT_BOOT_NS = 1_767_225_637_000_000_000n;
/** BPF_F_INDEX_MASK / BPF_F_CURRENT_CPU */
const INDEX_MASK = 0xffffffffn;
const CURRENT_CPU = 0xffffffffn;
/** _NSIG */
const MAX_SIGNAL = 64n;

export function traceExtraHelpers(session: RuntimeSession, mem: MapMemory): [number, HelperFn][] {
  /** the slot a perf_event_read names; every slot holds nothing readable here */
  const perfRead =
    (withValue: boolean): HelperFn =>
    (ctx) => {
      const m = mapArg(ctx, mem);
      if (isFault(m)) return m;
      const flags = ctx.arg(2);
      if ((flags & ~INDEX_MASK) !== 0n) return ret(-EINVAL);
      const index = flags === CURRENT_CPU ? BigInt(session.cpu) : flags;
      if (index >= BigInt(m.map.maxEntries)) return ret(-E2BIG);
      if (withValue) {
        const err = ctx.memory.write(ctx.arg(3), new Uint8Array(num(ctx.arg(4))));
        if (err) return { fault: `buf (R3): ${err}` };
      }
      return { fault: `${withValue ? 'bpf_perf_event_read_value' : 'bpf_perf_event_read'}: bpfiddle simulates no perf counters to read, so the run stops here` };
    };

  const signal =
    (name: string): HelperFn =>
    (ctx) => {
      const sig = ctx.arg(1) & 0xffffffffn;
      if (sig > MAX_SIGNAL) return ret(-EINVAL);
      // signal 0 only checks that the task could be signalled
      if (sig === 0n) return 0n;
      return { fault: `${name}(${sig}): the simulated task ${session.task.pid} is not a real process, so the run stops here instead of pretending the signal was sent` };
    };

  const nsPidTgid: HelperFn = (ctx) => {
    const size = num(ctx.arg(4) & 0xffffffffn);
    const out = new Uint8Array(size);
    const match = ctx.arg(1) === SIM_PIDNS_DEV && (ctx.arg(2) & 0xffffffffn) === SIM_PIDNS_INO && size === PIDNS_INFO_SIZE;
    if (match) {
      const v = new DataView(out.buffer);
      v.setUint32(0, session.task.pid, true);
      v.setUint32(4, session.task.tgid, true);
    }
    const err = ctx.memory.write(ctx.arg(3), out);
    if (err) return { fault: `nsdata (R3): ${err}` };
    return match ? 0n : ret(-EINVAL);
  };

  /** no branch records: no LBR hardware in the simulated machine */
  const branchSnapshot: HelperFn = (ctx) => (ctx.arg(3) !== 0n ? ret(-EINVAL) : ret(-ENOENT));

  const lookupPercpu: HelperFn = (ctx: HelperContext) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const key = readArg(ctx, 2, m.map.keySize, 'key');
    if (isFault(key)) return key;
    const cpu = ctx.arg(3) & 0xffffffffn;
    if (cpu >= BigInt(m.map.cpus)) return 0n;
    const v = m.map.lookup(key, Number(cpu));
    return v ? mem.valuePointer(m.index, v, true) : 0n;
  };

  return [
    [17, () => 0n], // no net_cls classid, for the skb variant as for the current task's
    [22, perfRead(false)],
    [55, perfRead(true)],
    [80, () => ROOT_CGROUP_ID],
    [109, signal('bpf_send_signal')],
    [117, signal('bpf_send_signal_thread')],
    [120, nsPidTgid],
    [123, (ctx) => (ctx.arg(1) === 0n ? ROOT_CGROUP_ID : 0n)],
    // simulated probes are attached without a cookie
    [174, () => 0n],
    [176, branchSnapshot],
    [195, lookupPercpu],
    [208, () => SIM_TAI_AT_BOOT_NS + session.clock.monotonic()],
  ];
}
