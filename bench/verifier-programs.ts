/**
 * Large programs for the verifier bench (bench/verifier.ts) and for recording
 * the kernel's load times of the same programs
 * (scripts/fuzz-kernel-bench.ts → test-data/verifier/bench-kernel.json).
 * Each stresses a different part of the verifier: path length through a
 * bounded loop, straight-line width, state pruning at many branch joins,
 * and a real clang-compiled packet parser.
 */
import { readFileSync } from 'node:fs';
import { assemble } from '../src/core/asm/index.ts';
import { loadObject, programBundle } from '../src/core/elf/index.ts';
import type { ProgramSpec } from '../src/core/program.ts';

export interface BenchProgram {
  id: string;
  what: string;
  program: ProgramSpec;
  /** the bundle kbpf loads (same instructions and maps) */
  bundle: Record<string, unknown>;
  /** timed verifications for the bench (default 10); fewer for slow programs */
  samples?: number;
}

function fromAsm(id: string, what: string, asm: string): BenchProgram {
  const r = assemble(asm);
  if (!r.ok) throw new Error(`bench program ${id} does not assemble: ${JSON.stringify(r.diagnostics)}`);
  const p = r.program;
  const insns = Buffer.from(p.insns.flatMap((i) => {
    const b = Buffer.alloc(8);
    b[0] = i.code;
    b[1] = (i.src << 4) | i.dst;
    b.writeInt16LE(i.off, 2);
    b.writeInt32LE(i.imm, 4);
    return [...b];
  })).toString('hex');
  const maps = p.maps.map((m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags }));
  return { id, what, program: p, bundle: { progType: p.progType, insns, maps, license: 'GPL' } };
}

/** A counted loop the verifier walks iteration by iteration (no state can be pruned: the counter differs). */
function countedLoop(n: number): BenchProgram {
  return fromAsm('loop', `bounded loop, ${n} iterations`, `.prog socket_filter
    r0 = 0
    r6 = 0
loop:
    r0 += r6
    r0 &= 0xffff
    r6 += 1
    if r6 < ${n} goto loop
    exit
`);
}

/**
 * A loop whose exit the verifier cannot prove (r7 sums the counter and is
 * compared for equality): it runs into the 1M processed-instruction limit,
 * comparing against the loop head's states on every iteration.
 */
function insnLimit(): BenchProgram {
  const p = fromAsm('limit', 'loop hitting the 1M-insn limit', `.prog socket_filter
    r6 = 0
    r7 = 0
loop:
    r7 += r6
    r6 += 1
    if r7 != 12345 goto loop
    r0 = r7
    exit
`);
  return { ...p, samples: 3 };
}

/** Thousands of straight-line ALU and stack instructions. */
function straightLine(blocks: number): BenchProgram {
  const body: string[] = ['.prog xdp', 'r0 = 0', 'r6 = 1'];
  for (let i = 0; i < blocks; i++) {
    const off = -8 * ((i % 32) + 1);
    body.push(`r6 *= ${(i % 7) + 3}`, 'r6 &= 0xfff', `*(u64 *)(r10 ${off}) = r6`, `r7 = *(u64 *)(r10 ${off})`, 'r0 += r7', 'r0 &= 0xffff');
  }
  body.push('r0 = 2', 'exit');
  return fromAsm('straight', `straight line, ${blocks * 6 + 4} insns`, body.join('\n') + '\n');
}

/** Many branch joins on an unknown value: exercises state comparison and pruning. */
function diamonds(n: number): BenchProgram {
  const body: string[] = ['.prog xdp', 'r6 = *(u32 *)(r1 + 12)', 'r7 = 0', 'r8 = 0'];
  for (let i = 0; i < n; i++) {
    body.push(`if r6 > ${i * 3} goto d${i}`, 'r7 += 1', `d${i}:`, 'r8 += r7', 'r8 &= 0xff');
  }
  body.push('r0 = 2', 'exit');
  return fromAsm('diamonds', `${n} branch joins`, body.join('\n') + '\n');
}

/** The clang-built XDP parser of the ELF fixtures. */
function xdpParse(): BenchProgram {
  const file = new URL('../test-data/elf/xdp_parse.o', import.meta.url);
  const loaded = loadObject(new Uint8Array(readFileSync(file)), { fileName: 'xdp_parse.o' });
  if (!loaded.ok) throw new Error(`xdp_parse.o: ${loaded.error}`);
  const i = loaded.object.programs.findIndex((p) => p.name === 'xdp_parse');
  const bundle = programBundle(loaded.object, i);
  if (!bundle) throw new Error('xdp_parse.o has no xdp_parse program');
  return { id: 'xdp_parse', what: 'clang XDP parser (test-data/elf/xdp_parse.o)', program: loaded.object.programs[i], bundle: { ...bundle } };
}

export function benchPrograms(): BenchProgram[] {
  return [countedLoop(50_000), straightLine(1500), diamonds(400), xdpParse(), insnLimit()];
}
