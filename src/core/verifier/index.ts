/**
 * The verifier: Linux 6.18's abstract interpretation of a BPF program, as
 * root (bpf_capable, allow_ptr_leaks, allow_uninit_stack), with the same
 * verdicts, messages and log format. bpf_check in kernel/bpf/verifier.c
 * is the model for the order of the passes.
 */
import { firstPassProblem } from '../isa/validate.ts';
import type { MapSpec, ProgramSpec } from '../program.ts';
import { checkCfg, findSubprogs } from './cfg.ts';
import { Env, VerifierReject } from './env.ts';
import { Explorer, doCheck, initialState } from './explore.ts';
import { InsnFormatter, kernelInsnText } from './insn-text.ts';
import { computeLiveRegs, liveRegsText } from './liveness.ts';
import { LogBuffer } from './log-buffer.ts';
import { mapValueLoadProblem } from './ldimm-maps.ts';
import { computeScc } from './precision-scc.ts';
import { StackLiveness, attachStackLiveness } from './stack-liveness.ts';
import type { VerifyOptions, VerifyResult } from './types.ts';

export type { VerifyOptions, VerifyResult, VerifierError, StateSnapshot, PathEvent, VerifyStats, Verdict } from './types.ts';

export const INSN_LIMIT = 1_000_000;

/**
 * Messages the 6.18 kernel prints without a trailing newline, so the next
 * log text (the stats line) runs on from them; the log mirrors that.
 */
const UNTERMINATED_MESSAGES = new Set(['expected prog array map for tail call']);

/** The kernel's last log line (print_verification_stats). */
export function statsLine(env: Pick<Env, 'insnProcessed' | 'insnLimit' | 'maxStatesPerInsn' | 'totalStates' | 'peakStates'>): string {
  return `processed ${env.insnProcessed} insns (limit ${env.insnLimit}) max_states_per_insn ${env.maxStatesPerInsn} total_states ${env.totalStates} peak_states ${env.peakStates} mark_read 0\n`;
}

/**
 * The maps the verifier knows: the program's, plus one nameless template per
 * map-in-map (ELF objects and bundles carry it as `innerMap`), which a
 * NULL-checked lookup in the outer map points to.
 */
function withInnerMaps(maps: readonly MapSpec[]): { maps: MapSpec[]; innerMapIndex: number[] } {
  const all: MapSpec[] = [...maps];
  const innerMapIndex = maps.map((m) => {
    const inner = (m as MapSpec & { innerMap?: MapSpec }).innerMap;
    if (!inner || typeof inner !== 'object') return -1;
    all.push({ ...inner, name: '' });
    return all.length - 1;
  });
  while (innerMapIndex.length < all.length) innerMapIndex.push(-1);
  return { maps: all, innerMapIndex };
}

/**
 * Log text kept by default: 16 MiB, the buffer libbpf and kbpf.py give the
 * kernel. A 1M-insn program at level 2 logs hundreds of MB, which would only
 * exhaust memory.
 */
export const LOG_LIMIT_DEFAULT = 16 << 20;

function newEnv(program: ProgramSpec, logLevel: 0 | 1 | 2, insnLimit: number, nrCpus: number, logLimit = LOG_LIMIT_DEFAULT): Env {
  const { maps, innerMapIndex } = withInnerMaps(Array.isArray(program.maps) ? program.maps : []);
  return {
    insns: program.insns,
    maps,
    innerMapIndex,
    progType: program.progType,
    logLevel,
    insnLimit,
    log: new LogBuffer(logLimit),
    cur: initialState(),
    insnIdx: 0,
    prevInsnIdx: -1,
    idGen: 0,
    insnProcessed: 0,
    jmpsProcessed: 0,
    prevJmpsProcessed: 0,
    prevInsnProcessed: 0,
    scratchedRegs: 0,
    scratchedSlots: new Set(),
    allScratched: true,
    subprogs: [],
    prunePoint: new Uint8Array(program.insns.length + 1),
    liveRegs: new Uint16Array(program.insns.length),
    seenPacketAccess: false,
    totalStates: 0,
    peakStates: 0,
    liveStates: 0,
    maxStatesPerInsn: 0,
    refInsns: new Map(),
    auxPtrType: [],
    visits: null,
    nrCpus,
  };
}

/** The error line kbpf reports: the last line of the error text, ignoring state dumps. */
function errorLineOf(lines: string[]): string {
  const real = lines.filter((l) => !l.startsWith('cur state:') && !l.startsWith('old state:'));
  return real.length ? real[real.length - 1] : (lines[lines.length - 1] ?? '');
}

