/**
 * Context layouts per program type: which (offset, size) reads and writes of
 * the ctx pointer are valid and what they load — the *_is_valid_access
 * callbacks (xdp_is_valid_access, sk_filter_is_valid_access,
 * tc_cls_act_is_valid_access, bpf_skb_is_valid_access,
 * kprobe_prog_is_valid_access, tp_prog_is_valid_access,
 * raw_tp_prog_is_valid_access).
 */
import type { ProgType } from '../program.ts';
import type { RegType } from './reg.ts';

export interface CtxAccess {
  /** what the load produces: a scalar or a pointer kind */
  result: RegType;
  /** a pointer that may be NULL (PTR_MAYBE_NULL): it gets an id for the NULL check */
  maybeNull?: boolean;
}

const XDP_MD_SIZE = 24;
const SK_BUFF_SIZE = 192;
const PT_REGS_SIZE = 168; // x86-64 struct pt_regs: 21 u64
const PERF_MAX_TRACE_SIZE = 8192;
const MAX_BPF_FUNC_ARGS = 12;

/** __sk_buff field offsets (include/uapi/linux/bpf.h). */
const SKB = {
  len: 0,
  mark: 8,
  queueMapping: 12,
  priority: 32,
  tcIndex: 44,
  cb0: 48,
  cbEnd: 68,
  tcClassid: 72,
  data: 76,
  dataEnd: 80,
  family: 88,
  localPortEnd: 140,
  dataMeta: 140,
  flowKeys: 144,
  tstamp: 152,
  wireLen: 160,
  sk: 168,
  tstampType: 180,
  hwtstamp: 184,
} as const;

/** bpf_ctx_narrow_access_ok for a 4-byte field */
function narrowOk(off: number, size: number, sizeDefault: number): boolean {
  return size <= sizeDefault && (off & (sizeDefault - 1)) + size <= sizeDefault;
}

/** Start offset of the __sk_buff field containing byte `off` for 4-byte fields. */
const inRange = (off: number, start: number, end: number): boolean => off >= start && off < end;

function skbCommon(off: number, size: number, write: boolean): CtxAccess | null {
  if (off < 0 || off >= SK_BUFF_SIZE) return null;
  if (off % size !== 0) return null;
  if (inRange(off, SKB.cb0, SKB.cbEnd)) {
    if (off + size > SKB.cbEnd) return null;
    return { result: 'scalar' };
  }
  if (inRange(off, SKB.data, SKB.data + 4) || inRange(off, SKB.dataEnd, SKB.dataEnd + 4) || inRange(off, SKB.dataMeta, SKB.dataMeta + 4)) {
    if (size !== 4) return null;
    return { result: 'scalar' };
  }
  if (inRange(off, SKB.flowKeys, SKB.flowKeys + 8)) return null;
  if (inRange(off, SKB.tstamp, SKB.tstamp + 8) || inRange(off, SKB.hwtstamp, SKB.hwtstamp + 8)) {
    if (size !== 8) return null;
    if (off === SKB.hwtstamp && write) return null;
    return { result: 'scalar' };
  }
  // read-only, 8 bytes: PTR_TO_SOCK_COMMON_OR_NULL (reads through it are not modelled: see mem.ts)
  if (inRange(off, SKB.sk, SKB.sk + 8)) return !write && size === 8 ? { result: 'sock_common', maybeNull: true } : null;
  if (inRange(off, SKB.tstampType, SKB.hwtstamp)) return null;
  if (write) {
    if (size !== 4) return null;
  } else if (!narrowOk(off, size, 4)) {
    return null;
  }
  return { result: 'scalar' };
}

function socketFilter(off: number, size: number, write: boolean): CtxAccess | null {
  if (
    inRange(off, SKB.tcClassid, SKB.tcClassid + 4) ||
    inRange(off, SKB.data, SKB.data + 4) ||
    inRange(off, SKB.dataMeta, SKB.dataMeta + 4) ||
    inRange(off, SKB.dataEnd, SKB.dataEnd + 4) ||
    inRange(off, SKB.family, SKB.localPortEnd) ||
    inRange(off, SKB.tstamp, SKB.tstamp + 8) ||
    inRange(off, SKB.wireLen, SKB.wireLen + 4) ||
    inRange(off, SKB.hwtstamp, SKB.hwtstamp + 8)
  ) {
    return null;
  }
  if (write && !inRange(off, SKB.cb0, SKB.cbEnd)) return null;
  return skbCommon(off, size, write);
}

