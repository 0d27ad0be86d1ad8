#!/usr/bin/env python3
"""Regenerate test-run-attrs.json: how Linux 6.18's BPF_PROG_TEST_RUN treats
runs[].cpu and runs[].flags for packet program types (r0 = 2; exit over a
64-byte frame). Needs root: python3 test-data/runtime/record-test-run-attrs.py > test-data/runtime/test-run-attrs.json"""
import json, subprocess, sys

KBPF = "/work/shared/tools/kbpf.py"
cases = []
for prog_type in ("xdp", "sched_cls", "socket_filter"):
    for attrs in ({}, {"flags": 1}, {"cpu": 1}, {"flags": 1, "cpu": 1}, {"flags": 4}):
        run = {"data": "00" * 64, **attrs}
        bundle = {"progType": prog_type, "insns": "b7000000020000009500000000000000", "runs": [run]}
        out = json.loads(subprocess.run([sys.executable, KBPF, "-"], input=json.dumps(bundle), capture_output=True, text=True, check=True).stdout)
        r = out["runs"][0]
        cases.append({"progType": prog_type, "run": attrs, "retval": r.get("retval"), "errno": r.get("errno")})
json.dump({"source": "Linux 6.18 via kbpf.py (record-test-run-attrs.py)", "cases": cases}, sys.stdout, indent=1)
sys.stdout.write("\n")
