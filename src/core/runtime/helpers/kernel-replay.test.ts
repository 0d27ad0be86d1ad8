/**
 * End to end against the kernel: the very programs the recorder ran on Linux
 * 6.18 (helper calls on a target map, results stored in a result array) run
 * here through the interpreter with the runtime's helpers and maps, and must
 * leave the same results and the same map contents.
 */
import { describe, expect, it } from 'vitest';
import { decodeProgram, Memory, run } from '../../interp/index.ts';
import { decodeBytes } from '../../isa/insn.ts';
import { createMap } from '../maps/create.ts';
import { errnoName } from '../maps/errno.ts';
import { toHex } from '../maps/bytes.ts';
import { goldens, hex, kernelDump, ourDump, spec } from '../maps/goldens-data.ts';
import { bindRuntime, RuntimeSession } from './index.ts';

const withPrograms = goldens.scenarios.filter((s) => s.kernel.insns);

describe(`programs recorded on kernel ${goldens.kernel} give the same results here`, () => {
  it('has programs to replay', () => {
    expect(withPrograms.length).toBeGreaterThan(20);
  });

  it.each(withPrograms.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const target = createMap(spec(s.map), { cpus: goldens.cpus });
    if (!target.ok) throw new Error(target.message);
    const sys = (s.sys ?? []).map((e) => {
      const r = target.map.sysUpdate(hex(e.key), hex(e.value), e.flags ?? 0);
      return r === 0 ? 'OK' : errnoName(r);
    });
    expect(sys).toEqual(s.kernel.sys);
    const nops = Math.max((s.ops ?? []).length, 1);
    const res = createMap({ name: 'res', type: 'array', keySize: 4, valueSize: 16 * nops, maxEntries: 1, flags: 0 }, { cpus: goldens.cpus });
    if (!res.ok) throw new Error(res.message);

    const decoded = decodeBytes(hex(s.kernel.insns));
    if (!decoded.ok) throw new Error(decoded.error);
    const session = new RuntimeSession([target.map, res.map], { attachPerfEvents: false });
    const memory = new Memory();
    const binding = bindRuntime(session, memory);
    const result = run(decodeProgram(decoded.insns), { memory, helpers: binding.helpers, maps: binding.maps, args: [0n] });
    if (!result.ok) throw new Error(`fault at ${result.fault.pc}: ${result.fault.message}`);
    expect(Number(result.r0)).toBe(s.kernel.retval);

    // read the result slots as the recorder does: 16 bytes per op, ret then the value seen
    const raw = res.map.sysLookup(new Uint8Array(4)) as Uint8Array;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const ops = (s.ops ?? []).map((op, i) => {
      const ret = Number(view.getBigInt64(16 * i, true));
      return op.op === 'lookup' || op.op === 'pop' || op.op === 'peek'
        ? { ret, value: toHex(raw.subarray(16 * i + 8, 16 * i + 16)) }
        : { ret };
    });
    expect(ops).toEqual(s.kernel.ops);
    expect(ourDump(target.map.dump())).toEqual(kernelDump(s.kernel.mapsAfter, s.map.type));
  });
});
