/**
 * The Linux 6.18 BPF helper table: ids (enum bpf_func_id order from
 * include/uapi/linux/bpf.h), names and C prototypes, as data.
 * Verifier argument kinds live with the verifier; this is the ISA-level table
 * the assembler and disassembler use for `call bpf_map_lookup_elem`.
 * The rows are generated into helpers-data.ts by scripts/gen-helpers.mjs.
 */
import { HELPER_TABLE } from './helpers-data.ts';

export interface HelperInfo {
  id: number;
  /** full name as the kernel log prints it, e.g. "bpf_map_lookup_elem" */
  name: string;
  /** C prototype from the uapi documentation ("" for bpf_unspec) */
  proto: string;
  /** first sentence of the uapi description, markup removed (for hovers) */
  summary?: string;
  /**
   * further prototypes of helpers the uapi documents once per program-type
   * context (bpf_get_socket_cookie, bpf_sk_assign)
   */
  otherProtos?: readonly string[];
}

/** All helpers, indexed by id: HELPERS[id].id === id for ids 0..211. */
export const HELPERS: readonly HelperInfo[] = HELPER_TABLE;

/** The highest helper id Linux 6.18 knows (__BPF_FUNC_MAX_ID - 1). */
export const MAX_HELPER_ID = HELPERS.length - 1;

const byName = new Map<string, HelperInfo>(HELPERS.map((h) => [h.name, h]));

export function helperById(id: number): HelperInfo | undefined {
  return Number.isInteger(id) && id >= 0 && id < HELPERS.length ? HELPERS[id] : undefined;
}

/** Accepts the name with or without the `bpf_` prefix. */
export function helperByName(name: string): HelperInfo | undefined {
  return byName.get(name) ?? byName.get(`bpf_${name}`);
}
