import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, insnsFromHex } from '../isa/insn.ts';
import { isProgType } from '../program.ts';
import { decodeProgram } from './decode.ts';
import { runOnPacket } from './program-run.ts';

/**
 * Test runs recorded from the Linux 6.18 kernel's BPF_PROG_TEST_RUN
 * (test-data/interp/run-cases.py): the xdp_md / __sk_buff contexts, what LD_ABS
 * sees, and data_out, checked against the interpreter's contexts.
 */
interface RunCase {
  name: string;
  progType: string;
  insns: string;
  packet: string;
  retval: number;
  dataOut: string;
}

const data = JSON.parse(readFileSync(new URL('../../../test-data/interp/run-cases.json', import.meta.url), 'utf8')) as { cases: RunCase[] };

describe('test runs agree with the kernel', () => {
  it.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const insns = insnsFromHex(c.insns);
    const packet = hexToBytes(c.packet);
    if (!insns.ok || !packet.ok || !isProgType(c.progType)) throw new Error('bad case');
    const o = runOnPacket(decodeProgram(insns.insns), c.progType, packet.bytes);
    if (o.kind !== 'returned') throw new Error(`${o.kind}: ${o.kind === 'fault' ? o.message : o.reason}`);
    expect(Number(BigInt.asUintN(32, o.r0))).toBe(c.retval);
    expect(bytesToHex(o.dataOut ?? new Uint8Array())).toBe(c.dataOut);
  });
});
