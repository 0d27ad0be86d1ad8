#!/usr/bin/env python3
"""Regenerate helper-availability.json: for every helper id 1..211 and every
program type bpfiddle models, a minimal program that calls it

    r2 = 0; r3 = 0; r4 = 0; r5 = 0; call N; r0 = 0; exit     (r1 is the ctx)

loaded by the real Linux 6.18 kernel (../shared/tools/kbpf.py --batch --fast)
once as GPL and once under a non-GPL license. The kernel judges the helper's
availability (get_func_proto), then the GPL restriction, then the arguments,
so the last log line tells which of these stopped the program.
src/core/verifier/helper-availability.test.ts replays the matrix.

Needs root: python3 test-data/verifier/helper-availability-record.py > test-data/verifier/helper-availability.json
"""
import json, struct, subprocess, sys

TOOLS = "/work/shared/tools"
PROG_TYPES = ["socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp", "raw_tracepoint"]
LICENSES = ["GPL", "Proprietary"]
MAX_ID = 211


def insn(code, dst=0, src=0, off=0, imm=0):
    return struct.pack("<BBhi", code, dst | (src << 4), off, imm).hex()


def program(helper_id):
    mov0 = [insn(0xB7, r) for r in (2, 3, 4, 5)]
    return "".join(mov0 + [insn(0x85, imm=helper_id), insn(0xB7, 0), insn(0x95)])


def main():
    keys, bundles = [], []
    for hid in range(1, MAX_ID + 1):
        for pt in PROG_TYPES:
            for lic in LICENSES:
                keys.append((hid, pt, lic))
                bundles.append(json.dumps({"progType": pt, "insns": program(hid), "maps": [], "logLevel": 1, "license": lic}))
    r = subprocess.run([sys.executable, TOOLS + "/kbpf.py", "--batch", "-", "--fast", "--no-log"],
                       input="\n".join(bundles) + "\n", capture_output=True, text=True, check=True)
    results = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert len(results) == len(keys), (len(results), len(keys), r.stderr[-2000:])
    cases = []
    for (hid, pt, lic), res in zip(keys, results):
        cases.append({"id": hid, "progType": pt, "license": lic, "verdict": res["verdict"],
                      "errorLine": res.get("errorLine")})
    # one case a line: small, and diffs between recordings stay readable
    print('{"source": "Linux 6.18 via ../shared/tools/kbpf.py --batch --fast (root)",')
    print(' "program": "r2 = 0; r3 = 0; r4 = 0; r5 = 0; call ID; r0 = 0; exit",')
    print(' "cases": [')
    print(",\n".join(json.dumps(c) for c in cases))
    print(']}')


main()
