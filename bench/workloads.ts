/**
 * The bench workloads, written against a "kit" — the handful of modules an
 * engine run needs (decoder, run, memory, contexts, runtime, maps) — so the
 * same workload code can drive the working tree and an older snapshot of it
 * in one process (bench/ab.ts). Each workload checks its result against an
 * independent computation before it is timed.
 */
import type * as ContextsModule from '../src/core/interp/contexts.ts';
import type * as DecodeModule from '../src/core/interp/decode.ts';
import type * as MemoryModule from '../src/core/interp/memory.ts';
import type * as VmModule from '../src/core/interp/vm.ts';
import type * as RuntimeModule from '../src/core/runtime/helpers/index.ts';
import type * as MapsModule from '../src/core/runtime/maps/index.ts';
import type { Insn } from '../src/core/isa/insn.ts';
import { ALU_LOOP_ITERATIONS, MAP_LOOP_ITERATIONS, SIXTEEN, aluLoop, mapLookupLoop, sixteenLookups, xdpParse } from './programs.ts';

export interface Kit {
  decode: typeof DecodeModule;
  vm: typeof VmModule;
  memory: typeof MemoryModule;
  contexts: typeof ContextsModule;
  runtime: typeof RuntimeModule;
  maps: typeof MapsModule;
}

/** Load a kit from a source tree root (a directory holding src/core). */
export async function loadKit(root: URL): Promise<Kit> {
  const at = (path: string): string => new URL(path, root).href;
  const [decode, vm, memory, contexts, runtime, maps] = await Promise.all([
    import(at('src/core/interp/decode.ts')) as Promise<typeof DecodeModule>,
    import(at('src/core/interp/vm.ts')) as Promise<typeof VmModule>,
    import(at('src/core/interp/memory.ts')) as Promise<typeof MemoryModule>,
    import(at('src/core/interp/contexts.ts')) as Promise<typeof ContextsModule>,
    import(at('src/core/runtime/helpers/index.ts')) as Promise<typeof RuntimeModule>,
    import(at('src/core/runtime/maps/index.ts')) as Promise<typeof MapsModule>,
  ]);
  return { decode, vm, memory, contexts, runtime, maps };
}

/** One run of a prepared workload: [r0, instructions executed]. */
export type RunOnce = () => [bigint, number];

export interface Workload {
  key: 'alu' | 'xdp' | 'map' | 'sixteen';
  /** how many runs one timing sample averages over */
  runsPerSample: number;
  once: RunOnce;
}

export type BenchMemory = InstanceType<Kit['memory']['Memory']>;
/** Helpers and map resolver for programs that use maps. */
export type RunEnv = Pick<VmModule.RunOptions, 'helpers' | 'maps'>;

export interface Engine {
  name: string;
  /** compile once; the returned function runs the program with r1 = ctx and returns [r0, insns executed] */
  prepare(insns: Insn[], memory: BenchMemory, env?: RunEnv): (ctx: bigint) => [bigint, number];
}

/**
 * The kit's interpreter. Decodes once and builds the run options once: a
 * caller running many packets reuses them, so per-run allocation in the
 * harness is not charged to the engine.
 */
export function interpreterOf(kit: Kit, name = 'interpreter'): Engine {
  return {
    name,
    prepare(insns, memory, env = {}) {
      const prog = kit.decode.decodeProgram(insns);
      const args = [0n];
      const opts: VmModule.RunOptions = { memory, args, ...env };
      return (ctx) => {
        args[0] = ctx;
        const r = kit.vm.run(prog, opts);
        if (!r.ok) throw new Error(`fault at insn ${r.fault.pc}: ${r.fault.message}`);
        return [r.r0, r.insnsExecuted];
      };
    },
  };
}

function prepare(engine: Engine, insns: Insn[], memory: BenchMemory, ctx: bigint, env?: RunEnv): RunOnce {
  const exec = engine.prepare(insns, memory, env);
  return () => exec(ctx);
}

function aluWorkload(kit: Kit, engine: Engine): Workload {
  const once = prepare(engine, aluLoop(), new kit.memory.Memory(), 0n);
  const [r0] = once();
  // r0 = sum over the loop of (r0 + r1) ^ 0x12345: an independent check that the loop ran fully.
  let expect = 0n;
  for (let r1 = BigInt(ALU_LOOP_ITERATIONS); r1 > 0n; r1--) expect = BigInt.asUintN(64, (expect + r1) ^ 0x12345n);
  if (r0 !== expect) throw new Error(`ALU loop returned ${r0}, expected ${expect}`);
  return { key: 'alu', runsPerSample: 1, once };
}

