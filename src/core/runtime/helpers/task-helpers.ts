/**
 * Helpers about "current" and raw memory reads, over a simulated task and the
 * run's memory regions:
 * probe_read (4), get_current_task (35), get_current_pid_tgid (14),
 * get_current_uid_gid (15), get_current_comm (16), get_numa_node_id (42),
 * probe_read_str (45), probe_read_user (112), probe_read_kernel (113),
 * probe_read_user_str (114), probe_read_kernel_str (115), jiffies64 (118),
 * ktime_get_coarse_ns (160), and the tracing helpers that walk a stack or
 * the probe site: get_stackid (27), get_stack (67), get_func_ip (173).
 * A simulated event has no call chain, so the stack helpers answer as the
 * kernel does when it cannot take one: -EFAULT (get_stack clears its buffer).
 *
 * Probe reads never fault the program. The run's regions (stack, ctx, maps,
 * packet) stand for kernel memory. Any other address is judged as x86-64
 * Linux 6.18 judges it: the _kernel variants refuse user-space addresses and
 * the vsyscall page with -ERANGE (copy_from_kernel_nofault_allowed) and give
 * -EFAULT above them (measured: non-canonical addresses fault too); the _user variants give
 * -EFAULT (no user memory is simulated, and kernel memory fails access_ok);
 * the old probe_read/probe_read_str pick the user or kernel path by
 * comparing the address with TASK_SIZE. Failed reads zero the destination.
 */
import type { HelperContext, HelperFn } from '../../interp/index.ts';
import { REGION_TAG_BASE, OFFSET_BIAS } from '../../interp/index.ts';
import { u64Hi, u64Lo } from '../../num/int64.ts';
import { EFAULT, EINVAL, ERANGE } from '../maps/errno.ts';
import type { RuntimeSession } from './session.ts';
import { num, ret } from './util.ts';

/** The task a program "runs in" (the kernel's test run: the calling process). */
export interface SimTask {
  pid: number;
  tgid: number;
  uid: number;
  gid: number;
  /** TASK_COMM_LEN = 16 bytes including the NUL */
  comm: string;
}

export const DEFAULT_TASK: SimTask = { pid: 4242, tgid: 4242, uid: 0, gid: 0, comm: 'bpfiddle' };
const TASK_COMM_LEN = 16;
/** what get_current_task returns: an opaque kernel address (reads through it give -EFAULT) */
const SIM_TASK_ADDRESS = 0xffff888000a00000n;
const HZ = 250n;

/** The readable bytes at a pointer: up to `max` of them, or null when the address maps nothing. */
function readable(ctx: HelperContext, ptr: bigint, max: number): Uint8Array | null {
  const region = ctx.memory.region((u64Hi(ptr) - REGION_TAG_BASE) >>> 0);
  if (!region || region.ctx) return null;
  const off = u64Lo(ptr) ^ OFFSET_BIAS;
  if (off < region.start || off >= region.end) return null;
  return region.bytes.subarray(off, Math.min(region.end, off + max));
}

/** x86-64 with 4-level paging */
const TASK_SIZE_MAX = 0x7ffffffff000n;
const VSYSCALL_PAGE = 0xffffffffff600000n;

type ProbeSpace = 'kernel' | 'user' | 'compat';

/**
 * Why a read at `ptr` outside the run's regions fails: -ERANGE where
 * copy_from_kernel_nofault_allowed says no, else -EFAULT.
 */
function unreadableErrno(space: ProbeSpace, ptr: bigint): number {
  const kernelPath = space === 'kernel' || (space === 'compat' && ptr >= TASK_SIZE_MAX);
  if (!kernelPath) return -EFAULT;
  const allowed = ptr >= TASK_SIZE_MAX + 4096n && (ptr & ~0xfffn) !== VSYSCALL_PAGE;
  return allowed ? -EFAULT : -ERANGE;
}

/** The bytes a probe read in `space` may copy from `ptr`, or the errno it fails with. */
function probeSource(ctx: HelperContext, space: ProbeSpace, ptr: bigint, size: number): Uint8Array | number {
  const src = readable(ctx, ptr, size);
  // the run's regions are kernel memory, which access_ok refuses to the _user variants
  if (src && space === 'user') return -EFAULT;
  return src ?? unreadableErrno(space, ptr);
}

