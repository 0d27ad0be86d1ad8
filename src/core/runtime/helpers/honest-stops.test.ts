/**
 * Helpers the verifier accepts but the simulation cannot answer must stop
 * the run and say why — never return a success the kernel would not have
 * produced. (Their availability and argument checks are the kernel's:
 * src/core/verifier/helper-availability.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../asm/index.ts';
import { hexToBytes } from '../../isa/insn.ts';
import type { ProgType } from '../../program.ts';
import { verify } from '../../verifier/index.ts';
import { TestRunSession } from '../test-run.ts';

const UDP_HEX = '020000000002020000000001080045000032000100004011' + '66b80a0000010a00000230390035001e0000' + '000102030405060708090a0b0c0d0e0f';

function bytes(hex: string): Uint8Array {
  const b = hexToBytes(hex);
  if (!b.ok) throw new Error(b.error);
  return b.bytes;
}

function verifiedRun(asm: string, progType: ProgType) {
  const a = assemble(asm);
  if (!a.ok) throw new Error(a.diagnostics.map((d) => d.message).join('\n'));
  const program = { ...a.program, progType, license: 'GPL' };
  const v = verify(program);
  expect(v.error?.message ?? null).toBeNull();
  const created = TestRunSession.create([]);
  if (!created.ok) throw new Error(created.error);
  const id = created.session.load(program);
  return created.session.run(id, [{ data: bytes(UDP_HEX) }])[0]!;
}

describe('helpers that cannot be simulated stop the run with the reason', () => {
  it('bpf_fib_lookup: no routing tables', () => {
    const run = verifiedRun(
      `r6 = r1
r1 = 0
*(u64 *)(r10 - 64) = r1
*(u64 *)(r10 - 56) = r1
*(u64 *)(r10 - 48) = r1
*(u64 *)(r10 - 40) = r1
*(u64 *)(r10 - 32) = r1
*(u64 *)(r10 - 24) = r1
*(u64 *)(r10 - 16) = r1
*(u64 *)(r10 - 8) = r1
r1 = r6
r2 = r10
r2 += -64
r3 = 64
r4 = 0
call 69
exit`,
      'xdp',
    );
    expect(run.fault?.message).toMatch(/^bpf_fib_lookup#69 cannot be simulated \(the simulated machine has no routing tables/);
  });

  it('bpf_send_signal: a real signal number stops the run, signal 0 and bad numbers answer as the kernel does', () => {
    expect(verifiedRun('r1 = 9\ncall 109\nexit', 'sched_cls').fault?.message).toMatch(/^bpf_send_signal\(9\): the simulated task \d+ is not a real process/);
    // recorded on Linux 6.18 (test-data/verifier/helper-availability-calls.json): 0 -> 0, 65 -> -EINVAL
    expect(verifiedRun('r1 = 0\ncall 109\nexit', 'sched_cls').retval).toBe(0);
    expect(verifiedRun('r1 = 65\ncall 109\nexit', 'sched_cls').retval).toBe(0x100000000 - 22);
  });

  it('bpf_skb_set_tunnel_key: the simulation keeps no tunnel metadata', () => {
    const run = verifiedRun(
      `r6 = r1
r1 = 0
*(u64 *)(r10 - 48) = r1
*(u64 *)(r10 - 40) = r1
*(u64 *)(r10 - 32) = r1
*(u64 *)(r10 - 24) = r1
*(u64 *)(r10 - 16) = r1
*(u64 *)(r10 - 8) = r1
r1 = r6
r2 = r10
r2 += -48
r3 = 44
r4 = 0
call 21
exit`,
      'sched_cls',
    );
    expect(run.fault?.message).toMatch(/^bpf_skb_set_tunnel_key#21 cannot be simulated \(the simulation keeps no tunnel metadata/);
  });
});
