/**
 * resolve_pseudo_ldimm64's checks of direct map-value loads
 * (`r1 = map_value[m] + off ll`, BPF_PSEUDO_MAP_VALUE / MAP_IDX_VALUE): the
 * map must give direct value access (map_direct_value_addr), which only an
 * array with a single entry does, at an offset inside the value. Linux
 * refuses the program at load time, before exploring it.
 */
import type { Insn } from '../isa/insn.ts';
import { LD_IMM64_CODE, PseudoLd } from '../isa/opcodes.ts';
import type { MapSpec } from '../program.ts';

export function mapValueLoadProblem(insns: readonly Insn[], maps: readonly MapSpec[]): string | null {
  for (let i = 0; i < insns.length; i++) {
    const ins = insns[i];
    if (ins.code !== LD_IMM64_CODE) continue;
    const hi = insns[i + 1];
    i++;
    if (ins.src !== PseudoLd.MAP_VALUE && ins.src !== PseudoLd.MAP_IDX_VALUE) continue;
    const m = maps[ins.imm];
    if (!m || !hi) continue; // an unknown map is reported when the instruction is reached
    if (m.type !== 'array') return 'no direct value access support for this map type';
    const off = hi.imm >>> 0;
    // array_map_direct_value_addr: one entry only, offset inside the value
    if (m.maxEntries !== 1 || off >= m.valueSize) return `invalid access to map value pointer, value_size=${m.valueSize} off=${off}`;
  }
  return null;
}
