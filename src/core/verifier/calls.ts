/**
 * Helper calls (check_helper_call, check_func_arg, check_reg_type,
 * check_helper_mem_access, check_mem_size_reg,
 * check_map_func_compatibility, release_reference) and the return-value
 * rules at exit (check_return_code).
 */
import { helperById } from '../isa/helpers.ts';
import type { Insn } from '../isa/insn.ts';
import { BPF_F_RDONLY_PROG, MAP_TYPES } from '../program.ts';
import { Env, RegUse, checkRegArg, nextId, regs, reject, verbose } from './env.ts';
import { checkMemRegion, checkPtrOffReg, stackFrameOf } from './mem.ts';
import { ArgKind, HelperProto, exoticArgTypes, helperProtoFor } from './helper-protos.ts';
import { callRefusal, checkConstStr, checkFixedMem, forEachCallbackArgs, isNullableArg } from './helper-arg-rules.ts';
import { RegState, isScalarZero, markPointer, markUnknown, regTypeName, resetReg } from './reg.ts';
import { markStackRangeRead, stackMarkWritten } from './stack.ts';
import { forEachReg } from './branch.ts';
import { growStack } from './state.ts';
import { regBoundsSync } from './bounds.ts';
import { tnumIsConst, tnumToString } from './tnum.ts';
import { bpfLoopInlineState, markChainPrecision, markStackSlotPrecision } from './precision.ts';

const MAX_HELPER_ID = 212;
const BPF_MAX_VAR_SIZ = 1n << 29n;

/** compatible register types per argument kind, in the kernel's order (for "expected=" lists) */
const MEM_TYPES = ['fp', 'pkt', 'pkt_meta', 'map_key', 'map_value', 'mem', 'ringbuf_mem', 'buf', 'trusted_ptr_'];

function expectedTypes(kind: ArgKind): string[] {
  switch (kind) {
    case 'const_map_ptr':
      return ['map_ptr'];
    case 'ctx':
      return ['ctx'];
    case 'const_size':
    case 'const_size_or_zero':
    case 'alloc_size_or_zero':
      return ['scalar'];
    case 'ringbuf_mem_release':
      return ['ringbuf_mem'];
    case 'func':
      return ['func'];
    case 'stack_or_null':
      return ['fp'];
    case 'const_str':
      return ['map_value'];
    default:
      return exoticArgTypes(kind) ?? MEM_TYPES;
  }
}

const mayBeNullArg = (k: ArgKind): boolean => k === 'mem_rdonly_or_null' || isNullableArg(k);

/** check_reg_type: the register's kind must be one the argument accepts. */
function checkRegType(env: Env, regno: number, r: RegState, kind: ArgKind): void {
  const expected = expectedTypes(kind);
  const name = regTypeName({ ...r, maybeNull: mayBeNullArg(kind) ? false : r.maybeNull });
  if (!expected.includes(name) || (kind === 'ringbuf_mem_release' && r.maybeNull)) {
    reject(env, `R${regno} type=${regTypeName(r)} expected=${expected.join(', ')}`);
  }
}

interface CallMeta {
  mapIndex: number;
  /** the register and size of a MEM_UNINIT argument a helper will write */
  rawRegno: number;
  rawSize: number;
  memSize: number;
  refObjId: number;
  /** get_constant_map_key: the key's value when it is a known constant on the stack, else -1 */
  constMapKey: bigint;
}

