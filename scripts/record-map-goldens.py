#!/usr/bin/env python3
"""Record the real kernel's map behaviour as golden data for src/core/runtime/maps.

Needs root and a working bpf() syscall (run on the oracle machine). Uses
../shared/tools/kbpf.py (map create/update/dump, BPF_PROG_TEST_RUN) and
../shared/tools/bpfasm.py (assembler), imported as modules.

Each scenario is a map spec, a list of syscall updates (`sys`, applied as
kbpf `init` entries, each with its flags) and a list of program operations
(`ops`) that one XDP program performs with map helpers in order, storing each
helper's return value (and the value a lookup/pop/peek saw) in a result array
map. The kernel's answers are written next to the inputs:

    python3 scripts/record-map-goldens.py > test-data/runtime/map-goldens.json

The vitest test src/core/runtime/maps/goldens.test.ts replays the same inputs
against our maps (no kernel needed) and compares.
"""
import json
import os
import re
import sys

TOOLS = os.environ.get("BPF_TOOLS", os.path.join(os.path.dirname(__file__), "..", "..", "shared", "tools"))
sys.path.insert(0, os.path.abspath(TOOLS))
import kbpf  # noqa: E402
import bpfasm  # noqa: E402

ORACLE = kbpf.Oracle()
PKT = "00" * 64
KEY_AT = 64      # key bytes at r10 - 64
VAL_AT = 192     # value bytes at r10 - 192 (up to 128 bytes)

HELPER = {"lookup": 1, "update": 2, "delete": 3, "push": 87, "pop": 88, "peek": 89,
          "rb_output": 130, "rb_reserve": 131, "rb_submit": 132, "rb_discard": 133, "rb_query": 134}


def store_bytes(hexstr, at):
    """Write bytes at r10 - at: 8 at a time through r1 (ld_imm64 + stxdw), the tail byte by byte."""
    b = bytes.fromhex(hexstr)
    out = []
    j = 0
    while j + 8 <= len(b):
        out += ["r1 = 0x%x ll" % int.from_bytes(b[j:j + 8], "little"), "*(u64 *)(r10 - %d) = r1" % (at - j)]
        j += 8
    out += ["*(u8 *)(r10 - %d) = %d" % (at - k, b[k]) for k in range(j, len(b))]
    return out


def read_back(reg, vs, slot):
    """Copy the first min(vs, 8) bytes at reg into the result slot's second word."""
    if vs >= 8:
        return ["r1 = *(u64 *)(%s + 0)" % reg, "*(u64 *)(r6 + %d) = r1" % (slot + 8)]
    if vs >= 4:
        return ["r1 = *(u32 *)(%s + 0)" % reg, "*(u64 *)(r6 + %d) = r1" % (slot + 8)]
    return ["r1 = *(u8 *)(%s + 0)" % reg, "*(u64 *)(r6 + %d) = r1" % (slot + 8)]


