import { describe, expect, it } from 'vitest';
import { createEngine } from './index.ts';

// The playground's first-visit example. Its encoding below was produced by
// ../shared/tools/bpfasm.py and accepted by the Linux 6.18 verifier (kbpf.py).
const EXAMPLE = `.prog xdp
.license "GPL"
    r2 = *(u32 *)(r1 + 4)
    r1 = *(u32 *)(r1 + 0)
    r3 = r1
    r3 += 14
    if r3 > r2 goto drop
    r4 = *(u16 *)(r1 + 12)
    if r4 != 0x8 goto drop
    r0 = 2
    exit
drop:
    r0 = 1
    exit
`;
const EXAMPLE_HEX =
  '61120400000000006111000000000000bf13000000000000070300000e0000002d2304000000000069140c00000000005504020008000000b7000000020000009500000000000000b7000000010000009500000000000000';

describe('the real engine', () => {
  it('assembles the example exactly as the reference assembler does', async () => {
    const reply = await createEngine().verify({ source: EXAMPLE });
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.assembly).toMatchObject({ assembled: true, dialect: 'kernel', insnCount: 11, progType: 'xdp', hex: EXAMPLE_HEX });
  });

  it('verifies with the verdicts the Linux 6.18 verifier gave (kbpf.py)', async () => {
    const engine = createEngine();
    const accepted = await engine.verify({ source: EXAMPLE });
    expect(accepted).toMatchObject({ ok: true, verifierAvailable: true, verification: { verdict: 'accepted', errorInsn: null, errorLine: null } });
    // Reads the packet without a bounds check: the kernel rejects insn 1 with this line.
    const unchecked = await engine.verify({ source: 'r0 = *(u32 *)(r1 + 0)\nr2 = *(u8 *)(r0 + 0)\nr0 = 0\nexit\n' });
    expect(unchecked).toMatchObject({
      ok: true,
      verification: { verdict: 'rejected', errorInsn: 1, errorLine: 'R0 offset is outside of the packet', errorSourceLine: 2 },
    });
  });

  it('reports an assembly error at its line, as data', async () => {
    const reply = await createEngine().verify({ source: 'r0 = 2\nr0 = frobnicate r1\nexit\n' });
    expect(reply).toMatchObject({ ok: true, verification: null, assembly: { assembled: false, insnCount: 0 } });
    if (reply.ok) expect(reply.assembly.diagnostics.map((d) => [d.line, d.severity])).toEqual([[2, 'error']]);
  });

  it('runs the example on frames with the results the kernel gave (BPF_PROG_TEST_RUN)', async () => {
    const engine = createEngine();
    // Ethernet II + IPv4 + UDP (EtherType 0x0800): the kernel returned 2.
    const ipv4 = '0200000000020200000000010800' + '4500001e00004000401126cd0a0000010a000002' + '04d20035000a0000' + '6869';
    // ARP (EtherType 0x0806): the kernel returned 1.
    const arp = 'ffffffffffff0200000000010806' + '0001080006040001' + '0200000000010a000001' + '0000000000000a000002';
    const pass = await engine.run({ source: EXAMPLE, packetHex: ipv4 });
    expect(pass).toMatchObject({ ok: true, refused: null, run: { retval: '2', retvalHex: '0x2', xdpAction: 'XDP_PASS', fault: null, dataOutHex: ipv4 } });
    const drop = await engine.run({ source: EXAMPLE, packetHex: arp });
    expect(drop).toMatchObject({ ok: true, run: { retval: '1', xdpAction: 'XDP_DROP' } });
  });

  it('stops a runaway program at its instruction budget with a fault at its line', async () => {
    const reply = await createEngine().run({ source: 'loop:\n    goto loop\n    exit\n', packetHex: '00'.repeat(14), budget: 1000 });
    expect(reply).toMatchObject({ ok: true, run: { fault: { pc: 0, sourceLine: 2 }, xdpAction: null } });
  });

  it('refuses a packet BPF_PROG_TEST_RUN would refuse', async () => {
    const reply = await createEngine().run({ source: EXAMPLE, packetHex: '0011' });
    expect(reply).toMatchObject({ ok: true, run: null, refused: expect.stringMatching(/at least 14/) });
  });

  it('replies survive structured cloning (the worker boundary)', async () => {
    const engine = createEngine();
    const replies = [await engine.version(), await engine.verify({ source: EXAMPLE }), await engine.run({ source: EXAMPLE }), await engine.verify({ source: '!!' })];
    for (const r of replies) expect(structuredClone(r)).toEqual(r);
  });
});
