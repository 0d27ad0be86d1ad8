/**
 * `npx tsx scripts/fuzz-runs.ts [--count N] [--seed S] [--keep FILE]`:
 * differential fuzzing of test runs against the real kernel.
 *
 * Generates random programs that the verifier should accept and whose runs
 * are deterministic (no clocks, no random numbers; the stack they read is
 * written first, since as root the kernel lets programs read uninitialised
 * stack, whose bytes are garbage): ALU on scalars, packet loads and stores
 * behind a bounds check, stack traffic, array and hash map lookups /
 * updates / deletes, bpf_csum_diff, skb_load_bytes / l3_csum_replace on tc,
 * xdp_adjust_head / tail, skb change_tail / change_head / vlan push / pop,
 * forward branches. Each runs over three packets
 * with maps persisting, on the kernel (../shared/tools/kbpf.py, needs root)
 * and on bpfiddle's runtime; for programs the kernel accepts, retval,
 * data_out and the maps after the runs are compared.
 *
 * Prints the agreement and the first disagreements (with the bundle, to
 * replay with kbpf.py and `bin/bpfiddle run`).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { assemble } from '../src/core/asm/index.ts';
import { bytesToHex, encodeInsns, hexToBytes } from '../src/core/isa/insn.ts';
import { Rng } from '../src/core/interp/fuzz.ts';
import type { MapSpec, ProgType } from '../src/core/program.ts';
import { TestRunSession } from '../src/core/runtime/test-run.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    process.stderr.write(`fuzz-runs: ${name} needs a non-negative integer\n`);
    process.exit(2);
  }
  return v;
}
const keepIndex = process.argv.indexOf('--keep');
const keepFile = keepIndex >= 0 ? process.argv[keepIndex + 1] : undefined;
const COUNT = option('--count', 2000);
const SEED = option('--seed', Date.now() % 0x7fffffff);
const KBPF = process.env.KBPF ?? '/work/shared/tools/kbpf.py';

const UDP = '02000000000202000000000108004500003200010000401166b80a0000010a00000230390035001e0000' + '000102030405060708090a0b0c0d0e0f';
const TCP = '02000000000202000000000108004500002800010000400666cd0a0000010a0000029c40005000000001000000005002200000000000';
const LONG = UDP + 'a5'.repeat(40);
const PACKETS = [UDP, TCP, LONG];

const MAPS: MapSpec[] = [
  { name: 'arr', type: 'array', keySize: 4, valueSize: 8, maxEntries: 8, flags: 0 },
  { name: 'hash', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 8, flags: 0 },
];
const MAP_JSON = MAPS.map((m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags }));

/** Bytes of packet the bounds check guarantees. */
const PKT_WINDOW = 40;
const ALU_OPS = ['+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=', '<<=', '>>=', 's>>=', '='];
const JMP_OPS = ['==', '!=', '>', '>=', '<', '<=', 's>', 's<', '&'];