def op_asm(i, op, spec):
    vs = spec["valueSize"]
    slot = 16 * i
    kind = op["op"]
    out = []
    if "key" in op:
        out += store_bytes(op["key"], KEY_AT)
    if "value" in op:
        out += store_bytes(op["value"], VAL_AT)
    out.append("r1 = map[0] ll")
    if kind == "lookup":
        out += ["r2 = r10", "r2 += -%d" % KEY_AT, "call 1",
                "*(u64 *)(r6 + %d) = 0" % slot, "if r0 == 0 goto op%d_end" % i,
                "*(u64 *)(r6 + %d) = 1" % slot]
        out += read_back("r0", vs, slot)
        out.append("op%d_end:" % i)
        return out
    if kind == "update":
        out += ["r2 = r10", "r2 += -%d" % KEY_AT, "r3 = r10", "r3 += -%d" % VAL_AT,
                "r4 = %d" % op.get("flags", 0), "call 2"]
    elif kind == "delete":
        out += ["r2 = r10", "r2 += -%d" % KEY_AT, "call 3"]
    elif kind == "push":
        out += ["r2 = r10", "r2 += -%d" % VAL_AT, "r3 = %d" % op.get("flags", 0), "call 87"]
    elif kind in ("pop", "peek"):
        if "value" not in op:     # output buffer: start from a known state
            out[-1:-1] = store_bytes("ee" * vs, VAL_AT)
        out += ["r2 = r10", "r2 += -%d" % VAL_AT, "call %d" % HELPER[kind]]
        out += ["*(u64 *)(r6 + %d) = r0" % slot, "r7 = r10", "r7 += -%d" % VAL_AT]
        out += read_back("r7", vs, slot)
        return out
    elif kind == "rb_output":
        n = len(bytes.fromhex(op["value"]))
        out += ["r2 = r10", "r2 += -%d" % VAL_AT, "r3 = %d" % n, "r4 = %d" % op.get("flags", 0), "call 130"]
    elif kind in ("rb_submit", "rb_discard"):
        data = bytes.fromhex(op.get("value", ""))
        out += ["r2 = %d" % op["size"], "r3 = %d" % op.get("reserveFlags", 0), "call 131",
                "*(u64 *)(r6 + %d) = 0" % slot, "if r0 == 0 goto op%d_end" % i]
        out += ["*(u8 *)(r0 + %d) = %d" % (j, x) for j, x in enumerate(data)]
        out += ["r1 = r0", "r2 = %d" % op.get("flags", 0), "call %d" % HELPER[kind],
                "*(u64 *)(r6 + %d) = 1" % slot, "op%d_end:" % i]
        return out
    elif kind == "rb_query":
        out += ["r2 = %d" % op["flags"], "call 134"]
    else:
        raise ValueError("unknown op %r" % kind)
    out.append("*(u64 *)(r6 + %d) = r0" % slot)
    return out


def program(spec, ops):
    lines = ["r6 = map_value[1] + 0 ll"]
    for i, op in enumerate(ops):
        lines += op_asm(i, op, spec)
    lines += ["r0 = 2", "exit"]
    return bpfasm.assemble_hex("\n".join(lines) + "\n")


def map_json(spec, sys_entries):
    m = dict(spec)
    m["name"] = "target"
    m["init"] = [{"key": e.get("key", ""), "value": e["value"], "flags": e.get("flags", 0)} for e in sys_entries]
    return m


ERR = re.compile(r"failed: (E[A-Z0-9]+)")


def run_bundle(spec, sys_entries, ops):
    nops = max(len(ops), 1)
    b = {"progType": "xdp", "insns": program(spec, ops), "logLevel": 1,
         "maps": [map_json(spec, sys_entries),
                  {"name": "res", "type": "array", "keySize": 4, "valueSize": 16 * nops, "maxEntries": 1}],
         "runs": [{"data": PKT}]}
    r, _ = kbpf.run_one(ORACLE, json.dumps(b), drop_log=True)
    return r


def record(sc):
    spec, sys_ops, ops = sc["map"], sc.get("sys", []), sc.get("ops", [])
    # syscall updates one by one: a failing init entry aborts the bundle, so
    # grow the list of entries that worked and record each attempt's errno
    sys_results, good = [], []
    for e in sys_ops:
        r = run_bundle(spec, good + [e], [])
        if "error" in r:
            m = ERR.search(r["error"])
            if not m:
                return {"error": r["error"]}
            sys_results.append(m.group(1))
        else:
            sys_results.append("OK")
            good.append(e)
    r = run_bundle(spec, good, ops)
    if "error" in r:
        m = ERR.search(r["error"])
        return {"createErrno": m.group(1) if m else None, "error": r["error"]}
    if r.get("verdict") != "accepted":
        return {"error": "program rejected: %s" % r.get("errorLine")}
    target, res = r["mapsAfter"][0], r["mapsAfter"][1]
    raw = bytes.fromhex(res["entries"][0]["value"])
    op_results = []
    for i, op in enumerate(ops):
        ret = int.from_bytes(raw[16 * i:16 * i + 8], "little", signed=True)
        val = raw[16 * i + 8:16 * i + 16].hex()
        ent = {"ret": ret}
        if op["op"] in ("lookup", "pop", "peek"):
            ent["value"] = val
        op_results.append(ent)
    target.pop("name", None)
    # hash iteration order follows a random seed: store dumps sorted by key bytes (queue/stack stay in pop order)
    if "entries" in target and spec["type"] not in ("queue", "stack"):
        target["entries"].sort(key=lambda e: bytes.fromhex(e["key"]))
    return {"sys": sys_results, "ops": op_results, "mapsAfter": target, "retval": r["runs"][0].get("retval"),
            # the recording program itself (skipped for the 400-op scenarios to keep the file small)
            **({"insns": program(spec, ops)} if sc.get("keepProgram", True) else {})}


