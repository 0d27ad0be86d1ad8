/**
 * Argument rules of the helpers added after the core set, kept out of
 * calls.ts: constant strings (check_reg_const_str), fixed-size buffers,
 * the callback state of bpf_for_each_map_elem (map_set_for_each_callback_args),
 * and the refusals that come after the arguments passed (check_get_func_ip,
 * helpers bpfiddle does not model).
 */
import { BPF_F_RDONLY_PROG, PROG_TYPES } from '../program.ts';
import { Env, reject } from './env.ts';
import type { ArgKind, HelperProto } from './helper-proto-kinds.ts';
import { RegState, copyReg, markPointer, notInitReg } from './reg.ts';
import { tnumIsConst } from './tnum.ts';
import { checkMemRegion } from './mem.ts';
import { formatPrintk } from '../runtime/helpers/printk.ts';


/** Arguments that accept a NULL (scalar zero) and then need no further check. */
export function isNullableArg(kind: ArgKind): boolean {
  return kind === 'stack_or_null' || kind === 'ctx_or_null' || kind === 'map_value_or_null' || kind === 'btf_id_or_null';
}

/**
 * check_reg_const_str: a string the verifier can read now — in a frozen
 * read-only single-element array, at a constant offset, NUL-terminated
 * within the value. `r` already passed the map_value type check.
 */
export function checkConstStr(env: Env, regno: number, r: RegState): void {
  const m = env.maps[r.mapIndex];
  if (!m) return;
  if (!(m.flags & BPF_F_RDONLY_PROG) || !m.frozen) reject(env, `R${regno} does not point to a readonly map'`);
  if (!tnumIsConst(r.varOff)) reject(env, `R${regno} is not a constant address'`);
  // only arrays give the verifier a direct address of their value
  if (m.type !== 'array') reject(env, 'no direct value access support for this map type');
  checkMemRegion(env, regno, r.off, m.valueSize - r.off, m.valueSize, false);
  const mapOff = r.off + Number(BigInt.asIntN(64, r.varOff.value));
  if (m.maxEntries !== 1 || mapOff >= m.valueSize) reject(env, 'direct value access on string failed');
  const value = m.init?.find((e) => e.key.every((b) => b === 0))?.value;
  // a value never written is all zeros: the NUL is right there
  const terminated = !value || value.subarray(mapOff, m.valueSize).some((b) => b === 0) || value.length < m.valueSize;
  if (!terminated) reject(env, 'string is not zero-terminated');
}

/** ARG_PTR_TO_FIXED_SIZE_MEM: `size` bytes at the pointer, written when the helper fills them. */
export function checkFixedMem(env: Env, regno: number, size: number, write: boolean, access: (regno: number, size: number, write: boolean) => void): void {
  if (size <= 0) reject(env, `R${regno} helper argument has no size`);
  access(regno, size, write);
}

/** Map types with map_for_each_callback in Linux 6.18. */
const FOR_EACH_MAPS = new Set(['array', 'percpu_array', 'hash', 'percpu_hash', 'lru_hash', 'lru_percpu_hash']);

/**
 * set_map_elem_callback_state: the callback of bpf_for_each_map_elem gets
 * R1 = the map, R2 = a pointer to the key, R3 = a pointer to the value,
 * R4 = the caller's callback_ctx (R3); R5 is unused.
 */
export function forEachCallbackArgs(env: Env, mapIndex: number, callbackCtx: RegState): (regs: RegState[]) => void {
  const m = env.maps[mapIndex];
  if (!m || !FOR_EACH_MAPS.has(m.type)) reject(env, 'callback function not allowed for map');
  const ctx = copyReg(callbackCtx);
  return (rs) => {
    markPointer(rs[1], 'map_ptr');
    rs[1].mapIndex = mapIndex;
    markPointer(rs[2], 'map_key');
    rs[2].mapIndex = mapIndex;
    markPointer(rs[3], 'map_value');
    rs[3].mapIndex = mapIndex;
    rs[4] = ctx;
    rs[5] = notInitReg();
  };
}

/** Refusals that follow the argument checks, or null when the call goes on. */
export function callRefusal(env: Env, h: HelperProto): string | null {
  if (h.name === 'bpf_get_func_ip' && env.progType !== 'kprobe') {
    return `func ${h.name}#${h.id} not supported for program type ${PROG_TYPES.indexOf(env.progType) + 1}`;
  }
  if (h.name === 'bpf_snprintf') return snprintfRefusal(env);
  if (h.unmodelled) return `bpfiddle cannot verify a call to ${h.name}#${h.id}: ${h.unmodelled}`;
  return null;
}

/**
 * check_bpf_snprintf_call: the constant format must suit the number of
 * u64 arguments in data (R5 / 8). A length that is not a multiple of 8 is
 * refused without a message of its own: the kernel's last log line is then
 * the call instruction, which is repeated here as the error line.
 */
function snprintfRefusal(env: Env): string | null {
  const rs = env.cur.frames[env.cur.frames.length - 1]!.regs;
  const fmt = rs[3]!;
  const dataLen = Number(rs[5]!.varOff.value & 0xffffffffn);
  if (dataLen % 8 !== 0) return `${env.insnIdx}: (85) call bpf_snprintf#165`;
  const m = env.maps[fmt.mapIndex];
  if (!m) return null;
  const off = fmt.off + Number(BigInt.asIntN(64, fmt.varOff.value));
  const value = m.init?.find((e) => e.key.every((b) => b === 0))?.value ?? new Uint8Array(m.valueSize);
  const bytes = value.subarray(off, m.valueSize);
  const checked = formatPrintk(bytes, new Array<bigint>(dataLen / 8).fill(0n), () => null);
  return checked.ok ? null : 'Invalid format string';
}
