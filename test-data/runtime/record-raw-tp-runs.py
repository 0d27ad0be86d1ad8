#!/usr/bin/env python3
"""Regenerate raw-tp-runs.json: raw_tracepoint programs test-run by the real
Linux 6.18 kernel, replayed by src/core/runtime/raw-tp-runs.test.ts without
the kernel.

BPF_PROG_TEST_RUN for raw_tracepoint (bpf_prog_test_run_raw_tp) takes only
ctx_in (the u64 argument array, at most 12 of them) and refuses data_in,
data_out, ctx_out, duration, repeat and batch_size. kbpf.py always passes
repeat and ctx_out, so this script loads through kbpf.py's Oracle but does
its own test run, passing exactly the attr fields a case names:

  {"ctx": hex}                 ctx_in (omitted or "": ctx_size_in 0, ctx_in NULL)
  {"data": hex}                data_in (refused)
  {"repeat": n}                repeat (refused when non-zero)
  {"ctxOut": true}             a ctx_out buffer (refused)
  {"cpu": n, "flags": f}       cpu / flags (cpu != 0 without BPF_F_TEST_RUN_ON_CPU is refused)

Needs root: python3 test-data/runtime/record-raw-tp-runs.py > test-data/runtime/raw-tp-runs.json

`--batch` instead reads kbpf.py bundles (JSON lines, runs as above) on stdin
and prints one kbpf.py-style result per line: how scripts/fuzz-runs.ts
test-runs raw_tracepoint programs on the kernel.
"""
import ctypes, importlib.util, json, struct, subprocess, sys

TOOLS = "/work/shared/tools"
_spec = importlib.util.spec_from_file_location("kbpf", TOOLS + "/kbpf.py")
kbpf = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kbpf)

BPF_PROG_TEST_RUN = 10


class RawTpOracle(kbpf.Oracle):
    """kbpf's loader; test runs with only the attr fields the run names."""

    def test_run(self, prog_fd, run):
        data = bytes.fromhex(run["data"]) if "data" in run else None
        ctx = bytes.fromhex(run["ctx"]) if "ctx" in run else None
        dbuf = ctypes.create_string_buffer(data, len(data)) if data else None
        # as kbpf.py: an empty ctx is no ctx_in at all (NULL, size 0)
        cbuf = ctypes.create_string_buffer(ctx, len(ctx)) if ctx else None
        cout = ctypes.create_string_buffer(256) if run.get("ctxOut") else None
        a = kbpf.new_attr()
        struct.pack_into("<IIIIQQII", a, 0, prog_fd, 0, len(data) if data else 0, 0,
                         kbpf.addr(dbuf) if dbuf else 0, 0, int(run.get("repeat", 0)), 0)
        struct.pack_into("<IIQQIII", a, 40, len(ctx) if ctx else 0,
                         256 if cout else 0, kbpf.addr(cbuf) if cbuf else 0,
                         kbpf.addr(cout) if cout else 0,
                         int(run.get("flags", 0)), int(run.get("cpu", 0)), 0)
        r = kbpf.sys_bpf(BPF_PROG_TEST_RUN, a)
        if r < 0:
            return {"errno": kbpf.errno_name(-r)}
        return {"retval": struct.unpack_from("<I", a, 4)[0]}


def u64s(*vals):
    return b"".join(struct.pack("<Q", v & (2**64 - 1)) for v in vals).hex()


ARGS12 = u64s(*[0x1111111100000000 * 0 + (i + 1) * 0x0101010101010101 for i in range(12)])
ARGS = [u64s(5, 7), u64s(0xffffffffffffffff, 2, 3), u64s(0x8000000000000000, 0x1234, 0xdeadbeefcafebabe, 4),
        u64s(*range(100, 112)), ARGS12]

CASES = []


def case(name, asm, runs, maps=None):
    CASES.append({"name": name, "asm": asm.strip() + "\n", "runs": runs, "maps": maps or []})


def arr(name="m", key=4, val=8, n=4, typ="array"):
    return {"name": name, "type": typ, "keySize": key, "valueSize": val, "maxEntries": n, "flags": 0}


# --- the attr checks, on a program that does not read its ctx
NOCTX = "r0 = 42\nexit"
case("no ctx read: runs with or without ctx_in", NOCTX,
     [{}, {"ctx": ""}, {"ctx": u64s(1)}, {"ctx": u64s(*range(12))}, {"ctx": "01"}, {"ctx": "01020304050607"}])
