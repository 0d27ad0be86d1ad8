/**
 * `npm run bench`: engine speed on fixed workloads (bench/workloads.ts).
 *  (a) a tight 64-bit ALU loop, 1,000,000 iterations — ns per instruction
 *      (the interpreter's target is <= 3 ns under Node 20);
 *  (b) an XDP parse of a 64-byte Ethernet/IPv4/UDP packet with bounds
 *      checks — ns per run (target <= 150) and per instruction;
 *  (c) map lookups from a loop (the runtime's array map and helpers) — ns
 *      per lookup iteration;
 *  (d) 16 array-map lookups + increments per run (target <= 600 ns/run).
 * Every engine in ENGINES runs the same workloads in the same process; ratios
 * are against the first. Times are the best of several samples after
 * warm-up, because the machine is shared and the minimum is the least noisy
 * figure. To compare the working tree against a git revision in one process,
 * use `npx tsx bench/ab.ts [rev]`.
 */
import { benchTyping } from './typing.ts';
import { MAP_LOOP_ITERATIONS, ALU_LOOP_ITERATIONS, SIXTEEN } from './programs.ts';
import { interpreterOf, loadKit, measure, workloads, type Engine, type Measure } from './workloads.ts';
import { runVerifierBench } from './verifier.ts';

const kit = await loadKit(new URL('../', import.meta.url));

// The JIT to WebAssembly joins here when it lands.
const ENGINES: Engine[] = [interpreterOf(kit)];

const SAMPLES = { alu: 40, xdp: 10, map: 10, sixteen: 10 } as const;

const fmt = (n: number, digits = 2): string => n.toFixed(digits);

console.log(`bpfiddle bench — Node ${process.version}, ${new Date().toISOString()}`);
const results = ENGINES.map((engine) => {
  const m = {} as Record<keyof typeof SAMPLES, Measure>;
  for (const w of workloads(kit, engine)) m[w.key] = measure(w, SAMPLES[w.key]);
  return { engine: engine.name, ...m };
});
for (const r of results) {
  console.log(`\n[${r.engine}]`);
  console.log(`  (a) 64-bit ALU loop, ${ALU_LOOP_ITERATIONS} iterations: ${fmt(r.alu.nsPerInsn)} ns/insn (target <= 3; ${r.alu.insns} insns, ${fmt(r.alu.nsPerRun / 1e6, 1)} ms/run)`);
  console.log(`  (b) XDP parse of a 64-byte Eth/IPv4/UDP packet: ${fmt(r.xdp.nsPerRun, 0)} ns/run (target <= 150), ${fmt(r.xdp.nsPerInsn)} ns/insn (${r.xdp.insns} insns/run)`);
  console.log(`  (c) array-map lookup loop, ${MAP_LOOP_ITERATIONS} iterations: ${fmt(r.map.nsPerRun / MAP_LOOP_ITERATIONS, 1)} ns/iteration, ${fmt(r.map.nsPerInsn)} ns/insn (${r.map.insns} insns)`);
  console.log(`  (d) ${SIXTEEN} array-map lookups + increments: ${fmt(r.sixteen.nsPerRun, 0)} ns/run (target <= 600), ${fmt(r.sixteen.nsPerInsn)} ns/insn (${r.sixteen.insns} insns/run)`);
}
const base = results[0];
console.log(`\nratios vs ${base.engine} (time; lower is faster):`);
for (const r of results) {
  console.log(`  ${r.engine.padEnd(12)} alu ${fmt(r.alu.nsPerInsn / base.alu.nsPerInsn)}x  xdp ${fmt(r.xdp.nsPerRun / base.xdp.nsPerRun)}x  map ${fmt(r.map.nsPerRun / base.map.nsPerRun)}x  16-lookups ${fmt(r.sixteen.nsPerRun / base.sixteen.nsPerRun)}x`);
}
if (results.length === 1) console.log('  (only the interpreter exists so far; the JIT will be measured alongside it)');

await runVerifierBench();

const typing = await benchTyping();
console.log(`\n[verify-as-you-type] (worker side: assemble + verify at log level 2 + rebuild the panels' states)`);
console.log(`  ${typing.insns}-instruction program: median ${fmt(typing.medianMs, 1)} ms, p90 ${fmt(typing.p90Ms, 1)} ms (target <= 50 ms after typing stops; the app waits 20 ms first)`);
