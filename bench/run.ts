/**
 * `npm run bench`: engine speed on fixed workloads.
 *  (a) a tight 64-bit ALU loop, 1,000,000 iterations — ns per instruction
 *      (the interpreter's target is <= 3 ns under Node 20);
 *  (b) an XDP parse of a 64-byte Ethernet/IPv4/UDP packet with bounds
 *      checks — ns per run and per instruction;
 *  (c) map lookups from a loop (the runtime's array map and helpers) — ns
 *      per lookup iteration;
 *  (d) 16 array-map lookups + increments per run (the target: <= 600 ns/run).
 * Every engine in ENGINES runs the same workloads in the same process; ratios
 * are against the first. Times are the best of several runs after warm-up,
 * because the machine is shared and the minimum is the least noisy figure.
 */
import { buildContext, defaultPacket } from '../src/core/interp/contexts.ts';
import { decodeProgram, type DecodedProgram } from '../src/core/interp/decode.ts';
import { Memory } from '../src/core/interp/memory.ts';
import { run, type RunOptions } from '../src/core/interp/vm.ts';
import type { Insn } from '../src/core/isa/insn.ts';
import { bindRuntime, RuntimeSession } from '../src/core/runtime/helpers/index.ts';
import { createMap } from '../src/core/runtime/maps/index.ts';
import { ALU_LOOP_ITERATIONS, MAP_LOOP_ITERATIONS, SIXTEEN, aluLoop, mapLookupLoop, sixteenLookups, xdpParse } from './programs.ts';

interface Engine {
  name: string;
  /** compile once; the returned function runs the program with r1 = ctx and returns [r0, insns executed] */
  prepare(insns: Insn[], memory: Memory, env?: RunEnv): (ctx: bigint) => [bigint, number];
}

/** Helpers and map resolver for programs that use maps. */
type RunEnv = Pick<RunOptions, 'helpers' | 'maps'>;

const interpreter: Engine = {
  name: 'interpreter',
  prepare(insns, memory, env = {}) {
    const prog: DecodedProgram = decodeProgram(insns);
    return (ctx) => {
      const r = run(prog, { memory, args: [ctx], ...env });
      if (!r.ok) throw new Error(`fault at insn ${r.fault.pc}: ${r.fault.message}`);
      return [r.r0, r.insnsExecuted];
    };
  },
};

// The JIT to WebAssembly joins here when it lands.
const ENGINES: Engine[] = [interpreter];

interface Measure {
  nsPerRun: number;
  nsPerInsn: number;
  insns: number;
}

function measure(fn: () => [bigint, number], runsPerSample: number, samples: number): Measure {
  for (let i = 0; i < Math.max(3, runsPerSample); i++) fn(); // warm-up: let V8 optimise
  let best = Infinity;
  let insns = 0;
  for (let s = 0; s < samples; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < runsPerSample; i++) insns = fn()[1];
    const ns = Number(process.hrtime.bigint() - t0) / runsPerSample;
    best = Math.min(best, ns);
  }
  return { nsPerRun: best, nsPerInsn: best / insns, insns };
}

function aluWorkload(engine: Engine): Measure {
  const memory = new Memory();
  const exec = engine.prepare(aluLoop(), memory);
  const [r0] = exec(0n);
  // r0 = sum over the loop of (r0 + r1) ^ 0x12345: an independent check that the loop ran fully.
  let expect = 0n;
  for (let r1 = BigInt(ALU_LOOP_ITERATIONS); r1 > 0n; r1--) expect = BigInt.asUintN(64, (expect + r1) ^ 0x12345n);
  if (r0 !== expect) throw new Error(`${engine.name}: ALU loop returned ${r0}, expected ${expect}`);
  return measure(() => exec(0n), 1, 40);
}

function xdpWorkload(engine: Engine): Measure {
  const memory = new Memory();
  const built = buildContext(memory, 'xdp', defaultPacket());
  if (!built.ok) throw new Error(built.reason);
  const exec = engine.prepare(xdpParse(), memory);
  const [r0] = exec(built.ctxPointer);
  if (r0 !== 1n) throw new Error(`${engine.name}: XDP parse returned ${r0}, expected 1 (XDP_DROP for UDP/53)`);
  return measure(() => exec(built.ctxPointer), 20_000, 10);
}