case("ctx_in larger than 12 args is refused", NOCTX, [{"ctx": u64s(*range(13))}, {"ctx": u64s(*range(12)) + "00"}])
case("data_in is refused", NOCTX, [{"data": "00" * 64}, {"data": "00" * 64, "ctx": u64s(1)}])
# (repeat 1 is refused too, but in a bundle repeat 1 is kbpf.py's default and means one run)
case("repeat is refused", NOCTX, [{"repeat": 2}, {"repeat": 5, "ctx": u64s(1)}])
case("ctx_out is refused", NOCTX, [{"ctxOut": True, "ctx": u64s(1)}])
case("cpu without BPF_F_TEST_RUN_ON_CPU is refused", NOCTX, [{"cpu": 1}, {"cpu": 0, "flags": 0}])
case("cpu with BPF_F_TEST_RUN_ON_CPU", NOCTX, [{"cpu": 0, "flags": 1}, {"cpu": 1, "flags": 1}, {"cpu": 4096, "flags": 1}])
case("unknown flags", NOCTX, [{"flags": 2}, {"flags": 4}])
# with no ctx_in the program's r1 is NULL
case("r1 is NULL without ctx_in", "r0 = r1\nexit", [{}, {"ctx": ""}])
case("r1 is not NULL with ctx_in", "r0 = 0\nif r1 == 0 goto +1\nr0 = 1\nexit", [{}, {"ctx": u64s(3)}, {"ctx": "05"}])

# --- argument reads: the ctx must cover the furthest byte the program reads
for k in (0, 1, 5, 11):
    case("read arg %d" % k, "r0 = *(u64 *)(r1 + %d)\nexit" % (8 * k),
         [{"ctx": a} for a in ARGS] + [{}, {"ctx": u64s(*range(k))}, {"ctx": u64s(*range(k + 1))[:-2]}])
for size, off in ((4, 0), (4, 4), (4, 44), (2, 6), (2, 94), (1, 0), (1, 13), (1, 95)):
    w = {1: "u8", 2: "u16", 4: "u32"}[size]
    case("read %s at %d" % (w, off), "r0 = *(%s *)(r1 + %d)\nexit" % (w, off),
         [{"ctx": a} for a in ARGS] + [{"ctx": ARGS12[:2 * (off + size)]}, {"ctx": ARGS12[:2 * (off + size) - 2]}])
case("read only on one branch still needs the ctx", """
r0 = 0
r2 = *(u64 *)(r1 + 0)
if r2 != 77 goto +1
r0 = *(u64 *)(r1 + 40)
exit""", [{"ctx": u64s(1)}, {"ctx": u64s(77)}, {"ctx": u64s(77, 0, 0, 0, 0, 9)}, {"ctx": u64s(1, 0, 0, 0, 0, 9)}])
case("ctx kept in a callee-saved register and on the stack", """
r6 = r1
*(u64 *)(r10 - 8) = r1
r1 = 0
r2 = *(u64 *)(r10 - 8)
r0 = *(u64 *)(r2 + 16)
r3 = *(u64 *)(r6 + 24)
r0 += r3
exit""", [{"ctx": u64s(1, 2, 3, 4)}, {"ctx": u64s(1, 2, 3)}, {"ctx": u64s(*range(12))}])
case("ctx passed to a subprogram", """
call sub
r0 += 1
exit
sub:
r0 = *(u64 *)(r1 + 56)
exit""", [{"ctx": u64s(*range(8))}, {"ctx": u64s(*range(7))}, {"ctx": ARGS12}])
case("arithmetic on arguments", """
r2 = *(u64 *)(r1 + 0)
r3 = *(u64 *)(r1 + 8)
r4 = *(u32 *)(r1 + 16)
r0 = r2
r0 *= r3
r0 ^= r4
r0 s>>= 3
r2 = *(u64 *)(r1 + 8)
if r2 s> 0 goto +1
r0 = -r0
exit""", [{"ctx": a} for a in ARGS[1:]] + [{"ctx": u64s(3, 4, 5)}])
case("sum of 12 args in a loop", """
r0 = 0
r2 = 0
r3 = r1
r3 += r2
r4 = *(u64 *)(r1 + 0)
r0 += r4
r4 = *(u64 *)(r1 + 88)
r0 += r4
r5 = 10
l1:
r5 += -1
r0 <<= 1
if r5 != 0 goto l1
exit""", [{"ctx": a} for a in ARGS[3:]])

