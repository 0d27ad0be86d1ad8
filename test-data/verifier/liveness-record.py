#!/usr/bin/env python3
"""Records test-data/verifier/liveness.jsonl (stack liveness, level-2 log goldens).

Handwritten bundles (direct map-value loads on maps with and without direct
value access, a sub-program writing its caller's stack, a dead spill, AND/OR forks of
[-1, 0] scalars) are
loaded on the running kernel at log level 2 with kbpf.py; fuzzer programs are
taken from files written by `npx tsx scripts/fuzz-kernel-liveness.ts SAVED.jsonl
--write MATCHED.jsonl` (kernel records of programs whose whole level-2 log we
matched), at most four per generator shape, preferring logs with liveness
lines or loop numbers.

  python3 test-data/verifier/liveness-record.py [--ids ID,ID...] MATCHED.jsonl... > test-data/verifier/liveness.jsonl

--ids adds these programs whatever their shape count (e.g. ones a fix was for).
"""
import collections, json, re, struct, subprocess, sys, tempfile

KBPF = '/work/shared/tools/kbpf.py'

def ins(code, dst, src, off, imm):
    return struct.pack('<BBhi', code, dst | (src << 4), off, imm).hex()

def hand():
    rows = []
    def mv(src, off):
        return ins(0x18, 1, src, 0, 0) + ins(0, 0, 0, 0, off) + ins(0x79, 0, 1, 0, 0) + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0)
    for (t, me, off, src) in [('array', 1, 0, 2), ('array', 1, 8, 2), ('array', 1, 16, 2), ('array', 4, 0, 2), ('array', 2, 8, 2),
                              ('hash', 1, 0, 2), ('percpu_array', 1, 0, 2), ('array', 1, 12, 6), ('array', 3, 0, 6)]:
        rows.append({'id': f'mapvalue-{t}-{me}-{off}-{src}', 'progType': 'xdp', 'insns': mv(src, off),
                     'maps': [{'name': 'm', 'type': t, 'keySize': 4, 'valueSize': 16, 'maxEntries': me}]})
    p = (ins(0x7a, 10, 0, -8, 0) + ins(0x7a, 10, 0, -16, 0) + ins(0xbf, 1, 10, 0, 0) + ins(0x07, 1, 0, 0, -8) + ins(0x85, 0, 1, 0, 4)
         + ins(0x79, 0, 10, -8, 0) + ins(0x79, 2, 10, -16, 0) + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0)
         + ins(0x7a, 1, 0, 0, 7) + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0))
    rows.append({'id': 'hand-subprog-writes-caller', 'progType': 'xdp', 'insns': p, 'maps': []})
    p = (ins(0x61, 6, 1, 0, 0) + ins(0xb7, 7, 0, 0, 0) + ins(0x25, 6, 0, 2, 10) + ins(0x7b, 10, 6, -8, 0) + ins(0x05, 0, 0, 1, 0)
         + ins(0x7b, 10, 7, -8, 0) + ins(0xb7, 0, 0, 0, 0) + ins(0x25, 6, 0, 1, 20) + ins(0xb7, 0, 0, 0, 1) + ins(0x95, 0, 0, 0, 0))
    rows.append({'id': 'hand-dead-spill', 'progType': 'xdp', 'insns': p, 'maps': []})
    # maybe_fork_scalars: AND/OR of a constant into a scalar in [-1, 0] (64-bit or low 32 bits) splits the path
    ops = {'add': 0x00, 'or': 0x40, 'and': 0x50, 'xor': 0xa0}
    for name, o in ops.items():
        for cls_, clsn in ((0x07, '64'), (0x04, '32')):
            pre = ins(0x85, 0, 0, 0, 5) + ins(0xbf, 6, 0, 0, 0) + ins(0xc7, 6, 0, 0, 63) + ins(0xb7, 7, 0, 0, 5)
            for src, op_ in ((0, ins(cls_ | o, 6, 0, 0, 5)), (8, ins(cls_ | o | 8, 6, 7, 0, 0))):
                rows.append({'id': f'fork-{name}{clsn}{"X" if src else "K"}', 'progType': 'xdp', 'insns': pre + op_ + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0), 'maps': []})
    pre = ins(0x85, 0, 0, 0, 5) + ins(0xbf, 6, 0, 0, 0) + ins(0xc4, 6, 0, 0, 31)
    rows.append({'id': 'fork-w-and64K', 'progType': 'xdp', 'insns': pre + ins(0x57, 6, 0, 0, 5) + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0), 'maps': []})
    pre = ins(0x85, 0, 0, 0, 5) + ins(0xc7, 0, 0, 0, 63) + ins(0xbf, 6, 0, 0, 0)
    rows.append({'id': 'fork-and64K-linked', 'progType': 'xdp', 'insns': pre + ins(0x57, 6, 0, 0, 5) + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0), 'maps': []})
    pre = ins(0x85, 0, 0, 0, 5) + ins(0xbf, 7, 0, 0, 0) + ins(0x85, 0, 0, 0, 5) + ins(0xbf, 6, 0, 0, 0) + ins(0xc7, 6, 0, 0, 63)
    rows.append({'id': 'fork-none-and64X-unknown', 'progType': 'xdp', 'insns': pre + ins(0x5f, 6, 7, 0, 0) + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0), 'maps': []})
    # the fork makes both offsets exact: fp-64 + (-1 | 8) is in bounds, [-1, 8] would be too, an OR range is not
    p = (ins(0x85, 0, 0, 0, 5) + ins(0xbf, 6, 0, 0, 0) + ins(0xc7, 6, 0, 0, 29) + ins(0xc7, 6, 0, 0, 46) + ins(0xc7, 6, 0, 0, 17)
         + ins(0x47, 6, 0, 0, 8) + ins(0x47, 6, 0, 0, 0) + ins(0x7a, 10, 0, -64, 0) + ins(0x7a, 10, 0, -56, 0) + ins(0xbf, 2, 10, 0, 0)
         + ins(0x07, 2, 0, 0, -64) + ins(0x0f, 2, 6, 0, 0) + ins(0x71, 0, 2, 4, 0) + ins(0xb7, 0, 0, 0, 0) + ins(0x95, 0, 0, 0, 0))
    rows.append({'id': 'fork-or-stack-offset', 'progType': 'sched_cls', 'insns': p, 'maps': []})
    with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False) as f:
        for r in rows:
            f.write(json.dumps(r) + '\n')
    out = subprocess.run(['python3', KBPF, '--batch', f.name, '--log-level', '2'], capture_output=True, text=True, check=True).stdout.strip().split('\n')
    keep = ['verdict', 'errorInsn', 'errorLine', 'processedInsns', 'totalStates', 'peakStates', 'log']
    return [{'id': b['id'], 'bundle': {k: b[k] for k in ('progType', 'insns', 'maps')}, 'kernel': {k: json.loads(o).get(k) for k in keep}}
            for b, o in zip(rows, out)]

def main():
    rows = hand()
    picked = collections.Counter()
    args = sys.argv[1:]
    ids = set()
    if args[:1] == ['--ids']:
        ids = set(args[1].split(','))
        args = args[2:]
    for path in args:
        for line in open(path):
            r = json.loads(line)
            kind = r['id'].rsplit('-', 1)[0]
            log = r['kernel']['log']
            interesting = 'live stack update' in log or re.search(r'^ +\d+ +\d+: ', log, re.M)
            if r['id'] not in ids and (not interesting or len(log) > 12000 or picked[kind] >= 4):
                continue
            picked[kind] += 1
            rows.append(r)
    for r in rows:
        print(json.dumps(r))

main()