/** check_helper_mem_access: `size` bytes at the pointer in regno must be accessible. */
function checkHelperMemAccess(env: Env, regno: number, size: number, write: boolean, zeroOk: boolean, meta: CallMeta | null, varSize = false): void {
  const r = regs(env)[regno];
  switch (r.type) {
    case 'pkt':
    case 'pkt_meta': {
      if (r.smin < 0n) reject(env, `R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
      const off = r.off;
      const ok = off >= 0 && (size > 0 || zeroOk) && off + size <= r.range;
      if (!ok) {
        reject(env, `invalid access to packet, off=${off} size=${size}, R${regno}(id=${r.id},off=${off},r=${r.range})`, `R${regno} offset is outside of the packet`);
      }
      return;
    }
    case 'map_key':
      if (write) reject(env, `R${regno} cannot write into ${regTypeName(r)}`);
      checkMemRegion(env, regno, r.off, size, env.maps[r.mapIndex]?.keySize ?? 0, false);
      return;
    case 'map_value':
      if (write && (env.maps[r.mapIndex]?.flags ?? 0) & BPF_F_RDONLY_PROG) reject(env, `write into map forbidden, value_size=${env.maps[r.mapIndex].valueSize} off=${r.off} size=${size}`);
      checkMemRegion(env, regno, r.off, size, env.maps[r.mapIndex]?.valueSize ?? 0, zeroOk);
      return;
    case 'mem':
      if (write && r.rdonly) reject(env, `R${regno} cannot write into ${regTypeName(r)}`);
      checkMemRegion(env, regno, r.off, size, r.memSize, zeroOk);
      return;
    case 'stack': {
      if (size === 0 && !zeroOk) reject(env, 'invalid zero-sized read');
      let min: number;
      let max: number;
      if (tnumIsConst(r.varOff)) {
        min = max = Number(BigInt.asIntN(64, r.varOff.value)) + r.off;
      } else {
        min = Number(r.smin) + r.off;
        max = Number(r.smax) + r.off;
      }
      if (min < -512 || max + size > 0 || (tnumIsConst(r.varOff) && size === 0 && false)) {
        const what = write ? ' write to' : ' read from';
        if (tnumIsConst(r.varOff)) reject(env, `invalid${what} stack R${regno} off=${r.off} size=${size}`);
        reject(env, `invalid variable-offset${what} stack R${regno} var_off=${tnumToString(r.varOff)} off=${r.off} size=${size}`);
      }
      const f = stackFrameOf(env, r);
      growStack(f, min);
      if (meta && write && tnumIsConst(r.varOff)) {
        meta.rawRegno = regno;
        meta.rawSize = size;
      } else if (write && !varSize) {
        stackMarkWritten(env, f, min, max - min + size);
      } else {
        // check_stack_range_initialized: the helper may read every byte (a variable-size write clobbers them too, unscratched)
        markStackRangeRead(env, f, min, max + size);
        if (write) stackMarkWritten(env, f, min, max - min + size, false);
      }
      return;
    }
    default:
      if (zeroOk && size === 0 && isScalarZero(r)) return;
      reject(env, `R${regno} type=${regTypeName(r)} expected=fp`);
  }
}

/** check_mem_size_reg: the size argument that bounds the preceding memory argument. */
function checkMemSizeReg(env: Env, regno: number, memKind: ArgKind, zeroOk: boolean, meta: CallMeta): void {
  const r = regs(env)[regno];
  if (r.smin < 0n) reject(env, `R${regno} min value is negative, either use unsigned or 'var &= const'`);
  if (r.umin === 0n && !zeroOk) reject(env, `R${regno} invalid zero-sized read: u64=[${r.umin},${r.umax}]`);
  if (r.umax >= BPF_MAX_VAR_SIZ) reject(env, `R${regno} unbounded memory access, use 'var &= const' or 'if (var < const)'`);
  const write = memKind === 'mem_uninit';
  checkHelperMemAccess(env, regno - 1, Number(r.umax), write, zeroOk, tnumIsConst(r.varOff) ? meta : null, !tnumIsConst(r.varOff));
  markChainPrecision(env, regno);
}

function mapTypeOf(env: Env, mapIndex: number): string | undefined {
  return env.maps[mapIndex]?.type;
}

/** check_func_arg for argument `i` (register R(i+1)). */
/** Helpers whose bpf_func_proto sets pkt_access: the only ones that may be handed packet pointers. */
const PKT_ACCESS_HELPERS = new Set([
  'bpf_map_lookup_elem', 'bpf_map_update_elem', 'bpf_map_delete_elem', 'bpf_map_push_elem', 'bpf_map_lookup_percpu_elem', 'bpf_csum_diff',
  'bpf_sk_lookup_tcp', 'bpf_sk_lookup_udp', 'bpf_skc_lookup_tcp', 'bpf_tcp_check_syncookie', 'bpf_tcp_gen_syncookie',
  'bpf_tcp_raw_gen_syncookie_ipv4', 'bpf_tcp_raw_gen_syncookie_ipv6', 'bpf_tcp_raw_check_syncookie_ipv4', 'bpf_tcp_raw_check_syncookie_ipv6',
]);

/** Program types with direct packet access (may_access_direct_pkt_data): there the helper's pkt_access decides. */
const DIRECT_PKT_TYPES = new Set(['sched_cls', 'sched_act', 'xdp', 'lwt_in', 'lwt_out', 'lwt_xmit', 'lwt_seg6local', 'sk_reuseport', 'flow_dissector', 'cgroup_skb', 'sk_skb', 'sk_msg']);

function checkFuncArg(env: Env, i: number, h: HelperProto, meta: CallMeta): void {
  const kind = h.args[i];
  const regno = i + 1;
  checkRegArg(env, regno, RegUse.SRC_OP);
  const r = regs(env)[regno];
  if (kind === 'anything') return;
  if ((r.type === 'pkt' || r.type === 'pkt_meta') && !(DIRECT_PKT_TYPES.has(env.progType) && PKT_ACCESS_HELPERS.has(h.name))) {
    reject(env, 'helper access to the packet is not allowed');
  }
  if (mayBeNullArg(kind) && isScalarZero(r)) {
    // NULL passes only because the scalar is exactly 0
    markChainPrecision(env, regno);
    if (isNullableArg(kind)) return;
  } else {
    checkRegType(env, regno, r, kind);
    if (kind === 'ringbuf_mem_release' && r.off) {
      reject(env, `R${regno} must have zero offset when passed to release func or trusted arg to kfunc`);
    }
    const offOk = ['stack', 'pkt', 'pkt_meta', 'map_key', 'map_value', 'mem', 'scalar'].includes(r.type);
    if (!offOk || kind === 'ringbuf_mem_release') checkPtrOffReg(env, r, regno, false);
  }
  switch (kind) {
    case 'const_map_ptr':
      meta.mapIndex = r.mapIndex;
      break;
    case 'map_key':
      if (meta.mapIndex < 0) reject(env, 'invalid map_ptr to access map->key');
      checkHelperMemAccess(env, regno, env.maps[meta.mapIndex]?.keySize ?? 0, false, false, null);
      // only array lookups use a constant key (can_elide_value_nullness), and only they mark it precise
      if (['array', 'percpu_array'].includes(mapTypeOf(env, meta.mapIndex) ?? '')) meta.constMapKey = constantMapKey(env, r, env.maps[meta.mapIndex]?.keySize ?? 0);
      break;
    case 'map_value':
      if (meta.mapIndex < 0) reject(env, 'invalid map_ptr to access map->value');
      checkHelperMemAccess(env, regno, env.maps[meta.mapIndex]?.valueSize ?? 0, false, false, null);
      break;
    case 'const_size':
      checkMemSizeReg(env, regno, h.args[i - 1], false, meta);
      break;
    case 'const_size_or_zero':
      checkMemSizeReg(env, regno, h.args[i - 1], true, meta);
      break;
    case 'alloc_size_or_zero':
      if (!tnumIsConst(r.varOff)) reject(env, `R${regno} is not a known constant'`);
      meta.memSize = Number(r.varOff.value);
      markChainPrecision(env, regno);
      break;
    case 'ringbuf_mem_release':
      meta.refObjId = r.refObjId;
      break;
    case 'const_str':
      checkConstStr(env, regno, r);
      break;
    case 'fixed_mem':
    case 'fixed_mem_uninit':
      checkFixedMem(env, regno, h.fixedSize?.[i] ?? 0, kind === 'fixed_mem_uninit', (rn, size, write) => checkHelperMemAccess(env, rn, size, write, false, null));
      break;
    default:
      break;
  }
}

/** check_map_func_compatibility (the subset for the helpers modelled here). */
function checkMapFuncCompat(env: Env, h: HelperProto, mapIndex: number): void {
  if (mapIndex < 0) return;
  const type = mapTypeOf(env, mapIndex);
  if (!type) return;
  const typeNo = MAP_TYPES.indexOf(type as (typeof MAP_TYPES)[number]) + 1;
  if (h.name === 'bpf_tail_call' && type !== 'prog_array') reject(env, 'expected prog array map for tail call');
  const bad = (): never => reject(env, `cannot pass map_type ${typeNo} into func ${h.name}#${h.id}`);
  if (h.mapTypes && !h.mapTypes.includes(type as never)) bad();
  // map types that only some helpers may touch
  const only: Record<string, string[]> = {
    prog_array: ['bpf_tail_call'],
    perf_event_array: ['bpf_perf_event_output', 'bpf_perf_event_read', 'bpf_perf_event_read_value', 'bpf_skb_output', 'bpf_xdp_output'],
    ringbuf: ['bpf_ringbuf_output', 'bpf_ringbuf_reserve', 'bpf_ringbuf_query', 'bpf_ringbuf_reserve_dynptr'],
    stack_trace: ['bpf_get_stackid'],
    devmap: ['bpf_redirect_map', 'bpf_map_lookup_elem'],
    devmap_hash: ['bpf_redirect_map', 'bpf_map_lookup_elem'],
    cpumap: ['bpf_redirect_map'],
    xskmap: ['bpf_redirect_map', 'bpf_map_lookup_elem'],
    queue: ['bpf_map_peek_elem', 'bpf_map_pop_elem', 'bpf_map_push_elem'],
    stack: ['bpf_map_peek_elem', 'bpf_map_pop_elem', 'bpf_map_push_elem'],
  };
  const allowed = only[type];
  if (allowed && !allowed.includes(h.name)) bad();
}

export interface CallOutcome {
  /** bpf_tail_call and exit-like helpers still fall through */
  next: number;
}

/** check_helper_call */
export function checkHelperCall(
  env: Env,
  ins: Insn,
  idx: number,
  license: string,
  pushCallback: (subprogStart: number, callbackArg: RegState, setupArgs?: (regs: RegState[]) => void) => void,
): void {
  const id = ins.imm;
  if (id < 0 || id >= MAX_HELPER_ID) reject(env, `invalid func unknown#${id}`);
  const h = helperProtoFor(id, env.progType);
  const name = helperById(id)?.name ?? 'unknown';
  if (!h) reject(env, `program of this type cannot use helper ${name}#${id}`);
  if (h.gplOnly && !isGpl(license)) reject(env, 'cannot call GPL-restricted function from non-GPL compatible program');
  if (h.sleepable) reject(env, 'helper call might sleep in a non-sleepable prog');
  const meta: CallMeta = { mapIndex: -1, rawRegno: -1, rawSize: 0, memSize: 0, refObjId: 0, constMapKey: -1n };
  for (let i = 0; i < 5; i++) {
    if (i < h.args.length) checkFuncArg(env, i, h, meta);
  }
  // push_callback_call's map check comes before check_map_func_compatibility
  const forEachSetup = h.name === 'bpf_for_each_map_elem' ? forEachCallbackArgs(env, meta.mapIndex, regs(env)[3]) : undefined;
  checkMapFuncCompat(env, h, meta.mapIndex);
  const refusal = callRefusal(env, h);
  if (refusal) reject(env, refusal);
  if (meta.rawRegno >= 0) {
    const r = regs(env)[meta.rawRegno];
    stackMarkWritten(env, stackFrameOf(env, r), Number(BigInt.asIntN(64, r.varOff.value)) + r.off, meta.rawSize);
  }
  if (meta.refObjId) releaseReference(env, meta.refObjId);
  recordTailCallKey(env, h, meta.mapIndex);
  if (h.name === 'bpf_loop') {
    const fn = regs(env)[2];
    if (fn.type === 'func') {
      bpfLoopInlineState(env, env.insnIdx, fn.subprog);
      // the iteration count decides when the callback loop ends
      markChainPrecision(env, 1);
      const caller = env.cur.frames[env.cur.frames.length - 1];
      if (BigInt(caller.callbackDepth) < regs(env)[1].umax) {
        pushCallback(fn.subprog, { ...regs(env)[3] });
      } else {
        caller.callbackDepth = 0;
        if (env.logLevel === 2) verbose(env, `frame${env.cur.frames.length - 1} bpf_loop iteration limit reached\n`);
      }
    }
  }
  if (h.name === 'bpf_for_each_map_elem') {
    const fn = regs(env)[2];
    if (fn.type === 'func') pushCallback(fn.subprog, { ...regs(env)[3] }, forEachSetup);
  }
  const rs = regs(env);
  for (let r = 0; r <= 5; r++) {
    resetReg(rs[r]);
    checkRegArg(env, r, RegUse.DST_OP_NO_MARK);
  }
  const r0 = rs[0];
  switch (h.ret) {
    case 'integer':
      markUnknown(r0);
      refineRetvalRange(env, h, r0);
      break;
    case 'void':
      break;
    case 'map_value_or_null':
      markPointer(r0, 'map_value');
      r0.mapIndex = meta.mapIndex;
      r0.maybeNull = !elideNullness(env, h, meta);
      if (r0.maybeNull) r0.id = nextId(env);
      break;
    case 'ringbuf_mem_or_null':
      markPointer(r0, 'mem');
      r0.ringbuf = true;
      r0.maybeNull = true;
      r0.memSize = meta.memSize;
      r0.id = nextId(env);
      break;
  }
  if (h.acquire) {
    // acquire_reference: the reference gets an id of its own, which the pointer takes over as its NULL-check id too
    const refId = nextId(env);
    r0.id = refId;
    r0.refObjId = refId;
    env.cur.refs.push(refId);
    env.refInsns.set(refId, idx);
  }
}

/** record_func_key: a constant in-range tail-call index lets the kernel patch a direct jump, so it must stay exact. */
function recordTailCallKey(env: Env, h: HelperProto, mapIndex: number): void {
  if (h.name !== 'bpf_tail_call' || mapTypeOf(env, mapIndex) !== 'prog_array') return;
  const r3 = regs(env)[3];
  if (r3.type !== 'scalar' || !tnumIsConst(r3.varOff)) return;
  if (r3.varOff.value >= BigInt(env.maps[mapIndex]?.maxEntries ?? 0)) return;
  markChainPrecision(env, 3);
}

/**
 * get_constant_map_key: a key on the stack that is all STACK_ZERO bytes or a
 * constant scalar spilled with exactly the key's size.
 */
function constantMapKey(env: Env, key: RegState, keySize: number): bigint {
  if (key.type !== 'stack' || !tnumIsConst(key.varOff)) return -1n;
  const stackOff = key.off + Number(BigInt.asIntN(64, key.varOff.value));
  const slot = -stackOff - 1;
  const spi = Math.floor(slot / 8);
  const off = slot % 8;
  const s = stackFrameOf(env, key).stack[spi];
  if (!s || slot < 0) return -1n;
  let zeros = 0;
  for (let i = off; i >= 0 && s.types[i] === 3; i--) zeros++;
  if (zeros >= keySize) return 0n;
  if (s.types[7] !== 1 || s.spilled.type !== 'scalar') return -1n;
  let spill = 0;
  for (let i = off; i >= 0 && s.types[i] === 1; i--) spill++;
  if (spill !== keySize || !tnumIsConst(s.spilled.varOff)) return -1n;
  markStackSlotPrecision(env, key.frameno, spi);
  return s.spilled.varOff.value;
}

/** can_elide_value_nullness: array lookups with a constant in-range key cannot fail. */
function elideNullness(env: Env, h: HelperProto, meta: CallMeta): boolean {
  if (h.name !== 'bpf_map_lookup_elem') return false;
  const m = env.maps[meta.mapIndex];
  if (!m || (m.type !== 'array' && m.type !== 'percpu_array')) return false;
  return meta.constMapKey >= 0n && meta.constMapKey < BigInt(m.maxEntries);
}

/** do_refine_retval_range: helpers whose integer result has known bounds. */
function refineRetvalRange(env: Env, h: HelperProto, r0: RegState): void {
  if (h.name === 'bpf_get_smp_processor_id') {
    const top = BigInt(env.nrCpus - 1);
    r0.umin = r0.u32min = r0.smin = r0.s32min = 0n;
    r0.umax = r0.u32max = r0.smax = r0.s32max = top;
    regBoundsSync(r0);
  }
}

/** release_reference: drop the reference and invalidate every copy of the pointer. */
function releaseReference(env: Env, refObjId: number): void {
  if (!env.cur.refs.includes(refObjId)) reject(env, `release reference id=${refObjId} not found`);
  env.cur.refs = env.cur.refs.filter((x) => x !== refObjId);
  forEachReg(env.cur, (r) => {
    if (r.refObjId === refObjId) markUnknown(r);
  });
}

function isGpl(license: string): boolean {
  return ['GPL', 'GPL v2', 'GPL and additional rights', 'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL'].includes(license);
}