def u32(n):
    return n.to_bytes(4, "little").hex()


def u64(n):
    return n.to_bytes(8, "little").hex()


def scenarios():
    S = []
    arr = {"type": "array", "keySize": 4, "valueSize": 8, "maxEntries": 4, "flags": 0}
    S.append({"name": "array flags and bounds", "map": arr,
              "sys": [{"key": u32(1), "value": u64(11)}, {"key": u32(2), "value": u64(22), "flags": 1},
                      {"key": u32(3), "value": u64(33), "flags": 2}, {"key": u32(4), "value": u64(44)},
                      {"key": u32(0), "value": u64(5), "flags": 4}, {"key": u32(0), "value": u64(5), "flags": 3}],
              "ops": [{"op": "lookup", "key": u32(1)}, {"op": "lookup", "key": u32(4)},
                      {"op": "update", "key": u32(0), "value": u64(100), "flags": 0},
                      {"op": "update", "key": u32(1), "value": u64(101), "flags": 1},
                      {"op": "update", "key": u32(2), "value": u64(102), "flags": 2},
                      {"op": "update", "key": u32(9), "value": u64(109), "flags": 0},
                      {"op": "update", "key": u32(3), "value": u64(103), "flags": 3},
                      {"op": "update", "key": u32(3), "value": u64(104), "flags": 4},
                      {"op": "update", "key": u32(9), "value": u64(1), "flags": 1},
                      {"op": "delete", "key": u32(1)}, {"op": "delete", "key": u32(9)},
                      {"op": "lookup", "key": u32(0)}]})
    S.append({"name": "array 300 entries sorted by key bytes",
              "map": {"type": "array", "keySize": 4, "valueSize": 4, "maxEntries": 300, "flags": 0},
              "sys": [{"key": u32(256), "value": u32(7)}, {"key": u32(1), "value": u32(9)}],
              "ops": [{"op": "update", "key": u32(299), "value": u32(5), "flags": 2}]})
    S.append({"name": "percpu_array program writes CPU 0 only",
              "map": {"type": "percpu_array", "keySize": 4, "valueSize": 8, "maxEntries": 2, "flags": 0},
              "sys": [{"key": u32(0), "value": u64(7)}, {"key": u32(1), "value": u64(1) + u64(2)},
                      {"key": u32(1), "value": u64(3), "flags": 1}, {"key": u32(5), "value": u64(3)}],
              "ops": [{"op": "lookup", "key": u32(1)}, {"op": "update", "key": u32(0), "value": u64(55), "flags": 2},
                      {"op": "update", "key": u32(0), "value": u64(56), "flags": 1},
                      {"op": "delete", "key": u32(0)}]})
    S.append({"name": "percpu_array value not a multiple of 8",
              "map": {"type": "percpu_array", "keySize": 4, "valueSize": 12, "maxEntries": 1, "flags": 0},
              "sys": [{"key": u32(0), "value": "0102030405060708090a0b0c"}],
              "ops": [{"op": "update", "key": u32(0), "value": "a1a2a3a4a5a6a7a8a9aaabac", "flags": 0}]})
    hsh = {"type": "hash", "keySize": 4, "valueSize": 8, "maxEntries": 3, "flags": 0}
    S.append({"name": "hash flags and E2BIG", "map": hsh,
              "sys": [{"key": u32(1), "value": u64(1)}, {"key": u32(1), "value": u64(2), "flags": 1},
                      {"key": u32(7), "value": u64(2), "flags": 2}, {"key": u32(2), "value": u64(2)},
                      {"key": u32(1), "value": u64(3), "flags": 2}],
              "ops": [{"op": "update", "key": u32(3), "value": u64(30), "flags": 1},
                      {"op": "update", "key": u32(4), "value": u64(40), "flags": 0},
                      {"op": "update", "key": u32(4), "value": u64(40), "flags": 2},
                      {"op": "update", "key": u32(1), "value": u64(10), "flags": 1},
                      {"op": "update", "key": u32(1), "value": u64(11), "flags": 2},
                      {"op": "update", "key": u32(2), "value": u64(21), "flags": 0},
                      {"op": "update", "key": u32(2), "value": u64(22), "flags": 4},
                      {"op": "update", "key": u32(2), "value": u64(22), "flags": 5},
                      {"op": "update", "key": u32(2), "value": u64(22), "flags": 8},
                      {"op": "delete", "key": u32(9)}, {"op": "delete", "key": u32(3)},
                      {"op": "lookup", "key": u32(3)}, {"op": "lookup", "key": u32(1)},
                      {"op": "update", "key": u32(5), "value": u64(50), "flags": 1},
                      {"op": "update", "key": u32(6), "value": u64(60), "flags": 0}]})
    S.append({"name": "hash 8-byte keys", "map": {"type": "hash", "keySize": 8, "valueSize": 16, "maxEntries": 8, "flags": 1},
              "sys": [{"key": u64(0x1000000000 + k), "value": u64(k) + u64(k * 3)} for k in (5, 1, 300, 2)],
              "ops": [{"op": "lookup", "key": u64(0x1000000000 + 300)}, {"op": "delete", "key": u64(0x1000000000 + 1)}]})
    S.append({"name": "percpu_hash new element zeroes other CPUs",
              "map": {"type": "percpu_hash", "keySize": 4, "valueSize": 8, "maxEntries": 4, "flags": 0},
              "sys": [{"key": u32(1), "value": u64(7)}, {"key": u32(2), "value": u64(8) + u64(9)}],
              "ops": [{"op": "update", "key": u32(3), "value": u64(33), "flags": 0},
                      {"op": "update", "key": u32(2), "value": u64(44), "flags": 2},
                      {"op": "lookup", "key": u32(2)}, {"op": "update", "key": u32(1), "value": u64(4), "flags": 4}]})
    for name, extra in (("lru_hash", 0), ("lru_hash", 2), ("lru_percpu_hash", 0)):
        m = {"type": name, "keySize": 4, "valueSize": 8, "maxEntries": 4, "flags": extra}
        S.append({"name": "%s flags %d: fill, use, overflow" % (name, extra), "map": m,
                  "ops": [{"op": "update", "key": u32(k), "value": u64(k * 10), "flags": 0} for k in range(1, 5)]
                  + [{"op": "lookup", "key": u32(1)}, {"op": "update", "key": u32(5), "value": u64(50), "flags": 0},
                     {"op": "update", "key": u32(3), "value": u64(31), "flags": 1},
                     {"op": "update", "key": u32(9), "value": u64(90), "flags": 2},
                     {"op": "update", "key": u32(2), "value": u64(21), "flags": 4}]})
    S.append({"name": "lru_hash small overflow", "map": {"type": "lru_hash", "keySize": 4, "valueSize": 8, "maxEntries": 2, "flags": 0},
              "ops": [{"op": "update", "key": u32(k), "value": u64(k), "flags": 0} for k in range(1, 4)]})
    for t in ("queue", "stack"):
        m = {"type": t, "keySize": 0, "valueSize": 8, "maxEntries": 3, "flags": 0}
        S.append({"name": "%s push/pop/peek" % t, "map": m,
                  "sys": [{"value": u64(1)}, {"value": u64(2), "flags": 1}, {"value": u64(3), "flags": 2}],
                  "ops": [{"op": "push", "value": u64(10), "flags": 0}, {"op": "push", "value": u64(11), "flags": 0},
                          {"op": "push", "value": u64(12), "flags": 2}, {"op": "push", "value": u64(13), "flags": 1},
                          {"op": "push", "value": u64(14), "flags": 4}, {"op": "peek"}, {"op": "pop"}, {"op": "pop"},
                          {"op": "push", "value": u64(15), "flags": 0}, {"op": "pop"}, {"op": "pop"}, {"op": "pop"},
                          {"op": "peek"}, {"op": "push", "value": u64(16), "flags": 0}]})
    for vs in (8, 5):
        m = {"type": "bloom_filter", "keySize": 0, "valueSize": vs, "maxEntries": 2, "flags": 64, "mapExtra": 1}
        pushed = [("%02x" % (k * 7 + 1)) * vs for k in range(6)]
        probes = [("%02x" % k) * vs for k in range(0, 64)]
        S.append({"name": "bloom_filter zero seed value %d" % vs, "map": m,
                  "sys": [{"value": pushed[0]}, {"value": pushed[1], "flags": 1}],
                  "ops": [{"op": "push", "value": v, "flags": 0} for v in pushed[2:]]
                  + [{"op": "push", "value": pushed[0], "flags": 2}]
                  + [{"op": "peek", "value": v} for v in probes]})
    lpm = {"type": "lpm_trie", "keySize": 8, "valueSize": 8, "maxEntries": 4, "flags": 1}

    def pfx(plen, a, b, c, d):
        return u32(plen) + bytes([a, b, c, d]).hex()
    S.append({"name": "lpm_trie longest prefix", "map": lpm,
              "sys": [{"key": pfx(8, 10, 0, 0, 0), "value": u64(8)}, {"key": pfx(16, 10, 1, 0, 0), "value": u64(16)},
                      {"key": pfx(33, 10, 1, 0, 0), "value": u64(1)}, {"key": pfx(8, 10, 9, 9, 9), "value": u64(9), "flags": 1}],
              "ops": [{"op": "lookup", "key": pfx(32, 10, 1, 2, 3)}, {"op": "lookup", "key": pfx(32, 10, 2, 2, 3)},
                      {"op": "lookup", "key": pfx(32, 11, 1, 2, 3)}, {"op": "lookup", "key": pfx(12, 10, 1, 2, 3)},
                      {"op": "update", "key": pfx(24, 10, 1, 2, 0), "value": u64(24), "flags": 1},
                      {"op": "lookup", "key": pfx(32, 10, 1, 2, 3)},
                      {"op": "update", "key": pfx(8, 10, 7, 7, 7), "value": u64(88), "flags": 2},
                      {"op": "update", "key": pfx(12, 10, 0, 0, 0), "value": u64(12), "flags": 2},
                      {"op": "update", "key": pfx(0, 0, 0, 0, 0), "value": u64(99), "flags": 0},
                      {"op": "update", "key": pfx(4, 16, 0, 0, 0), "value": u64(4), "flags": 0},
                      {"op": "update", "key": pfx(40, 1, 0, 0, 0), "value": u64(4), "flags": 0},
                      {"op": "update", "key": pfx(16, 10, 1, 0, 0), "value": u64(4), "flags": 3},
                      {"op": "lookup", "key": pfx(32, 200, 1, 2, 3)},
                      {"op": "delete", "key": pfx(16, 10, 1, 9, 9)}, {"op": "delete", "key": pfx(17, 10, 1, 0, 0)},
                      {"op": "delete", "key": pfx(33, 10, 1, 0, 0)},
                      {"op": "lookup", "key": pfx(32, 10, 1, 2, 3)}]})
    rb = {"type": "ringbuf", "keySize": 0, "valueSize": 0, "maxEntries": 4096, "flags": 0}
    S.append({"name": "ringbuf records, discard, query, full", "map": rb,
              "ops": [{"op": "rb_query", "flags": f} for f in (0, 1, 2, 3, 4)]
              + [{"op": "rb_output", "value": "0102030405", "flags": 0},
                 {"op": "rb_submit", "size": 12, "value": "aabbccdd"},
                 {"op": "rb_discard", "size": 3, "value": "99"},
                 {"op": "rb_output", "value": "11" * 16, "flags": 1},
                 {"op": "rb_output", "value": "22" * 4, "flags": 4},
                 {"op": "rb_submit", "size": 8, "reserveFlags": 1},
                 {"op": "rb_query", "flags": 0}, {"op": "rb_query", "flags": 3}]
              + [{"op": "rb_output", "value": ("%02x" % k) * 120, "flags": 2} for k in range(1, 36)]
              + [{"op": "rb_query", "flags": 0}, {"op": "rb_query", "flags": 2}]})
    S.append({"name": "devmap syscall updates", "map": {"type": "devmap", "keySize": 4, "valueSize": 4, "maxEntries": 4, "flags": 0},
              "sys": [{"key": u32(0), "value": u32(1)}, {"key": u32(1), "value": u32(9999)}, {"key": u32(2), "value": u32(1), "flags": 1},
                      {"key": u32(3), "value": u32(1), "flags": 2}, {"key": u32(4), "value": u32(1)}, {"key": u32(0), "value": u32(0)},
                      {"key": u32(1), "value": u32(1), "flags": 3}]})
    S.append({"name": "devmap_hash syscall updates", "map": {"type": "devmap_hash", "keySize": 4, "valueSize": 4, "maxEntries": 2, "flags": 0},
              "sys": [{"key": u32(70), "value": u32(1)}, {"key": u32(70), "value": u32(1), "flags": 1}, {"key": u32(5), "value": u32(1), "flags": 2},
                      {"key": u32(6), "value": u32(1)}, {"key": u32(8), "value": u32(0)}, {"key": u32(70), "value": u32(1), "flags": 2}]})
    S.append({"name": "cpumap syscall updates", "map": {"type": "cpumap", "keySize": 4, "valueSize": 4, "maxEntries": 4, "flags": 0},
              "sys": [{"key": u32(0), "value": u32(64)}, {"key": u32(1), "value": u32(64), "flags": 1}, {"key": u32(3), "value": u32(64)},
                      {"key": u32(4), "value": u32(64)}, {"key": u32(1), "value": u32(20000)}, {"key": u32(1), "value": u32(0)},
                      {"key": u32(1), "value": u32(16384), "flags": 2}]})
    S += random_scenarios()
    return S