# --- helpers raw_tracepoint programs may call
case("map update from args, then lookup", """
r6 = r1
r2 = *(u64 *)(r6 + 0)
*(u32 *)(r10 - 4) = r2
r2 = *(u64 *)(r6 + 8)
*(u64 *)(r10 - 16) = r2
r1 = map[0] ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 0
call 2
r0 &= 0xffff
exit""", [{"ctx": u64s(1, 100)}, {"ctx": u64s(3, 300)}, {"ctx": u64s(4, 400)}, {"ctx": u64s(1, 111)}], [arr()])
case("hash map counter keyed by an argument", """
r6 = r1
r2 = *(u64 *)(r6 + 0)
*(u32 *)(r10 - 4) = r2
r1 = map[0] ll
r2 = r10
r2 += -4
call 1
if r0 == 0 goto new
r1 = 1
lock *(u64 *)(r0 + 0) += r1
r0 = *(u64 *)(r0 + 0)
exit
new:
r1 = 1
*(u64 *)(r10 - 16) = r1
r1 = map[0] ll
r2 = r10
r2 += -4
r3 = r10
r3 += -16
r4 = 1
call 2
exit""", [{"ctx": u64s(7)}, {"ctx": u64s(7)}, {"ctx": u64s(9)}, {"ctx": u64s(7)}], [arr("h", typ="hash")])
case("map delete", """
r2 = *(u64 *)(r1 + 0)
*(u32 *)(r10 - 4) = r2
r1 = map[0] ll
r2 = r10
r2 += -4
call 3
exit""", [{"ctx": u64s(1)}, {"ctx": u64s(1)}, {"ctx": u64s(2)}], [dict(arr("h", typ="hash"), init=[{"key": "01000000", "value": "0500000000000000"}])])
case("bpf_trace_printk returns the bytes written", """
r2 = *(u64 *)(r1 + 0)
r1 = 0x000a6425
*(u64 *)(r10 - 8) = r1
r3 = r2
r1 = r10
r1 += -8
r2 = 4
call 6
exit""", [{"ctx": u64s(7)}, {"ctx": u64s(123456)}, {"ctx": u64s(2**64 - 1)}])
case("get_current_pid_tgid / uid_gid are not zero... or are", """
call 14
r6 = r0
call 15
r0 = 0
if r6 == 0 goto +1
r0 = 1
exit""", [{"ctx": u64s(1)}])
case("get_smp_processor_id on CPU 0", "call 8\nexit", [{"ctx": u64s(1)}, {}])
case("probe_read_kernel of the stack", """
r2 = *(u64 *)(r1 + 0)
*(u64 *)(r10 - 8) = r2
r1 = r10
r1 += -16
r2 = 8
r3 = r10
r3 += -8
call 113
r1 = *(u64 *)(r10 - 16)
r0 += r1
exit""", [{"ctx": u64s(5)}, {"ctx": u64s(0x123456789)}])
case("probe_read_kernel of a bad address faults softly", """
r3 = *(u64 *)(r1 + 0)
r1 = r10
r1 += -16
r2 = 8
call 113
exit""", [{"ctx": u64s(0)}, {"ctx": u64s(16)}, {"ctx": u64s(0x1000)}])
case("probe_read_kernel zero size", """
r3 = *(u64 *)(r1 + 0)
r1 = r10
r1 += -16
r2 = 0
call 113
exit""", [{"ctx": u64s(0)}])
case("probe_read_kernel: non-canonical, vsyscall and kernel-half addresses", """
r3 = *(u64 *)(r1 + 0)
r1 = r10
r1 += -16
r2 = 8
call 113
exit""", [{"ctx": u64s(0x0000900000000000)}, {"ctx": u64s(0xfff0000000000000)}, {"ctx": u64s(0xffffffffff600000)}, {"ctx": u64s(0x00007ffffffff800)}])
case("probe_read_user of the stack faults softly", """
r1 = -1
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -16
r2 = 8
r3 = r10
r3 += -8
call 112
r1 = *(u64 *)(r10 - 16)
r0 |= r1
exit""", [{"ctx": u64s(0)}])
case("probe_read (compat) picks the user or kernel path by TASK_SIZE", """
r3 = *(u64 *)(r1 + 0)
r1 = r10
r1 += -16
r2 = 8
call 4
exit""", [{"ctx": u64s(0)}, {"ctx": u64s(0x1000)}, {"ctx": u64s(0x0000900000000000)}])
case("probe_read (compat) of the stack", """
r1 = 0x1122334455667788 ll
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -16
r2 = 8
r3 = r10
r3 += -8
call 4
r1 = *(u64 *)(r10 - 16)
r0 += r1
exit""", [{"ctx": u64s(0)}])
case("probe_read_kernel_str and probe_read_user_str refusals", """
r3 = *(u64 *)(r1 + 0)
r6 = *(u64 *)(r1 + 8)
r1 = r10
r1 += -16
r2 = 8
if r6 != 0 goto user
call 115
exit
user:
r3 = r10
r3 += -8
call 114
exit""", [{"ctx": u64s(0x1000, 0)}, {"ctx": u64s(0, 0)}, {"ctx": u64s(0, 1)}])
case("ringbuf_output of two args", """
r2 = *(u64 *)(r1 + 0)
*(u64 *)(r10 - 16) = r2
r2 = *(u64 *)(r1 + 8)
*(u64 *)(r10 - 8) = r2
r1 = map[0] ll
r2 = r10
r2 += -16
r3 = 16
r4 = 0
call 130
exit""", [{"ctx": u64s(1, 2)}, {"ctx": u64s(3, 4)}], [{"name": "rb", "type": "ringbuf", "keySize": 0, "valueSize": 0, "maxEntries": 4096, "flags": 0}])
case("ringbuf reserve, write an arg, submit", """
r6 = r1
r1 = map[0] ll
r2 = 8
r3 = 0
call 131
if r0 == 0 goto +5
r1 = *(u64 *)(r6 + 8)
*(u64 *)(r0 + 0) = r1
r1 = r0
r2 = 0
call 132
r0 = 7
exit""", [{"ctx": u64s(1, 0xabcdef)}, {"ctx": u64s(1, 5)}], [{"name": "rb", "type": "ringbuf", "keySize": 0, "valueSize": 0, "maxEntries": 4096, "flags": 0}])
case("bpf_loop over an argument count", """
r6 = r1
r1 = *(u64 *)(r6 + 0)
r2 = 0
*(u64 *)(r10 - 8) = r2
r2 = func cb ll
r3 = r10
r3 += -8
r4 = 0
call 181
r1 = *(u64 *)(r10 - 8)
r0 <<= 32
r0 |= r1
exit
cb:
r3 = *(u64 *)(r2 + 0)
r3 += r1
*(u64 *)(r2 + 0) = r3
r0 = 0
exit""", [{"ctx": u64s(0)}, {"ctx": u64s(5)}, {"ctx": u64s(100)}, {"ctx": u64s((1 << 23) + 1)}])