function generate(rng: Rng, progType: ProgType): string {
  const L: string[] = [];
  const reg = (): string => `r${rng.below(6)}`;
  const imm = (): number => (rng.below(4) === 0 ? (rng.next() | 0) : rng.below(64) - 8);
  const isXdp = progType === 'xdp';
  const dataOff = isXdp ? 0 : 76;
  const endOff = isXdp ? 4 : 80;
  const direct = progType !== 'socket_filter'; // socket filters read the packet with ld_abs / skb_load_bytes
  const reloadPacket = (): void => {
    if (!direct) return;
    L.push(`r7 = *(u32 *)(r6 + ${dataOff})`, `r8 = *(u32 *)(r6 + ${endOff})`, 'r9 = r7', `r9 += ${PKT_WINDOW}`, 'if r9 > r8 goto out');
  };
  const initScratch = (): void => {
    for (let r = 1; r <= 5; r++) L.push(`r${r} = ${imm()}`);
  };
  L.push('r6 = r1', 'r0 = 0');
  for (let off = 8; off <= 80; off += 8) L.push(`*(u64 *)(r10 - ${off}) = r0`);
  reloadPacket();
  // keep `out` reachable in the CFG when there is no packet bounds check
  if (!direct) L.push('if r0 != 0 goto out');
  initScratch();
  const blocks = 4 + rng.below(14);
  let label = 0;
  for (let b = 0; b < blocks; b++) {
    const kind = rng.below(14);
    if (kind <= 3) {
      const op = rng.pick(ALU_OPS);
      const w = rng.below(3) === 0 ? 'w' : 'r';
      const dst = `${w}${rng.below(6)}`;
      const shift = op.includes('<<') || op.includes('>>');
      const k = shift ? rng.below(w === 'w' ? 32 : 64) : imm();
      // a constant divisor of 0 is a verifier error ("div by zero"), not a run
      if (rng.below(2) === 0 || shift) L.push(`${dst} ${op} ${k === 0 && (op === '/=' || op === '%=') ? 3 : k}`);
      else L.push(`${dst} ${op} ${w}${rng.below(6)}`);
    } else if ((kind === 4 || kind === 5) && !direct) {
      // ld_abs: r0 = big-endian load, past the end ends the program with 0; clobbers r1-r5
      L.push(`r0 = *(u${rng.pick([8, 16, 32])} *)skb[${rng.below(70)}]`);
      initScratch();
    } else if (kind === 4) {
      const size = rng.pick([1, 2, 4, 8]);
      L.push(`${reg()} = *(u${size * 8} *)(r7 + ${rng.below(PKT_WINDOW - size + 1)})`);
    } else if (kind === 5) {
      const size = rng.pick([1, 2, 4, 8]);
      L.push(`*(u${size * 8} *)(r7 + ${rng.below(PKT_WINDOW - size + 1)}) = ${reg()}`);
    } else if (kind === 6) {
      const slot = 8 * (1 + rng.below(8));
      if (rng.below(2) === 0) L.push(`*(u64 *)(r10 - ${slot}) = ${reg()}`);
      else L.push(`${reg()} = *(u64 *)(r10 - ${slot})`);
    } else if (kind === 7 || kind === 8) {
      // map lookup, then add to or read the value
      const m = rng.below(2);
      const k = rng.below(10);
      const l = `L${label++}`;
      L.push(`r1 = ${k}`, '*(u32 *)(r10 - 84) = r1', `r1 = map[${m}] ll`, 'r2 = r10', 'r2 += -84', 'call 1', `if r0 == 0 goto ${l}`);
      if (rng.below(2) === 0) L.push(`r1 = ${imm()}`, 'lock *(u64 *)(r0 + 0) += r1');
      else L.push('r3 = *(u64 *)(r0 + 0)', '*(u64 *)(r10 - 8) = r3');
      L.push(`${l}:`, `r0 = ${imm()}`);
      initScratch();
    } else if (kind === 9) {
      // map update (any flag) or delete
      const m = rng.below(2);
      L.push(`r1 = ${rng.below(10)}`, '*(u32 *)(r10 - 84) = r1', `r1 = ${imm()}`, '*(u64 *)(r10 - 96) = r1', `r1 = map[${m}] ll`, 'r2 = r10', 'r2 += -84');
      if (rng.below(3) === 0) L.push('call 3');
      else L.push('r3 = r10', 'r3 += -96', `r4 = ${rng.below(3)}`, 'call 2');
      L.push('*(u64 *)(r10 - 16) = r0');
      initScratch();
    } else if (kind === 10 && direct) {
      // bpf_csum_diff over two stack buffers
      L.push('r1 = r10', 'r1 += -32', `r2 = ${4 * rng.below(3)}`, 'r3 = r10', 'r3 += -64', `r4 = ${4 * rng.below(5)}`, `r5 = ${imm()}`, 'call 28', '*(u64 *)(r10 - 24) = r0');
      initScratch();
    } else if (kind === 11 && isXdp) {
      L.push('r1 = r6', `r2 = ${rng.pick([-16, -8, -4, 2, 4, 14, 60, 300])}`, `call ${rng.below(2) === 0 ? 44 : 65}`, '*(u64 *)(r10 - 40) = r0');
      reloadPacket();
      initScratch();
    } else if (kind === 11) {
      L.push('r1 = r6', `r2 = ${rng.below(70)}`, 'r3 = r10', 'r3 += -48', 'r4 = 8', 'call 26', '*(u64 *)(r10 - 40) = r0');
      initScratch();
    } else if (kind === 12 && progType === 'sched_cls') {
      L.push('r1 = r6', `r2 = ${rng.pick([24, 26, 40, 24])}`, `r3 = ${imm()}`, `r4 = ${imm()}`, `r5 = ${rng.pick([2, 4])}`, 'call 10', '*(u64 *)(r10 - 40) = r0');
      reloadPacket();
      initScratch();
    } else if (kind === 13 && progType === 'sched_cls' && rng.below(2) === 0) {
      // resize: change_tail / change_head / vlan push / vlan pop, then re-check the packet
      const op = rng.below(4);
      if (op === 0) L.push('r1 = r6', `r2 = ${rng.pick([14, 40, 41, 60, 90, 200])}`, 'r3 = 0', 'call 38');
      else if (op === 1) L.push('r1 = r6', `r2 = ${rng.pick([0, 2, 4, 14])}`, 'r3 = 0', 'call 43');
      else if (op === 2) L.push('r1 = r6', `r2 = ${rng.pick([0x81, 0xa888])}`, `r3 = ${rng.below(4096)}`, 'call 18');
      else L.push('r1 = r6', 'call 19');
      L.push('*(u64 *)(r10 - 40) = r0');
      reloadPacket();
      initScratch();
    } else {
      // a forward branch over the next few lines
      const l = `L${label++}`;
      const src = rng.below(2) === 0 ? `${imm()}` : reg();
      L.push(`if ${reg()} ${rng.pick(JMP_OPS)} ${src} goto ${l}`, `${reg()} ${rng.pick(ALU_OPS.slice(0, 3))} ${imm()}`, `${l}:`);
    }
  }
  L.push(`r0 = ${reg()}`, 'exit', 'out:', 'r0 = 1', 'exit');
  return L.join('\n') + '\n';
}