export function taskHelpers(session: RuntimeSession): [number, HelperFn][] {
  const task = (): SimTask => session.task;

  /** probe_read{,_kernel,_user}(dst, size, unsafe_ptr) */
  const probeRead = (space: ProbeSpace): HelperFn => (ctx) => {
    const size = num(ctx.arg(2));
    const src = probeSource(ctx, space, ctx.arg(3), size);
    const rc = typeof src === 'number' ? src : src.length === size ? 0 : -EFAULT;
    const out = rc === 0 && typeof src !== 'number' ? src.slice() : new Uint8Array(size);
    const err = ctx.memory.write(ctx.arg(1), out);
    if (err) return { fault: `dst (R1): ${err}` };
    return ret(rc);
  };

  /** probe_read{,_kernel,_user}_str: copy up to size-1 bytes and a NUL; the length with the NUL. */
  const probeReadStr = (space: ProbeSpace): HelperFn => (ctx) => {
    const size = num(ctx.arg(2));
    if (size === 0) return 0n;
    const found = probeSource(ctx, space, ctx.arg(3), size);
    const src = typeof found === 'number' ? null : found;
    const out = new Uint8Array(size);
    let rc: number;
    const nul = src ? src.subarray(0, size - 1).indexOf(0) : -1;
    if (src && nul >= 0) {
      out.set(src.subarray(0, nul));
      rc = nul + 1;
    } else if (src && src.length >= size - 1) {
      out.set(src.subarray(0, size - 1));
      rc = size;
    } else {
      // refused, or ran off mapped memory before a NUL: the kernel clears the whole buffer
      rc = typeof found === 'number' ? found : -EFAULT;
    }
    const err = ctx.memory.write(ctx.arg(1), rc < 0 ? new Uint8Array(size) : out.subarray(0, rc));
    if (err) return { fault: `dst (R1): ${err}` };
    return ret(rc);
  };

  const comm: HelperFn = (ctx) => {
    const size = num(ctx.arg(2));
    const out = new Uint8Array(size);
    const name = new TextEncoder().encode(task().comm).subarray(0, TASK_COMM_LEN - 1);
    // strscpy_pad semantics: truncate to size-1, NUL-pad the rest
    if (size > 0) out.set(name.subarray(0, size - 1));
    const err = ctx.memory.write(ctx.arg(1), out);
    if (err) return { fault: `buf (R1): ${err}` };
    return 0n;
  };

  const getStack: HelperFn = (ctx) => {
    const size = num(ctx.arg(3));
    const flags = ctx.arg(4);
    // BPF_F_SKIP_FIELD_MASK | BPF_F_USER_STACK | BPF_F_USER_BUILD_ID
    if ((flags & ~0xffn & ~(1n << 8n) & ~(1n << 11n)) !== 0n) return ret(-EINVAL);
    const err = ctx.memory.write(ctx.arg(2), new Uint8Array(size));
    if (err) return { fault: `buf (R2): ${err}` };
    return ret(-EFAULT);
  };

  /** kprobe: the probed address, which a simulated pt_regs carries in ip (offset 128). */
  const funcIp: HelperFn = (ctx) => {
    const region = ctx.memory.region((u64Hi(ctx.arg(1)) - REGION_TAG_BASE) >>> 0);
    if (!region || region.bytes.length < 136) return 0n;
    return new DataView(region.bytes.buffer, region.bytes.byteOffset, region.bytes.byteLength).getBigUint64(128, true);
  };

  return [
    [4, probeRead('compat')],
    [27, () => ret(-EFAULT)],
    [67, getStack],
    [173, funcIp],
    [14, () => (BigInt(task().tgid) << 32n) | BigInt(task().pid)],
    [15, () => (BigInt(task().gid) << 32n) | BigInt(task().uid)],
    [16, comm],
    [35, () => SIM_TASK_ADDRESS],
    [42, () => 0n],
    [45, probeReadStr('compat')],
    [112, probeRead('user')],
    [113, probeRead('kernel')],
    [114, probeReadStr('user')],
    [115, probeReadStr('kernel')],
    [118, () => 4294667296n + (session.clock.monotonic() * HZ) / 1_000_000_000n],
    [160, () => session.clock.monotonic()],
  ];
}
