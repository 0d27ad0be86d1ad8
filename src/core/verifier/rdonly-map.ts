/**
 * Loads the verifier can answer itself: a read at a constant offset from a
 * map that programs cannot write and user space can no longer change
 * (BPF_F_RDONLY_PROG and frozen: bpf_map_is_rdonly) gives a known scalar,
 * read from the map's contents at load time (bpf_map_direct_read). Only
 * array maps with one element expose their value this way
 * (array_map_direct_value_addr), and only 1, 2, 4 and 8-byte loads.
 * This is what lets `if (cfg.debug)` on a .rodata constant prune the dead
 * branch, as Linux does.
 */
import { BPF_F_RDONLY_PROG, type MapSpec } from '../program.ts';

export function rdonlyMapConstant(m: MapSpec, mapOff: number, size: number): bigint | null {
  if (m.type !== 'array' || m.maxEntries !== 1 || !m.frozen || (m.flags & BPF_F_RDONLY_PROG) === 0) return null;
  if (size !== 1 && size !== 2 && size !== 4 && size !== 8) return null;
  if (mapOff < 0 || mapOff + size > m.valueSize) return null;
  // element 0: an init entry whose 4-byte key is 0, else zeros
  const entry = m.init?.find((e) => e.key.length === 4 && e.key.every((b) => b === 0));
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(entry?.value[mapOff + i] ?? 0);
  return v;
}