def random_scenarios():
    """Seeded random op sequences over small key domains, so keys collide, maps fill up and LRU maps evict."""
    import random
    out = []
    kinds = [("hash", 8, 0, 12), ("percpu_hash", 6, 0, 10), ("lru_hash", 8, 0, 14), ("lru_hash", 8, 2, 14),
             ("lru_percpu_hash", 6, 0, 12), ("lru_percpu_hash", 6, 2, 12), ("lru_hash", 300, 0, 400),
             ("lru_hash", 40, 0, 60), ("lpm_trie", 6, 1, 0), ("queue", 5, 0, 0), ("stack", 5, 0, 0)]
    for t, max_entries, flags, domain in kinds:
        for seed in (1, 2, 3):
            rnd = random.Random("%s-%d-%d-%d" % (t, max_entries, flags, seed))
            ops = []
            nops = 90 if max_entries < 100 else 400
            if t == "lpm_trie":
                spec = {"type": t, "keySize": 8, "valueSize": 8, "maxEntries": max_entries, "flags": flags}
                for _ in range(nops):
                    plen = rnd.choice([0, 4, 8, 12, 16, 24, 32])
                    addr = bytes([rnd.choice([10, 11]), rnd.choice([0, 1, 2]), rnd.randrange(4), rnd.randrange(256)])
                    key = u32(plen) + addr.hex()
                    r = rnd.random()
                    if r < 0.4:
                        ops.append({"op": "update", "key": key, "value": u64(rnd.randrange(1 << 32)), "flags": rnd.choice([0, 0, 1, 2])})
                    elif r < 0.8:
                        ops.append({"op": "lookup", "key": u32(32) + addr.hex()})
                    else:
                        ops.append({"op": "delete", "key": key})
            elif t in ("queue", "stack"):
                spec = {"type": t, "keySize": 0, "valueSize": 8, "maxEntries": max_entries, "flags": flags}
                for _ in range(nops):
                    r = rnd.random()
                    if r < 0.5:
                        ops.append({"op": "push", "value": u64(rnd.randrange(1 << 40)), "flags": rnd.choice([0, 0, 2])})
                    elif r < 0.8:
                        ops.append({"op": "pop"})
                    else:
                        ops.append({"op": "peek"})
            else:
                spec = {"type": t, "keySize": 4, "valueSize": 8, "maxEntries": max_entries, "flags": flags}
                for _ in range(nops):
                    key = u32(rnd.randrange(domain))
                    r = rnd.random()
                    if r < 0.5:
                        ops.append({"op": "update", "key": key, "value": u64(rnd.randrange(1 << 40)),
                                    "flags": rnd.choice([0, 0, 0, 1, 2])})
                    elif r < 0.85:
                        ops.append({"op": "lookup", "key": key})
                    else:
                        ops.append({"op": "delete", "key": key})
            out.append({"name": "random %s max %d flags %d seed %d" % (t, max_entries, flags, seed), "map": spec, "ops": ops,
                        # the program is kept for one seed per kind (the interpreter replay); all seeds replay on the maps
                        "keepProgram": seed == 1 and nops <= 100})
    return out


