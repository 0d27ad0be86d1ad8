/**
 * `npx tsx scripts/fuzz-runs.ts [--count N] [--seed S] [--keep FILE] [--types T,...] [--show N]`:
 * differential fuzzing of test runs against the real kernel.
 *
 * Generates random programs that the verifier should accept and whose runs
 * are deterministic (no clocks, no random numbers; the stack they read is
 * written first, since as root the kernel lets programs read uninitialised
 * stack, whose bytes are garbage): ALU on scalars, packet loads and stores
 * behind a bounds check, stack traffic, array and hash map lookups /
 * updates / deletes, bpf_csum_diff, skb_load_bytes / l3_csum_replace on tc,
 * xdp_adjust_head / tail, skb change_tail / change_head / vlan push / pop,
 * forward branches, reads and writes of ctx fields. Each runs over three
 * packets with maps persisting, on the kernel (../shared/tools/kbpf.py, needs
 * root) and on bpfiddle's runtime; for programs the kernel accepts, retval,
 * data_out (or the errno of a refused run) and the maps after the runs are
 * compared. Half the xdp / sched_cls / socket_filter runs get a random
 * ctx_in (xdp_md: metadata, data_end, ifindex, rx queue; __sk_buff: mark,
 * priority, cb, tstamp, ifindexes, wire_len, gso fields, and now and then a
 * field that cannot be set); raw_tracepoint programs read random argument
 * arrays of random sizes (run through
 * test-data/runtime/record-raw-tp-runs.py --batch, since kbpf.py's test run
 * passes fields raw_tracepoint refuses).
 *
 * `--types xdp,raw_tracepoint` limits the program types.
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
const RAW_TP_ORACLE = new URL('../test-data/runtime/record-raw-tp-runs.py', import.meta.url).pathname;
const SHOW = option('--show', 8);

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

/** [offset, size] of ctx fields a program of the type may read (xdp_md, __sk_buff, raw_tracepoint args). */
const READABLE: Partial<Record<ProgType, [number, number][]>> = {
  xdp: [
    [12, 4],
    [16, 4],
  ],
  sched_cls: [0, 4, 8, 12, 16, 32, 36, 40, 44, 48, 52, 56, 60, 64, 72, 160, 164, 176].map((o): [number, number] => [o, 4]).concat([
    [152, 8],
    [184, 8],
  ]),
  socket_filter: [0, 4, 8, 12, 16, 32, 36, 40, 48, 52, 56, 60, 64].map((o): [number, number] => [o, 4]),
};
/** ... and may write */
const WRITABLE: Partial<Record<ProgType, [number, number][]>> = {
  sched_cls: [8, 32, 44, 48, 52, 56, 60, 64, 72].map((o): [number, number] => [o, 4]).concat([[152, 8]]),
  socket_filter: [48, 52, 56, 60, 64].map((o): [number, number] => [o, 4]),
};
const SIZE_NAME: Record<number, string> = { 1: 'u8', 2: 'u16', 4: 'u32', 8: 'u64' };