function xdpWorkload(kit: Kit, engine: Engine): Workload {
  const memory = new kit.memory.Memory();
  const built = kit.contexts.buildContext(memory, 'xdp', kit.contexts.defaultPacket());
  if (!built.ok) throw new Error(built.reason);
  const once = prepare(engine, xdpParse(), memory, built.ctxPointer);
  const [r0] = once();
  if (r0 !== 1n) throw new Error(`XDP parse returned ${r0}, expected 1 (XDP_DROP for UDP/53)`);
  return { key: 'xdp', runsPerSample: 20_000, once };
}

function u64At(v: Uint8Array | null): bigint {
  return v ? new DataView(v.buffer, v.byteOffset, 8).getBigUint64(0, true) : -1n;
}

function mapWorkload(kit: Kit, engine: Engine): Workload {
  const created = kit.maps.createMap({ name: 'counts', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0 }, { cpus: 1 });
  if (!created.ok) throw new Error(created.message);
  const memory = new kit.memory.Memory();
  const binding = kit.runtime.bindRuntime(new kit.runtime.RuntimeSession([created.map]), memory);
  const run = prepare(engine, mapLookupLoop(), memory, 0n, { helpers: binding.helpers, maps: binding.maps });
  const [r0] = run();
  const counted = u64At(created.map.lookup(new Uint8Array(4), 0));
  if (r0 !== BigInt(MAP_LOOP_ITERATIONS) || counted !== BigInt(MAP_LOOP_ITERATIONS)) {
    throw new Error(`map loop returned ${r0} and counted ${counted}, expected ${MAP_LOOP_ITERATIONS}`);
  }
  const once: RunOnce = () => {
    const out = run();
    binding.maps.releaseValues();
    return out;
  };
  return { key: 'map', runsPerSample: 1, once };
}

function sixteenWorkload(kit: Kit, engine: Engine): Workload {
  const created = kit.maps.createMap({ name: 'counts', type: 'array', keySize: 4, valueSize: 8, maxEntries: SIXTEEN, flags: 0 }, { cpus: 1 });
  if (!created.ok) throw new Error(created.message);
  const memory = new kit.memory.Memory();
  const binding = kit.runtime.bindRuntime(new kit.runtime.RuntimeSession([created.map]), memory);
  const run = prepare(engine, sixteenLookups(), memory, 0n, { helpers: binding.helpers, maps: binding.maps });
  const before = u64At(created.map.lookup(new Uint8Array([15, 0, 0, 0]), 0));
  const [r0] = run();
  if (r0 !== 2n) throw new Error(`16 lookups returned ${r0}, expected 2`);
  // every run increments every slot: an independent check that the lookups hit
  const first = u64At(created.map.lookup(new Uint8Array(4), 0));
  const last = u64At(created.map.lookup(new Uint8Array([15, 0, 0, 0]), 0));
  if (first !== last || last !== before + 1n) throw new Error(`slots 0 and 15 disagree: ${first} vs ${last} (was ${before})`);
  return { key: 'sixteen', runsPerSample: 20_000, once: run };
}

/** The four workloads, checked once, ready to time. `kit` supplies memory, contexts and maps. */
export function workloads(kit: Kit, engine: Engine = interpreterOf(kit)): Workload[] {
  return [aluWorkload(kit, engine), xdpWorkload(kit, engine), mapWorkload(kit, engine), sixteenWorkload(kit, engine)];
}

export interface Measure {
  nsPerRun: number;
  nsPerInsn: number;
  insns: number;
}

/** Warm up, then the best of `samples` samples (the minimum is the least noisy figure on a shared machine). */
export function measure(w: Workload, samples: number): Measure {
  for (let i = 0; i < Math.max(3, w.runsPerSample); i++) w.once();
  let best = Infinity;
  let insns = 0;
  for (let s = 0; s < samples; s++) best = Math.min(best, sample(w, (n) => (insns = n)));
  return { nsPerRun: best, nsPerInsn: best / insns, insns };
}

/** One timing sample: ns per run averaged over w.runsPerSample runs. */
export function sample(w: Workload, insnsSeen: (n: number) => void): number {
  let insns = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < w.runsPerSample; i++) insns = w.once()[1];
  const ns = Number(process.hrtime.bigint() - t0) / w.runsPerSample;
  insnsSeen(insns);
  return ns;
}