def main():
    oracle = RawTpOracle()
    out = []
    for c in CASES:
        r = subprocess.run([sys.executable, TOOLS + "/bpfasm.py", "asm", "-"], input=c["asm"], capture_output=True, text=True)
        if r.returncode:
            sys.exit("%s: %s" % (c["name"], r.stderr))
        insns = "".join(r.stdout.split())
        bundle = {"progType": "raw_tracepoint", "insns": insns, "maps": c["maps"], "logLevel": 1, "runs": c["runs"]}
        res = oracle.run_bundle(bundle)
        if res.get("verdict") != "accepted":
            sys.exit("%s: rejected: %s" % (c["name"], res.get("errorLine")))
        maps_after = []
        for m in res.get("mapsAfter", []):
            entry = {"name": m.get("name")}
            for k in ("entries", "records"):
                if k in m:
                    entry[k] = m[k]
            maps_after.append(entry)
        out.append({"name": c["name"], "asm": c["asm"], "insns": insns, "maps": c["maps"], "runs": c["runs"],
                    "results": res["runs"], "mapsAfter": maps_after})
    json.dump({"source": "Linux %s, BPF_PROG_TEST_RUN on raw_tracepoint programs (record-raw-tp-runs.py)" % kbpf.os.uname().release
               if hasattr(kbpf, "os") else "Linux 6.18 (record-raw-tp-runs.py)", "cases": out}, sys.stdout, indent=1)
    sys.stdout.write("\n")


def batch():
    oracle = RawTpOracle(fast=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            res = oracle.run_bundle(json.loads(line))
            res.pop("log", None)
        except Exception as e:  # one bad bundle must not end the batch
            res = {"error": str(e)}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    batch() if "--batch" in sys.argv[1:] else main()