function generate(rng: Rng, progType: ProgType): string {
  const L: string[] = [];
  const reg = (): string => `r${rng.below(6)}`;
  const imm = (): number => (rng.below(4) === 0 ? (rng.next() | 0) : rng.below(64) - 8);
  const isXdp = progType === 'xdp';
  const isRawTp = progType === 'raw_tracepoint';
  const dataOff = isXdp ? 0 : 76;
  const endOff = isXdp ? 4 : 80;
  // socket filters read the packet with ld_abs / skb_load_bytes; raw_tracepoint has no packet
  const direct = progType !== 'socket_filter' && !isRawTp;
  const ctxRead = (): void => {
    if (isRawTp) {
      // any aligned read of the 12 u64 arguments
      const size = rng.pick([8, 8, 4, 2, 1]);
      L.push(`${reg()} = *(${SIZE_NAME[size]} *)(r6 + ${size * rng.below(96 / size)})`);
      return;
    }
    if (isXdp && rng.below(3) === 0) {
      // the metadata length: data - data_meta
      // (r3 = 0: the data_meta pointer must not leak into the result or the packet)
      L.push('r2 = *(u32 *)(r6 + 0)', 'r3 = *(u32 *)(r6 + 8)', 'r2 -= r3', 'r3 = 0', `${reg()} ^= r2`);
      return;
    }
    const [off, size] = rng.pick(READABLE[progType] ?? [[0, 4]]);
    L.push(`${reg()} = *(${SIZE_NAME[size]} *)(r6 + ${off})`);
  };
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
    const kind = rng.below(16);
    if (kind <= 3) {
      const op = rng.pick(ALU_OPS);
      const w = rng.below(3) === 0 ? 'w' : 'r';
      const dst = `${w}${rng.below(6)}`;
      const shift = op.includes('<<') || op.includes('>>');
      const k = shift ? rng.below(w === 'w' ? 32 : 64) : imm();
      // a constant divisor of 0 is a verifier error ("div by zero"), not a run
      if (rng.below(2) === 0 || shift) L.push(`${dst} ${op} ${k === 0 && (op === '/=' || op === '%=') ? 3 : k}`);
      else L.push(`${dst} ${op} ${w}${rng.below(6)}`);
    } else if (kind === 14 || (isRawTp && kind <= 5)) {
      ctxRead();
    } else if (kind === 15 && WRITABLE[progType]) {
      const [off, size] = rng.pick(WRITABLE[progType]!);
      L.push(`*(${SIZE_NAME[size]} *)(r6 + ${off}) = ${reg()}`);
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
    } else if (kind === 11 && !isRawTp) {
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

/** Random little-endian fields into a ctx_in of `size` bytes. */
function ctxBytes(size: number, fields: [number, number, number | bigint][]): string {
  const b = new Uint8Array(size + 8);
  const v = new DataView(b.buffer);
  for (const [off, len, value] of fields) {
    if (len === 8) v.setBigUint64(off, BigInt.asUintN(64, BigInt(value)), true);
    else v.setUint32(off, Number(value) >>> 0, true);
  }
  return bytesToHex(b.subarray(0, size));
}

/** A random xdp_md / __sk_buff / argument array as ctx_in, or undefined (no ctx_in). */
function randomCtx(rng: Rng, progType: ProgType, packetLen: number): string | undefined {
  if (progType === 'raw_tracepoint') {
    const size = rng.pick([96, 96, 8 * rng.below(13), rng.below(104), 0]);
    const b = new Uint8Array(size);
    for (let i = 0; i < size; i++) b[i] = rng.below(3) === 0 ? 0 : rng.below(256);
    return bytesToHex(b);
  }
  if (rng.below(2) === 0) return undefined;
  const word = (): number => (rng.below(3) === 0 ? 0 : rng.below(2) === 0 ? rng.below(16) : rng.next());
  if (progType === 'xdp') {
    const meta = rng.pick([0, 0, 0, 4, 8, 16, 32, 6, 252, 256]);
    const end = rng.pick([packetLen, packetLen, packetLen, 0, packetLen - 4, 14, meta + 14, packetLen + 1]);
    const fields: [number, number, number][] = [
      [0, 4, meta],
      [4, 4, end],
      [12, 4, rng.pick([0, 0, 1, 1, 99])],
      [16, 4, rng.pick([0, 0, 0, 1])],
    ];
    if (rng.below(10) === 0) fields.push([8, 4, 4]);
    if (rng.below(10) === 0) fields.push([20, 4, 1]);
    const size = rng.pick([24, 24, 24, 16, 32]);
    if (size === 32 && rng.below(2) === 0) fields.push([28, 4, 1]);
    return ctxBytes(size, fields.filter(([off]) => off + 4 <= size));
  }
  const fields: [number, number, number | bigint][] = [
    [8, 4, word()],
    [32, 4, word()],
    [36, 4, rng.pick([0, 0, 1, 5, 99])],
    [40, 4, rng.pick([0, 0, 1, 99])],
    [48, 4, word()],
    [52, 4, word()],
    [64, 4, word()],
    [152, 8, rng.below(2) === 0 ? 0n : BigInt(rng.next()) * 1000n],
    [160, 4, rng.pick([0, 0, packetLen, packetLen + 10, packetLen - 1, 70000])],
    [164, 4, rng.pick([0, 0, 1, 70000])],
    [176, 4, rng.pick([0, 0, 1400])],
    [184, 8, rng.below(2) === 0 ? 0n : BigInt(rng.next())],
  ];
  // now and then a field that cannot be set (len, hash, tc_index, data...)
  if (rng.below(12) === 0) fields.push([rng.pick([0, 4, 16, 44, 68, 76, 140, 168]), 4, 1]);
  const size = rng.pick([192, 192, 192, 192, 12, 100, 200]);
  if (size === 200 && rng.below(2) === 0) fields.push([196, 4, 1]);
  return ctxBytes(size, fields.filter(([off, len]) => off + len <= size));
}

interface KernelRun {
  retval?: number;
  dataOut?: string;
  errno?: number | string;
  errnoName?: string;
}
interface KernelResult {
  verdict?: string;
  runs?: KernelRun[];
  mapsAfter?: { name: string; entries: { key: string; value: string }[] | null }[];
  error?: string;
}
interface Bundle {
  progType: ProgType;
  asm: string;
  insns: string;
  runs: { data?: string; ctx?: string }[];
}

const typesIndex = process.argv.indexOf('--types');
const ALL_TYPES: ProgType[] = ['xdp', 'sched_cls', 'socket_filter', 'raw_tracepoint'];
const types = typesIndex >= 0 ? (process.argv[typesIndex + 1] ?? '').split(',').filter((t): t is ProgType => ALL_TYPES.includes(t as ProgType)) : ALL_TYPES;
if (types.length === 0) {
  process.stderr.write(`fuzz-runs: --types takes a comma-separated list of ${ALL_TYPES.join(', ')}\n`);
  process.exit(2);
}

const rng = new Rng(SEED);
const bundles: Bundle[] = [];
for (let i = 0; i < COUNT; i++) {
  const progType = types[i % types.length]!;
  const asm = generate(rng, progType);
  const a = assemble(asm);
  if (!a.ok) throw new Error(`generator bug: ${a.diagnostics[0]?.message}\n${asm}`);
  const runs =
    progType === 'raw_tracepoint'
      ? [0, 1, 2].map(() => ({ ctx: randomCtx(rng, progType, 0) }))
      : PACKETS.map((data) => {
          const ctx = randomCtx(rng, progType, data.length / 2);
          return ctx === undefined ? { data } : { data, ctx };
        });
  bundles.push({ progType, asm, insns: bytesToHex(encodeInsns(a.program.insns)), runs });
}

/** Run bundles on the kernel with `tool` (JSON lines in and out, one result per bundle, in order). */
function kernelRun(tool: string, args: string[], list: Bundle[]): KernelResult[] {
  if (list.length === 0) return [];
  const input = list.map((b) => JSON.stringify({ progType: b.progType, insns: b.insns, maps: MAP_JSON, logLevel: 1, runs: b.runs })).join('\n') + '\n';
  const k = spawnSync('python3', [tool, ...args], { input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (k.status !== 0) {
    process.stderr.write(`fuzz-runs: ${tool} failed: ${k.stderr}\n`);
    process.exit(2);
  }
  return k.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as KernelResult);
}
const packetBundles = bundles.filter((b) => b.progType !== 'raw_tracepoint');
const rawTpBundles = bundles.filter((b) => b.progType === 'raw_tracepoint');
if (keepFile) writeFileSync(keepFile, bundles.map((b) => JSON.stringify({ progType: b.progType, insns: b.insns, maps: MAP_JSON, logLevel: 1, runs: b.runs })).join('\n') + '\n');
const packetResults = kernelRun(KBPF, ['--batch', '-', '--no-log', '--fast'], packetBundles);
const rawTpResults = kernelRun(RAW_TP_ORACLE, ['--batch'], rawTpBundles);
const kernelOf = new Map<Bundle, KernelResult>();
packetBundles.forEach((b, i) => kernelOf.set(b, packetResults[i]!));
rawTpBundles.forEach((b, i) => kernelOf.set(b, rawTpResults[i]!));

const hex = (h: string | undefined): Uint8Array => {
  const bytes = hexToBytes(h ?? '');
  if (!bytes.ok) throw new Error(bytes.error);
  return bytes.bytes;
};
const sortEntries = (es: { key: string; value?: string }[]): string =>
  es
    .map((e) => `${e.key}=${e.value}`)
    .sort()
    .join(' ');
const perType = new Map<ProgType, { runs: number; equal: number }>();
let accepted = 0;
let runsCompared = 0;
let runsEqual = 0;
let programsEqual = 0;
let mapsEqual = 0;
const shown: string[] = [];
bundles.forEach((b, i) => {
  const kr = kernelOf.get(b);
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
    b.runs.map((r) => ({ data: hex(r.data), ...(r.ctx !== undefined && { ctx: hex(r.ctx) }) })),
  );
  const stats = perType.get(b.progType) ?? { runs: 0, equal: 0 };
  perType.set(b.progType, stats);
  let allEqual = true;
  kr.runs.forEach((want, j) => {
    runsCompared++;
    stats.runs++;
    const got = ours[j];
    // a refused run: the same errno (ours start with its name)
    // (kbpf.py gives errno and errnoName, record-raw-tp-runs.py the name in errno)
    const same = want.errno ? got?.error?.split(':')[0] === (want.errnoName ?? want.errno) : got?.error === undefined && got?.retval === want.retval && (b.progType === 'raw_tracepoint' || got?.dataOut === want.dataOut);
    if (same) {
      runsEqual++;
      stats.equal++;
    } else {
      allEqual = false;
      if (shown.length < SHOW) shown.push(`program ${i} (${b.progType}) run ${j} ${JSON.stringify(b.runs[j])}: kernel ${JSON.stringify(want)} ours ${JSON.stringify(got?.error ?? got?.fault ?? { retval: got?.retval, dataOut: got?.dataOut })}\n${b.asm}`);
    }
  });
  const ourMaps = s.mapsAfter();
  const mapsSame = (kr.mapsAfter ?? []).every((m) => m.entries === null || sortEntries(m.entries) === sortEntries(ourMaps.find((o) => o.name === m.name)?.entries ?? []));
  if (mapsSame) mapsEqual++;
  else if (shown.length < SHOW) shown.push(`program ${i}: maps differ: kernel ${JSON.stringify(kr.mapsAfter)} ours ${JSON.stringify(ourMaps)}\n${b.asm}`);
  if (allEqual && mapsSame) programsEqual++;
});

for (const s of shown) process.stdout.write(s + '\n');
const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)} %`);
process.stdout.write(
  `fuzz-runs: seed ${SEED}, ${COUNT} programs, ${accepted} accepted by the kernel\n` +
    `  runs equal (retval + data_out, or the errno of a refusal): ${runsEqual}/${runsCompared} (${pct(runsEqual, runsCompared)})\n` +
    [...perType].map(([t, st]) => `    ${t}: ${st.equal}/${st.runs} (${pct(st.equal, st.runs)})\n`).join('') +
    `  maps after equal: ${mapsEqual}/${accepted} (${pct(mapsEqual, accepted)})\n` +
    `  programs fully equal: ${programsEqual}/${accepted} (${pct(programsEqual, accepted)})\n`,
);