export function verify(program: ProgramSpec, opts: VerifyOptions & { insnText?: InsnFormatter } = {}): VerifyResult {
  const started = Date.now();
  const logLevel = opts.logLevel ?? 1;
  const insnLimit = opts.insnLimit ?? INSN_LIMIT;
  const insns = program.insns;
  const env = newEnv(program, logLevel, insnLimit, opts.nrCpus ?? 2, opts.logLimit);
  if (opts.snapshots) env.visits = [];
  const result = (error: { lines: string[]; insn: number | null } | null): VerifyResult => {
    if (!error && logLevel === 1) env.log.reset(0);
    if (error && logLevel > 0) env.log.appendFinal(error.lines.map((l) => (UNTERMINATED_MESSAGES.has(l) ? l : `${l}\n`)).join(''));
    if (logLevel > 0) env.log.appendFinal(statsLine(env));
    return {
      verdict: error ? 'rejected' : 'accepted',
      error: error ? { insn: error.insn, message: errorLineOf(error.lines), lines: error.lines } : null,
      log: env.log.toString(),
      stats: {
        processedInsns: env.insnProcessed,
        totalStates: env.totalStates,
        peakStates: env.peakStates,
        maxStatesPerInsn: env.maxStatesPerInsn,
        durationMs: Date.now() - started,
      },
      snapshots: env.visits ?? [],
      paths: explorer?.paths ?? [],
    };
  };
  let explorer: Explorer | null = null;
  if (!Array.isArray(insns) || insns.length === 0) {
    return { ...result({ lines: ['program has no instructions'], insn: null }), log: '' };
  }
  if (insns.length > INSN_LIMIT) {
    return { ...result({ lines: [`program has ${insns.length} instructions, more than the limit of ${INSN_LIMIT}`], insn: null }), log: '' };
  }
  try {
    const cfg = checkCfgWithHeader(env);
    if ('message' in cfg) return result({ lines: [cfg.message], insn: cfg.insn });
    env.prunePoint = cfg.prunePoint;
    env.liveRegs = computeLiveRegs(insns, program.progType);
    attachStackLiveness(env, new StackLiveness({
      insns,
      subprogStarts: cfg.subprogStarts,
      prunePoint: cfg.prunePoint,
      // bpf_calls_callback: the helper calls that run a callback (bpf_loop, for_each_map_elem)
      callsCallback: (idx) => cfg.forceCheckpoint[idx] === 1 && insns[idx]?.code === 0x85,
      log: logLevel === 2 ? (text) => env.log.append(text) : null,
    }));
    if (logLevel === 2) {
      env.log.append('Live regs before insn:\n');
      const text = opts.insnText ?? kernelInsnText;
      const scc = computeScc(insns);
      for (let i = 0; i < insns.length; i++) {
        // 6.18 prefixes loop members with their SCC number
        const loop = scc[i] ? `${String(scc[i]).padStart(3)} ` : '    ';
        env.log.append(`${loop}${String(i).padStart(3)}: ${liveRegsText(env.liveRegs[i])} ${text(insns, i)}\n`);
        if (insns[i].code === 0x18) i++;
      }
    }
    explorer = {
      env,
      insnText: opts.insnText ?? kernelInsnText,
      license: program.license,
      stack: [],
      explored: new Map(),
      paths: [],
      forceCheckpoint: cfg.forceCheckpoint,
    };
    doCheck(explorer);
    return result(null);
  } catch (e) {
    if (e instanceof VerifierReject) {
      explorer?.paths.push({ kind: 'error', insn: e.insn ?? -1 });
      return result({ lines: e.lines, insn: e.insn });
    }
    const msg = e instanceof Error ? e.message : String(e);
    return result({ lines: [`internal verifier error: ${msg}`], insn: env.insnIdx });
  }
}

/** check_subprogs (with the level-2 "func#N @M" header), resolve_pseudo_ldimm64's checks, then check_cfg. */
function checkCfgWithHeader(env: Env): ReturnType<typeof checkCfg> {
  const insns = env.insns;
  const sub = findSubprogs(insns);
  if ('message' in sub && sub.message === 'call to invalid destination') return sub;
  if (env.logLevel === 2) {
    const starts = 'message' in sub ? [0] : sub.starts;
    for (let i = 0; i < starts.length; i++) env.log.append(`func#${i} @${starts[i]}\n`);
  }
  if ('message' in sub) return sub;
  const first = firstPassProblem(insns);
  if (first) return { message: first.message, insn: null };
  const mapValue = mapValueLoadProblem(insns, env.maps);
  if (mapValue) return { message: mapValue, insn: null };
  return checkCfg(insns, sub.starts);
}