function schedCls(off: number, size: number, write: boolean): CtxAccess | null {
  if (write) {
    const ok =
      inRange(off, SKB.mark, SKB.mark + 4) ||
      inRange(off, SKB.tcIndex, SKB.tcIndex + 4) ||
      inRange(off, SKB.priority, SKB.priority + 4) ||
      inRange(off, SKB.cb0, SKB.cbEnd) ||
      inRange(off, SKB.tstamp, SKB.tstamp + 8) ||
      inRange(off, SKB.queueMapping, SKB.queueMapping + 4);
    if (!ok) return null;
  }
  if (inRange(off, SKB.family, SKB.localPortEnd)) return null;
  const common = skbCommon(off, size, write);
  if (!common) return null;
  if (off === SKB.data) return { result: 'pkt' };
  if (off === SKB.dataMeta) return { result: 'pkt_meta' };
  if (off === SKB.dataEnd) return { result: 'pkt_end' };
  return common;
}

function xdp(off: number, size: number, write: boolean): CtxAccess | null {
  if (write) return null;
  if (off < 0 || off >= XDP_MD_SIZE || off % size !== 0 || size !== 4) return null;
  if (off === 0) return { result: 'pkt' };
  if (off === 4) return { result: 'pkt_end' };
  if (off === 8) return { result: 'pkt_meta' };
  // egress_ifindex is only readable by BPF_XDP_DEVMAP programs (an attach type bundles never carry)
  if (off === 20) return null;
  return { result: 'scalar' };
}

function kprobe(off: number, size: number, write: boolean): CtxAccess | null {
  if (off < 0 || off >= PT_REGS_SIZE || write || off % size !== 0 || off + size > PT_REGS_SIZE) return null;
  return { result: 'scalar' };
}

function tracepoint(off: number, size: number, write: boolean): CtxAccess | null {
  // tp_prog_is_valid_access compares the int offset with sizeof(void *), a
  // size_t: negative offsets pass that test in C, so only 0..7 are refused
  if ((off >= 0 && off < 8) || off >= PERF_MAX_TRACE_SIZE || write || off % size !== 0) return null;
  return { result: 'scalar' };
}
function cgroupSkb(off: number, size: number, write: boolean): CtxAccess | null {
  if (inRange(off, SKB.tcClassid, SKB.tcClassid + 4) || inRange(off, SKB.dataMeta, SKB.dataMeta + 4) || inRange(off, SKB.wireLen, SKB.wireLen + 4)) return null;
  if (write) {
    // root has CAP_BPF, so tstamp is writable too
    const ok =
      inRange(off, SKB.mark, SKB.mark + 4) ||
      inRange(off, SKB.priority, SKB.priority + 4) ||
      inRange(off, SKB.cb0, SKB.cbEnd) ||
      inRange(off, SKB.tstamp, SKB.tstamp + 8);
    if (!ok) return null;
  }
  const common = skbCommon(off, size, write);
  if (!common) return null;
  if (off === SKB.data) return { result: 'pkt' };
  if (off === SKB.dataEnd) return { result: 'pkt_end' };
  return common;
}

function rawTracepoint(off: number, size: number, write: boolean): CtxAccess | null {
  if (off < 0 || off >= 8 * MAX_BPF_FUNC_ARGS || write || off % size !== 0) return null;
  return { result: 'scalar' };
}

/** is_valid_access of the program type; null when the access is refused. */
export function ctxAccess(progType: ProgType, off: number, size: number, write: boolean): CtxAccess | null {
  switch (progType) {
    case 'xdp':
      return xdp(off, size, write);
    case 'socket_filter':
      return socketFilter(off, size, write);
    case 'sched_cls':
    case 'sched_act':
      return schedCls(off, size, write);
    case 'kprobe':
      return kprobe(off, size, write);
    case 'tracepoint':
      return tracepoint(off, size, write);
    case 'raw_tracepoint':
      return rawTracepoint(off, size, write);
    case 'cgroup_skb':
      return cgroupSkb(off, size, write);
    default:
      return null;
  }
}

/** Program types whose packet data may be written directly (may_access_direct_pkt_data). */
export function mayWritePacket(progType: ProgType): boolean {
  return progType === 'xdp' || progType === 'sched_cls' || progType === 'sched_act';
}
