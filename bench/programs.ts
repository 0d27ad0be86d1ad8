/**
 * Benchmark programs, built from raw instructions so the bench does not
 * depend on the assembler. Comments give the kernel-syntax source.
 */
import { insn, type Insn } from '../src/core/isa/insn.ts';

export const ALU_LOOP_ITERATIONS = 1_000_000;

/**
 * A tight 64-bit ALU loop: 4 instructions per iteration, 1,000,000 iterations.
 *   r0 = 0; r1 = 1000000; r2 = 0x12345
 * loop:
 *   r0 += r1; r0 ^= r2; r1 += -1; if r1 != 0 goto loop
 *   exit
 */
export function aluLoop(iterations = ALU_LOOP_ITERATIONS): Insn[] {
  return [
    insn(0xb7, 0, 0, 0, 0),
    insn(0xb7, 1, 0, 0, iterations),
    insn(0xb7, 2, 0, 0, 0x12345),
    insn(0x0f, 0, 1), // r0 += r1
    insn(0xaf, 0, 2), // r0 ^= r2
    insn(0x07, 1, 0, 0, -1), // r1 += -1
    insn(0x55, 1, 0, -4, 0), // if r1 != 0 goto -4
    insn(0x95),
  ];
}

/**
 * XDP parse of Ethernet/IPv4/UDP with the bounds checks the verifier demands;
 * returns XDP_DROP (1) for UDP port 53, XDP_PASS (2) otherwise.
 *   r2 = *(u32 *)(r1 + 0)        ; data
 *   r3 = *(u32 *)(r1 + 4)        ; data_end
 *   r0 = 2
 *   r4 = r2; r4 += 42; if r4 > r3 goto out
 *   r5 = *(u16 *)(r2 + 12); if r5 != 0x8 goto out      ; ETH_P_IP, big endian
 *   r5 = *(u8 *)(r2 + 23);  if r5 != 17 goto out       ; IPPROTO_UDP
 *   r5 = *(u8 *)(r2 + 14); r5 &= 0xf; r5 <<= 2         ; ihl * 4
 *   r4 = r2; r4 += r5; r4 += 14                        ; udp header
 *   r6 = r4; r6 += 8; if r6 > r3 goto out
 *   r5 = *(u16 *)(r4 + 2); r5 = be16 r5; if r5 != 53 goto out
 *   r0 = 1
 * out: exit
 */
export function xdpParse(): Insn[] {
  return [
    insn(0x61, 2, 1, 0), // r2 = data
    insn(0x61, 3, 1, 4), // r3 = data_end
    insn(0xb7, 0, 0, 0, 2),
    insn(0xbf, 4, 2),
    insn(0x07, 4, 0, 0, 42),
    insn(0x2d, 4, 3, 15), // if r4 > r3 goto out
    insn(0x69, 5, 2, 12),
    insn(0x55, 5, 0, 13, 0x8),
    insn(0x71, 5, 2, 23),
    insn(0x55, 5, 0, 11, 17),
    insn(0x71, 5, 2, 14),
    insn(0x57, 5, 0, 0, 0xf),
    insn(0x67, 5, 0, 0, 2),
    insn(0xbf, 4, 2),
    insn(0x0f, 4, 5),
    insn(0x07, 4, 0, 0, 14),
    insn(0xbf, 6, 4),
    insn(0x07, 6, 0, 0, 8),
    insn(0x2d, 6, 3, 4), // if r6 > r3 goto out
    insn(0x69, 5, 4, 2),
    insn(0xdc, 5, 0, 0, 16), // be16
    insn(0x55, 5, 0, 1, 53),
    insn(0xb7, 0, 0, 0, 1),
    insn(0x95),
  ];
}

export const MAP_LOOP_ITERATIONS = 100_000;

/**
 * Map lookups in a loop: an array map (4-byte key, 8-byte value), key 0,
 * increment the value each iteration; returns the iteration count.
 *   r6 = 0
 * loop:
 *   *(u32 *)(r10 - 4) = 0
 *   r1 = map[0] ll
 *   r2 = r10; r2 += -4
 *   call bpf_map_lookup_elem
 *   if r0 == 0 goto out
 *   r1 = *(u64 *)(r0 + 0); r1 += 1; *(u64 *)(r0 + 0) = r1
 *   r6 += 1
 *   if r6 < 100000 goto loop
 * out: r0 = r6; exit
 */
export function mapLookupLoop(iterations = MAP_LOOP_ITERATIONS): Insn[] {
  return [
    insn(0xb7, 6, 0, 0, 0),
    insn(0x62, 10, 0, -4, 0),
    insn(0x18, 1, 1, 0, 0), // map[0]
    insn(0x00, 0, 0, 0, 0),
    insn(0xbf, 2, 10),
    insn(0x07, 2, 0, 0, -4),
    insn(0x85, 0, 0, 0, 1),
    insn(0x15, 0, 0, 5, 0), // if r0 == 0 goto out
    insn(0x79, 1, 0, 0),
    insn(0x07, 1, 0, 0, 1),
    insn(0x7b, 0, 1, 0),
    insn(0x07, 6, 0, 0, 1),
    insn(0xa5, 6, 0, -12, iterations), // if r6 < N goto loop
    insn(0xbf, 0, 6),
    insn(0x95),
  ];
}

export const SIXTEEN = 16;

/**
 * The map workload: 16 array-map lookups and increments per run
 * (keys 0..15 of a 16-entry array of u64), then r0 = 2.
 *   for k in 0..15:
 *     *(u32 *)(r10 - 4) = k; r1 = map[0] ll; r2 = r10; r2 += -4
 *     call bpf_map_lookup_elem; if r0 == 0 goto +3
 *     r1 = *(u64 *)(r0 + 0); r1 += 1; *(u64 *)(r0 + 0) = r1
 *   r0 = 2; exit
 */
export function sixteenLookups(): Insn[] {
  const out: Insn[] = [];
  for (let k = 0; k < SIXTEEN; k++) {
    out.push(
      insn(0x62, 10, 0, -4, k),
      insn(0x18, 1, 1, 0, 0),
      insn(0x00, 0, 0, 0, 0),
      insn(0xbf, 2, 10),
      insn(0x07, 2, 0, 0, -4),
      insn(0x85, 0, 0, 0, 1),
      insn(0x15, 0, 0, 3, 0),
      insn(0x79, 1, 0, 0),
      insn(0x07, 1, 0, 0, 1),
      insn(0x7b, 0, 1, 0),
    );
  }
  out.push(insn(0xb7, 0, 0, 0, 2), insn(0x95));
  return out;
}
