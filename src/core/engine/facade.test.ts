import { describe, expect, it } from 'vitest';
import { boundedLog, createEngineWith as createEngine, LOG_LIMIT_CHARS } from './facade.ts';
import type { EnginePorts, ExecutePort, ExecutionOutcome } from './ports.ts';
import type { ProgramSpec } from '../program.ts';

// r0 = 2 ; exit  — encoding from ../shared/tools/bpfasm.py (b700000002000000 95000000...)
const PROGRAM: ProgramSpec = {
  name: 'prog',
  progType: 'xdp',
  insns: [
    { code: 0xb7, dst: 0, src: 0, off: 0, imm: 2 },
    { code: 0x95, dst: 0, src: 0, off: 0, imm: 0 },
  ],
  maps: [],
  license: 'GPL',
  sourceMap: [{ line: 3, column: 1 }, { line: 4, column: 1 }],
};

const assembled: EnginePorts['assemble'] = () => ({ ok: true, program: PROGRAM, dialect: 'kernel', diagnostics: [] });

/** An interpreter fake: every packet's run ends the same way; no maps. */
function each(outcome: ExecutionOutcome): ExecutePort {
  return (_program, packets) => ({ kind: 'ran', runs: packets.map(() => outcome), maps: [] });
}

function ports(over: Partial<EnginePorts>): EnginePorts {
  return { assemble: assembled, verify: null, execute: null, ...over };
}