def create_cases():
    c = []
    def add(t, ks, vs, me, fl=0, extra=0):
        c.append({"type": t, "keySize": ks, "valueSize": vs, "maxEntries": me, "flags": fl, "mapExtra": extra})
    for t in ("array", "percpu_array"):
        add(t, 4, 8, 1); add(t, 8, 8, 1); add(t, 4, 0, 1); add(t, 4, 8, 0); add(t, 4, 8, 1, 1 << 10)
        add(t, 4, 8, 1, 1 << 11); add(t, 4, 8, 1, 0x180); add(t, 4, 8, 1, 0x18); add(t, 4, 8, 1, 1 << 20)
        add(t, 4, 32768, 1); add(t, 4, 32769, 1); add(t, 4, 8, 1, 1 << 12); add(t, 4, 8, 1, 0, 1)
        add(t, 4, 8, 1, 0x80); add(t, 4, 8, 1, 4)
    for t in ("hash", "percpu_hash", "lru_hash", "lru_percpu_hash", "hash_of_maps"):
        add(t, 4, 4, 1); add(t, 0, 8, 1); add(t, 4, 0, 1); add(t, 4, 8, 0); add(t, 4, 8, 1, 1)
        add(t, 4, 8, 1, 2); add(t, 4, 8, 1, 64); add(t, 4, 8, 1, 1 << 10); add(t, 4, 8, 1, 3)
        add(t, 4, 32768, 1); add(t, 4, 32776, 1); add(t, 4, 8, 1, 4); add(t, 4, 8, 1, 0x180)
    for t in ("prog_array", "perf_event_array", "array_of_maps"):
        add(t, 4, 4, 1); add(t, 4, 8, 1); add(t, 8, 4, 1); add(t, 4, 4, 0); add(t, 4, 4, 1, 1 << 11)
        add(t, 4, 4, 1, 0x80); add(t, 4, 4, 1, 1 << 10)
    add("lpm_trie", 8, 8, 1, 1); add("lpm_trie", 8, 8, 1, 0); add("lpm_trie", 4, 8, 1, 1); add("lpm_trie", 5, 8, 1, 1)
    add("lpm_trie", 260, 8, 1, 1); add("lpm_trie", 261, 8, 1, 1); add("lpm_trie", 8, 0, 1, 1); add("lpm_trie", 8, 8, 0, 1)
    add("lpm_trie", 8, 8, 1, 3)
    for t in ("queue", "stack"):
        add(t, 0, 8, 1); add(t, 4, 8, 1); add(t, 0, 0, 1); add(t, 0, 8, 0); add(t, 0, 8, 1, 1); add(t, 0, 8, 1, 0x8)
        add(t, 0, 1 << 20, 4095); add(t, 0, 1 << 20, 4096)
    for a in ((0, 8, 1), (4, 8, 1), (0, 0, 1), (0, 8, 0)):
        add("bloom_filter", *a)
    add("bloom_filter", 0, 8, 1, 0, 15); add("bloom_filter", 0, 8, 1, 0, 16); add("bloom_filter", 0, 8, 1, 64); add("bloom_filter", 0, 8, 1, 1)
    for me in (4096, 8192, 4095, 2048, 12288, 0):
        add("ringbuf", 0, 0, me)
    add("ringbuf", 4, 0, 4096); add("ringbuf", 0, 4, 4096); add("ringbuf", 0, 0, 4096, 4); add("ringbuf", 0, 0, 4096, 1)
    for t in ("devmap", "devmap_hash"):
        add(t, 4, 4, 1); add(t, 4, 8, 1); add(t, 4, 6, 1); add(t, 8, 4, 1); add(t, 4, 4, 0); add(t, 4, 4, 1, 8); add(t, 4, 4, 1, 0x80)
    add("cpumap", 4, 4, 1); add("cpumap", 4, 8, 1); add("cpumap", 4, 12, 1); add("cpumap", 4, 4, 8192); add("cpumap", 4, 4, 8193)
    add("cpumap", 4, 4, 1, 8); add("cpumap", 4, 4, 0)
    add("xskmap", 4, 4, 1); add("xskmap", 4, 8, 1); add("xskmap", 4, 4, 1, 8); add("xskmap", 4, 4, 1, 0x80)
    return c