function mapWorkload(engine: Engine): Measure {
  const created = createMap({ name: 'counts', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0 }, { cpus: 1 });
  if (!created.ok) throw new Error(created.message);
  const memory = new Memory();
  const binding = bindRuntime(new RuntimeSession([created.map]), memory);
  const exec = engine.prepare(mapLookupLoop(), memory, { helpers: binding.helpers, maps: binding.maps });
  const [r0] = exec(0n);
  const value = created.map.lookup(new Uint8Array(4), 0);
  const counted = value ? new DataView(value.buffer, value.byteOffset, 8).getBigUint64(0, true) : -1n;
  if (r0 !== BigInt(MAP_LOOP_ITERATIONS) || counted !== BigInt(MAP_LOOP_ITERATIONS)) {
    throw new Error(`${engine.name}: map loop returned ${r0} and counted ${counted}, expected ${MAP_LOOP_ITERATIONS}`);
  }
  return measure(() => {
    const out = exec(0n);
    binding.maps.releaseValues();
    return out;
  }, 1, 10);
}

function sixteenWorkload(engine: Engine): Measure {
  const created = createMap({ name: 'counts', type: 'array', keySize: 4, valueSize: 8, maxEntries: SIXTEEN, flags: 0 }, { cpus: 1 });
  if (!created.ok) throw new Error(created.message);
  const memory = new Memory();
  const binding = bindRuntime(new RuntimeSession([created.map]), memory);
  const exec = engine.prepare(sixteenLookups(), memory, { helpers: binding.helpers, maps: binding.maps });
  const [r0] = exec(0n);
  if (r0 !== 2n) throw new Error(`${engine.name}: 16 lookups returned ${r0}, expected 2`);
  const m = measure(() => exec(0n), 20_000, 10);
  // every run incremented every slot: an independent check that the lookups hit
  const runs = created.map.lookup(new Uint8Array(4), 0);
  const last = created.map.lookup(new Uint8Array([15, 0, 0, 0]), 0);
  const get = (v: Uint8Array | null): bigint => (v ? new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0, true) : -1n);
  if (get(runs) !== get(last) || get(runs) < 1n) throw new Error(`${engine.name}: slots 0 and 15 disagree: ${get(runs)} vs ${get(last)}`);
  return m;
}

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

console.log(`bpfiddle bench — Node ${process.version}, ${new Date().toISOString()}`);
const results = ENGINES.map((e) => ({ engine: e.name, alu: aluWorkload(e), xdp: xdpWorkload(e), map: mapWorkload(e), sixteen: sixteenWorkload(e) }));
for (const r of results) {
  console.log(`\n[${r.engine}]`);
  console.log(`  (a) 64-bit ALU loop, ${ALU_LOOP_ITERATIONS} iterations: ${fmt(r.alu.nsPerInsn)} ns/insn (${r.alu.insns} insns, ${fmt(r.alu.nsPerRun / 1e6, 1)} ms/run)`);
  console.log(`  (b) XDP parse of a 64-byte Eth/IPv4/UDP packet: ${fmt(r.xdp.nsPerRun, 0)} ns/run, ${fmt(r.xdp.nsPerInsn)} ns/insn (${r.xdp.insns} insns/run)`);
  console.log(`  (c) array-map lookup loop, ${MAP_LOOP_ITERATIONS} iterations: ${fmt(r.map.nsPerRun / MAP_LOOP_ITERATIONS, 1)} ns/iteration, ${fmt(r.map.nsPerInsn)} ns/insn (${r.map.insns} insns)`);
  console.log(`  (d) ${SIXTEEN} array-map lookups + increments: ${fmt(r.sixteen.nsPerRun, 0)} ns/run (target <= 600), ${fmt(r.sixteen.nsPerInsn)} ns/insn (${r.sixteen.insns} insns/run)`);
}
const base = results[0];
console.log(`\nratios vs ${base.engine} (time; lower is faster):`);
for (const r of results) {
  console.log(`  ${r.engine.padEnd(12)} alu ${fmt(r.alu.nsPerInsn / base.alu.nsPerInsn)}x  xdp ${fmt(r.xdp.nsPerRun / base.xdp.nsPerRun)}x  map ${fmt(r.map.nsPerRun / base.map.nsPerRun)}x  16-lookups ${fmt(r.sixteen.nsPerRun / base.sixteen.nsPerRun)}x`);
}
if (results.length === 1) console.log('  (only the interpreter exists so far; the JIT will be measured alongside it)');