describe('engine facade', () => {
  it('reports assembly results and says when no verifier is plugged in', async () => {
    const reply = await createEngine(ports({})).verify({ source: 'r0 = 2\nexit' });
    expect(reply).toEqual({
      ok: true,
      verifierAvailable: false,
      verification: null,
      assembly: { assembled: true, dialect: 'kernel', insnCount: 2, progType: 'xdp', hex: 'b7000000020000009500000000000000', diagnostics: [], maps: [], insnLines: [3, 4] },
    });
  });

  it('passes assembly diagnostics through unchanged', async () => {
    const diagnostics = [{ line: 2, column: 1, endColumn: 4, severity: 'error' as const, message: "unknown instruction 'foo'" }];
    const engine = createEngine(ports({ assemble: () => ({ ok: false, dialect: 'kernel', diagnostics }) }));
    const reply = await engine.verify({ source: 'exit\nfoo' });
    expect(reply).toMatchObject({ ok: true, verification: null, assembly: { assembled: false, insnCount: 0, hex: '', diagnostics } });
  });

  it('maps the verifier error instruction back to its source line', async () => {
    const engine = createEngine(
      ports({ verify: () => ({ verdict: 'rejected', errorInsn: 1, errorLine: 'R0 !read_ok', log: 'log', processedInsns: 2 }) }),
    );
    const reply = await engine.verify({ source: 'x' });
    expect(reply).toMatchObject({ ok: true, verifierAvailable: true, verification: { verdict: 'rejected', errorInsn: 1, errorSourceLine: 4 } });
  });

  it('names the failing step instead of throwing', async () => {
    const engine = createEngine(ports({ assemble: () => { throw new Error('boom'); } }));
    await expect(engine.verify({ source: 'x' })).resolves.toEqual({ ok: false, error: 'assemble: boom' });
    const broken = createEngine(ports({ verify: () => { throw new TypeError('bad state'); } }));
    await expect(broken.verify({ source: 'x' })).resolves.toEqual({ ok: false, error: 'verify: bad state' });
    // A malformed request from the other side of the worker boundary.
    await expect(createEngine(ports({})).verify(null as unknown as { source: string })).resolves.toEqual({
      ok: false,
      error: 'assemble: the request has no source text',
    });
  });

  it('runs: r0 in decimal and hex, and the XDP action', async () => {
    const engine = createEngine(ports({ execute: each({ kind: 'returned', r0: 2n, dataOut: new Uint8Array([0xab, 0x01]) }) }));
    const reply = await engine.run({ source: 'x', packetHex: '00' });
    expect(reply).toMatchObject({ ok: true, refused: null, run: { retval: '2', retvalHex: '0x2', xdpAction: 'XDP_PASS', fault: null, dataOutHex: 'ab01' } });
  });

  it('shows r0 as an unsigned 64-bit value', async () => {
    const engine = createEngine(ports({ execute: each({ kind: 'returned', r0: -1n, dataOut: null }) }));
    const reply = await engine.run({ source: 'x' });
    expect(reply).toMatchObject({ ok: true, run: { retval: '18446744073709551615', retvalHex: '0xffffffffffffffff', xdpAction: null } });
  });

  it('reports faults with their source line', async () => {
    const engine = createEngine(ports({ execute: each({ kind: 'fault', pc: 0, message: 'division by zero' }) }));
    const reply = await engine.run({ source: 'x' });
    expect(reply).toMatchObject({ ok: true, run: { fault: { pc: 0, message: 'division by zero', sourceLine: 3 }, xdpAction: null } });
  });

  it('rejects a malformed packet with a clear message', async () => {
    const engine = createEngine(ports({ execute: each({ kind: 'returned', r0: 0n, dataOut: null }) }));
    const reply = await engine.run({ source: 'x', packetHex: 'zz' });
    expect(reply).toEqual({ ok: false, error: "read packet: 'z' at position 0 is not a hex digit" });
  });

  it('passes a refusal through', async () => {
    const engine = createEngine(ports({ execute: each({ kind: 'refused', reason: 'packet shorter than an Ethernet header' }) }));
    await expect(engine.run({ source: 'x' })).resolves.toMatchObject({ ok: true, run: null, refused: 'packet shorter than an Ethernet header' });
  });

  it('passes the instruction budget through and refuses nonsense budgets', async () => {
    const seen: (number | undefined)[] = [];
    const engine = createEngine(ports({ execute: (_p, pk, opts) => (seen.push(opts.budget), { kind: 'ran', runs: pk.map(() => ({ kind: 'returned', r0: 0n, dataOut: null })), maps: [] }) }));
    await engine.run({ source: 'x', budget: 1e12 });
    await engine.run({ source: 'x' });
    expect(seen).toEqual([1e12, undefined]);
    await expect(engine.run({ source: 'x', budget: 0.5 })).resolves.toMatchObject({ ok: false });
  });

  it('says so when the interpreter is missing', async () => {
    await expect(createEngine(ports({})).run({ source: 'x' })).resolves.toEqual({ ok: false, error: 'run: the interpreter is not available yet' });
  });

  it('busy-waits for the watchdog hook and refuses silly durations', async () => {
    const engine = createEngine(ports({}));
    const reply = await engine.busyWait(20);
    expect(reply.ok && reply.waitedMs >= 20).toBe(true);
    await expect(engine.busyWait(-1)).resolves.toMatchObject({ ok: false });
    await expect(engine.busyWait(Number.NaN)).resolves.toMatchObject({ ok: false });
  });

  it('cuts the middle out of a huge log, on line boundaries, keeping its start and end', async () => {
    const lines = Array.from({ length: 200_000 }, (_, i) => `${i}: (07) r1 += 1                 ; R1=${i}`);
    const log = lines.join('\n') + '\nprocessed 200000 insns\n';
    const bounded = boundedLog(log);
    expect(bounded.length).toBeLessThan(LOG_LIMIT_CHARS + 200);
    const out = bounded.split('\n');
    expect(out[0]).toBe(lines[0]);
    expect(out.at(-2)).toBe('processed 200000 insns');
    const marker = out.find((l) => l.startsWith('... '))!;
    const omitted = Number(/^\.\.\. (\d+) lines/.exec(marker)![1]);
    // Every line is either kept whole or counted as omitted.
    expect(out.length - 1 + omitted).toBe(lines.length + 2);
    expect(boundedLog('short\n')).toBe('short\n');
    const engine = createEngine(ports({ verify: () => ({ verdict: 'accepted', errorInsn: null, errorLine: null, log, processedInsns: 200000 }) }));
    const reply = await engine.verify({ source: 'x' });
    expect(reply.ok && reply.verification!.log).toBe(bounded);
  });
});