def main():
    out = {"kernel": ORACLE.kernel, "cpus": kbpf.NCPUS, "creates": [], "scenarios": []}
    for spec in create_cases():
        b = {"progType": "xdp", "insns": bpfasm.assemble_hex("r0 = 2\nexit\n"), "logLevel": 1,
             "maps": [dict(spec, name="m")], "runs": []}
        r, _ = kbpf.run_one(ORACLE, json.dumps(b), drop_log=True)
        if "error" in r:
            m = ERR.search(r["error"])
            res = m.group(1) if m else "ERROR: " + r["error"]
        else:
            res = "OK"
        out["creates"].append({"spec": spec, "kernel": res})
    for sc in scenarios():
        sc = dict(sc)
        sc["kernel"] = record(sc)
        sc.pop("keepProgram", None)
        out["scenarios"].append(sc)
    # one create case / scenario per line: small, and diffs show which scenario changed
    w = sys.stdout.write
    w('{"kernel": %s, "cpus": %d,\n "creates": [\n' % (json.dumps(out["kernel"]), out["cpus"]))
    w(",\n".join("  " + json.dumps(c, separators=(",", ":")) for c in out["creates"]))
    w('\n ],\n "scenarios": [\n')
    w(",\n".join("  " + json.dumps(c, separators=(",", ":")) for c in out["scenarios"]))
    w("\n ]\n}\n")


if __name__ == "__main__":
    main()
