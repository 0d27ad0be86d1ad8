/**
 * Helpers the verifier knows (a program may call them) but the simulated
 * machine cannot honestly answer: tunnels, routing tables, cgroup maps,
 * SYN cookies (kernel secrets), sockets, BTF objects, timers, dynptrs.
 * A call stops the run with the reason — never a made-up success.
 */
import type { HelperFn } from '../../interp/index.ts';
import { helperById } from '../../isa/helpers.ts';

const TUNNEL = 'the simulation keeps no tunnel metadata for the packet';
const ROUTES = 'the simulated machine has no routing tables or devices besides lo';
const CGROUP_MAP = 'cgroup arrays cannot hold cgroups in the simulation';
const COOKIE = 'SYN cookies depend on the kernel secret keys';
const SOCKETS = 'there are no kernel sockets in the simulation';
const BTF = 'BTF-typed kernel objects are not simulated';
const TIMER = 'timers are not simulated';
const DYNPTR = 'dynptrs are not simulated';
const SLEEP = 'sleepable helpers cannot run in these program types';

const REASONS: [number, string][] = [
  [21, TUNNEL], // skb_set_tunnel_key
  [33, CGROUP_MAP], // skb_under_cgroup
  [37, CGROUP_MAP], // current_task_under_cgroup
  [69, ROUTES], // fib_lookup
  [204, COOKIE],
  [205, COOKIE],
  [206, COOKIE],
  [207, COOKIE],
  [100, COOKIE], // tcp_check_syncookie
  [110, COOKIE], // tcp_gen_syncookie
  [84, SOCKETS],
  [85, SOCKETS],
  [86, SOCKETS],
  [95, SOCKETS],
  [96, SOCKETS],
  [98, SOCKETS],
  [99, SOCKETS],
  [107, SOCKETS],
  [108, SOCKETS],
  [124, SOCKETS],
  [136, SOCKETS],
  [137, SOCKETS],
  [138, SOCKETS],
  [139, SOCKETS],
  [140, SOCKETS],
  [178, SOCKETS],
  [196, SOCKETS],
  [93, BTF], // spin_lock
  [94, BTF],
  [141, BTF],
  [149, BTF],
  [153, BTF],
  [154, BTF],
  [156, BTF],
  [157, BTF],
  [158, BTF],
  [175, BTF],
  [180, BTF],
  [194, BTF],
  [210, BTF],
  [211, BTF],
  [169, TIMER],
  [170, TIMER],
  [171, TIMER],
  [172, TIMER],
  [197, DYNPTR],
  [198, DYNPTR],
  [199, DYNPTR],
  [200, DYNPTR],
  [201, DYNPTR],
  [202, DYNPTR],
  [203, DYNPTR],
  [209, DYNPTR], // user_ringbuf_drain hands the callback dynptrs
  [148, SLEEP], // copy_from_user
  [191, SLEEP], // copy_from_user_task
];

export function unsimulatedHelpers(): [number, HelperFn][] {
  return REASONS.map(([id, why]): [number, HelperFn] => {
    const name = helperById(id)?.name ?? `helper#${id}`;
    return [id, () => ({ fault: `${name}#${id} cannot be simulated (${why}); the run stops here` })];
  });
}

/** Ids this family answers (only by stopping the run). */
export const UNSIMULATED_HELPER_IDS: readonly number[] = REASONS.map(([id]) => id);