interface KernelRun {
  retval?: number;
  dataOut?: string;
  errno?: number;
}
interface KernelResult {
  verdict?: string;
  runs?: KernelRun[];
  mapsAfter?: { name: string; entries: { key: string; value: string }[] | null }[];
  error?: string;
}

const rng = new Rng(SEED);
const types: ProgType[] = ['xdp', 'sched_cls', 'socket_filter'];
const bundles: { progType: ProgType; asm: string; insns: string }[] = [];
for (let i = 0; i < COUNT; i++) {
  const progType = types[i % types.length]!;
  const asm = generate(rng, progType);
  const a = assemble(asm);
  if (!a.ok) throw new Error(`generator bug: ${a.diagnostics[0]?.message}\n${asm}`);
  bundles.push({ progType, asm, insns: bytesToHex(encodeInsns(a.program.insns)) });
}
const input = bundles.map((b) => JSON.stringify({ progType: b.progType, insns: b.insns, maps: MAP_JSON, logLevel: 1, runs: PACKETS.map((data) => ({ data })) })).join('\n') + '\n';
if (keepFile) writeFileSync(keepFile, input);
const k = spawnSync('python3', [KBPF, '--batch', '-', '--no-log', '--fast'], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
if (k.status !== 0) {
  process.stderr.write(`fuzz-runs: kbpf.py failed: ${k.stderr}\n`);
  process.exit(2);
}
const kernel = k.stdout
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as KernelResult);

const sortEntries = (es: { key: string; value?: string }[]): string =>
  es
    .map((e) => `${e.key}=${e.value}`)
    .sort()
    .join(' ');
let accepted = 0;
let runsCompared = 0;
let runsEqual = 0;
let programsEqual = 0;
let mapsEqual = 0;
const shown: string[] = [];
bundles.forEach((b, i) => {
  const kr = kernel[i];
  if (!kr || kr.verdict !== 'accepted' || !kr.runs) return;
  accepted++;
  const a = assemble(b.asm);
  if (!a.ok) return;
  const created = TestRunSession.create(MAPS);
  if (!created.ok) throw new Error(created.error);
  const s = created.session;
  const id = s.load({ ...a.program, progType: b.progType, maps: MAPS });
  const ours = s.run(
    id,
    PACKETS.map((p) => {
      const bytes = hexToBytes(p);
      if (!bytes.ok) throw new Error(bytes.error);
      return { data: bytes.bytes };
    }),
  );
  let allEqual = true;
  kr.runs.forEach((want, j) => {
    runsCompared++;
    const got = ours[j];
    const same = want.errno ? got?.error !== undefined : got?.retval === want.retval && got?.dataOut === want.dataOut;
    if (same) runsEqual++;
    else {
      allEqual = false;
      if (shown.length < 8) shown.push(`program ${i} (${b.progType}) packet ${j}: kernel ${JSON.stringify(want)} ours ${JSON.stringify(got?.fault ?? { retval: got?.retval, dataOut: got?.dataOut })}\n${b.asm}`);
    }
  });
  const ourMaps = s.mapsAfter();
  const mapsSame = (kr.mapsAfter ?? []).every((m) => m.entries === null || sortEntries(m.entries) === sortEntries(ourMaps.find((o) => o.name === m.name)?.entries ?? []));
  if (mapsSame) mapsEqual++;
  else if (shown.length < 8) shown.push(`program ${i}: maps differ: kernel ${JSON.stringify(kr.mapsAfter)} ours ${JSON.stringify(ourMaps)}\n${b.asm}`);
  if (allEqual && mapsSame) programsEqual++;
});

for (const s of shown) process.stdout.write(s + '\n');
const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)} %`);
process.stdout.write(
  `fuzz-runs: seed ${SEED}, ${COUNT} programs, ${accepted} accepted by the kernel\n` +
    `  runs equal (retval + data_out): ${runsEqual}/${runsCompared} (${pct(runsEqual, runsCompared)})\n` +
    `  maps after equal: ${mapsEqual}/${accepted} (${pct(mapsEqual, accepted)})\n` +
    `  programs fully equal: ${programsEqual}/${accepted} (${pct(programsEqual, accepted)})\n`,
);
