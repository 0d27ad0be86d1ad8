/**
 * The logs read here are the Linux 6.18 kernel's own (kbpf.py on
 * test-data/app/bounds.s), so the parser is tested against the real format.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLogStates, parseStateText, splitTopLevel, visitsOf } from './log-states.ts';

const LOG = readFileSync(join(process.cwd(), 'test-data/app/bounds.kernel.log'), 'utf8');

describe('abstract states from the kernel log', () => {
  it('splits state text outside parentheses only', () => {
    expect(splitTopLevel('R1=scalar(var_off=(0x0; 0xff)) R10=fp0', ' ')).toEqual(['R1=scalar(var_off=(0x0; 0xff))', 'R10=fp0']);
    expect(parseStateText('R0=pkt(r=0) R1_w=ctx() fp-8=mmmm???? junk')).toEqual(
      new Map([
        ['R0', 'pkt(r=0)'],
        ['R1', 'ctx()'],
        ['fp-8', 'mmmm????'],
      ]),
    );
  });

  it('replays deltas: after insn 2 the stack holds the spilled ctx and R6 is ctx', () => {
    const states = parseLogStates(LOG);
    const [v2] = visitsOf(states, 2);
    expect(v2!.after.get('fp-16')).toBe('ctx()');
    expect(v2!.after.get('R6')).toBe('ctx()');
    expect(v2!.after.get('fp-8')).toBe('mmmm????');
    expect([...v2!.changed].sort()).toEqual(['R10', 'R6', 'fp-16']);
  });

  it('drops R1-R5 after a call and keeps the narrowed bounds of a branch', () => {
    const states = parseLogStates(LOG);
    const [call] = visitsOf(states, 7);
    expect(call!.after.has('R1')).toBe(false);
    expect(call!.after.get('R0')).toBe('map_value_or_null(id=1,map=counts,ks=4,vs=8)');
    const [v11] = visitsOf(states, 11);
    expect(v11!.after.get('R1')).toBe('scalar(smin=smin32=0,smax=umax=smax32=umax32=10,var_off=(0x0; 0xf))');
  });

  it('lists every path that reached an instruction, with the state the path started with', () => {
    const states = parseLogStates(LOG);
    const visits = visitsOf(states, 13);
    expect(visits).toHaveLength(3);
    expect(visits.map((v) => v.before.get('R0'))).toEqual(['1', 'map_value(map=counts,ks=4,vs=8)', '0']);
    expect(visits.every((v) => v.after.get('R0') === '2')).toBe(true);
  });

  it('links log lines to instructions (paths, states, instructions, the live-regs table)', () => {
    const { lineInsns } = parseLogStates(LOG);
    const lines = LOG.split('\n');
    const at = (prefix: string) => lineInsns[lines.findIndex((l) => l.startsWith(prefix))];
    expect(at('from 11 to 13:')).toBe(13);
    expect(at('10: (57)')).toBe(10);
    expect(at('      8: 0')).toBe(8);
    expect(at('processed')).toBeNull();
  });

  it('lists the explored paths and the pruned points', () => {
    expect(parseLogStates(LOG).paths.map((p) => (p.kind === 'path' ? `${p.from}->${p.to}` : `pruned ${p.insn}`))).toEqual(['11->13', '8->13']);
    // kbpf.py on test-data/engine/counter-ringbuf.s: the kernel pruned the path from 6 to 18.
    const counter = readFileSync(join(process.cwd(), 'test-data/app/counter-ringbuf.kernel.log'), 'utf8');
    expect(parseLogStates(counter).paths).toEqual([{ kind: 'pruned', insn: 18, logLine: counter.split('\n').indexOf('from 6 to 18: safe') }]);
  });
});
