#!/usr/bin/env python3
"""Regenerate data-directives.kernel.json: programs that use the assembler's
data directives (.rodata, .init, .map ... frozen), as Linux 6.18 judges and
runs them. For each case the maps are written out here by hand (what the
directives must mean: libbpf's .rodata shape, little-endian numbers, NUL-padded
strings) and the instructions come from ../shared/tools/bpfasm.py on the code
lines alone (directives dropped, map names replaced by their index), so
neither depends on bpfiddle's assembler. The kernel's verdict, error line,
processed instruction count and test-run results are recorded; frozen maps are
frozen with BPF_MAP_FREEZE (kbpf-frozen.py). src/core/asm/data-directives.test.ts
replays them through assemble -> verify -> run.

Needs root: python3 test-data/asm/data-directives-record.py > test-data/asm/data-directives.kernel.json
"""
import json, os, re, struct, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
TOOLS = "/work/shared/tools"
kbpf_frozen = __import__("kbpf-frozen")  # patches kbpf.Oracle to freeze maps
kbpf = kbpf_frozen.kbpf

UDP = ("020000000002020000000001080045000032000100004011"
       "66b80a0000010a00000230390035001e0000" + "".join("%02x" % i for i in range(16)))
CASES = []
PING = b"ping".hex()


def case(name, prog_type, asm, maps, packets=None):
    CASES.append({"name": name, "progType": prog_type, "asm": ".prog %s\n%s\n" % (prog_type, asm.strip()), "maps": maps,
                  "packets": packets if packets is not None else [UDP]})


def le(n, size):
    return (n % (1 << (8 * size))).to_bytes(size, "little")


def entry(key, value):
    return {"key": key.hex(), "value": value.hex()}


def rodata(name, data):
    """what libbpf makes of a .rodata section holding `data`"""
    return {"name": name, "type": "array", "keySize": 4, "valueSize": len(data), "maxEntries": 1,
            "flags": 0x80, "frozen": True, "init": [entry(le(0, 4), data)]}


def mapdef(name, typ, key, value, entries, flags=0, frozen=False, init=None):
    m = {"name": name, "type": typ, "keySize": key, "valueSize": value, "maxEntries": entries, "flags": flags}
    if init:
        m["init"] = init
    if frozen:
        m["frozen"] = True
    return m


def stack_string(s, at=8):
    """store up to 8 bytes of s (NUL-padded) at r10 - at"""
    b = s + b"\0" * (8 - len(s))
    lo, hi = struct.unpack("<II", b)
    return "r1 = 0x%x\n*(u32 *)(r10 - %d) = r1\nr1 = 0x%x\n*(u32 *)(r10 - %d) = r1\n" % (lo, at, hi, at - 4)


def strncmp_prog(rodata_decl, s1, size=8):
    return (rodata_decl + "\n" + stack_string(s1) +
            "r1 = r10\nr1 += -8\nr2 = %d\nr3 = map_value[want] ll\ncall bpf_strncmp\nexit" % size)


# --- bpf_strncmp against a .rodata string
for s1, size in ((b"hello", 8), (b"hella", 8), (b"hellz", 8), (b"help", 3), (b"hello", 5), (b"", 1)):
    case("strncmp %r size %d" % (s1.decode(), size), "xdp", strncmp_prog('.rodata want "hello"', s1, size), [rodata("want", b"hello\0")])
case("strncmp escapes in the string", "sched_cls", strncmp_prog(r'.rodata want "a\tb\x01\"\\"', b'a\tb\x01"\\'),
     [rodata("want", b'a\tb\x01"\\\0')])
case("strncmp string from hex bytes", "xdp", strncmp_prog('.rodata want x"6869 00"', b"hi"), [rodata("want", b"hi\0")])
case("strncmp string at an offset", "xdp",
     strncmp_prog('.rodata want "hello"', b"llo").replace("map_value[want] ll", "map_value[want] ll\nr3 += 2"),
     [rodata("want", b"hello\0")])
case("strncmp on a frozen map without BPF_F_RDONLY_PROG", "xdp",
     strncmp_prog(".map want array key=4 value=8 entries=1 frozen\n.init want 0 = \"hello\"", b"hello"),
     [mapdef("want", "array", 4, 8, 1, frozen=True, init=[entry(le(0, 4), b"hello\0\0\0")])])
case("strncmp on a read-only map that is not frozen", "xdp",
     strncmp_prog(".map want array key=4 value=8 entries=1 flags=0x80\n.init want 0 = \"hello\"", b"hello"),
     [mapdef("want", "array", 4, 8, 1, flags=0x80, init=[entry(le(0, 4), b"hello\0\0\0")])])
case("strncmp matches the packet payload", "xdp", """
.rodata want "ping"
r2 = *(u32 *)(r1 + 4)
r1 = *(u32 *)(r1 + 0)
r3 = r1
r3 += 46
if r3 > r2 goto drop
r1 += 42
r2 = 4
r3 = map_value[want] ll
call bpf_strncmp
if r0 != 0 goto drop
r0 = 2
exit
drop:
r0 = 1
exit
""", [rodata("want", b"ping\0")], [UDP, UDP[:84] + PING + UDP[92:]])
case("strncmp matches the packet payload copied to the stack", "xdp", """
.rodata want "ping"
r2 = *(u32 *)(r1 + 4)
r1 = *(u32 *)(r1 + 0)
r3 = r1
r3 += 46
if r3 > r2 goto drop
r3 = *(u32 *)(r1 + 42)
*(u64 *)(r10 - 8) = r3
r1 = r10
r1 += -8
r2 = 4
r3 = map_value[want] ll
call bpf_strncmp
if r0 != 0 goto drop
r0 = 2
exit
drop:
r0 = 1
exit
""", [rodata("want", b"ping\0")], [UDP, UDP[:84] + PING + UDP[92:], UDP[:84] + b"pong".hex() + UDP[92:], UDP[:84] + b"pinG".hex() + UDP[92:]])

# --- reading .init data
case("read an .init value through map_value", "xdp", """
.map cfg array key=4 value=16 entries=1
.init cfg 0 = x"11223344 55667788 99aabbcc ddeeff00"
r1 = map_value[cfg] + 4 ll
r0 = *(u32 *)(r1 + 0)
r1 = *(u64 *)(r1 + 4)
r0 ^= r1
exit
""", [mapdef("cfg", "array", 4, 16, 1, init=[entry(le(0, 4), bytes.fromhex("1122334455667788 99aabbccddeeff00"))])])
case("read .rodata numbers: the verifier knows them", "xdp", """
.rodata limits x"05000000 07000000"
r1 = map_value[limits] ll
r0 = *(u32 *)(r1 + 0)
r2 = *(u32 *)(r1 + 4)
if r0 == 5 goto ok
r0 = 0
r0 /= 0
exit
ok:
r0 += r2
exit
""", [rodata("limits", bytes.fromhex("0500000007000000"))])
case("hash map .init entries: a number, a negative number, a string", "sched_cls", """
.map h hash key=4 value=8 entries=8
.init h 7 = 1234
.init h 0x100 = -2
.init h 3 = "abc"
r6 = 0
*(u32 *)(r10 - 4) = 7
r1 = map[h] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto miss
r6 = *(u64 *)(r0 + 0)
*(u32 *)(r10 - 4) = 256
r1 = map[h] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto miss
r1 = *(u64 *)(r0 + 0)
r6 += r1
*(u32 *)(r10 - 4) = 3
r1 = map[h] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto miss
r1 = *(u32 *)(r0 + 0)
r6 ^= r1
miss:
r0 = r6
exit
""", [mapdef("h", "hash", 4, 8, 8, init=[entry(le(7, 4), le(1234, 8)), entry(le(0x100, 4), le(-2, 8)), entry(le(3, 4), b"abc\0\0\0\0\0")])])
case("queue .init entries pop in order", "xdp", """
.map q queue key=0 value=4 entries=4
.init q = 10
.init q = 20
r1 = map[q] ll
r2 = r10
r2 += -4
call bpf_map_pop_elem
r6 = *(u32 *)(r10 - 4)
r1 = map[q] ll
r2 = r10
r2 += -4
call bpf_map_pop_elem
r0 = *(u32 *)(r10 - 4)
r0 *= 100
r0 += r6
exit
""", [{"name": "q", "type": "queue", "keySize": 0, "valueSize": 4, "maxEntries": 4, "flags": 0,
       "init": [{"key": "", "value": le(10, 4).hex()}, {"key": "", "value": le(20, 4).hex()}]}])
case("percpu_array .init value on every CPU", "xdp", """
.map pc percpu_array key=4 value=8 entries=2
.init pc 1 = 0x10203
*(u32 *)(r10 - 4) = 1
r1 = map[pc] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto out
r0 = *(u64 *)(r0 + 0)
out:
exit
""", [mapdef("pc", "percpu_array", 4, 8, 2, init=[entry(le(1, 4), le(0x10203, 8))])])

# --- writes into frozen / read-only maps
case("store into a frozen map", "xdp", """
.map cfg array key=4 value=8 entries=1 frozen
r1 = map_value[cfg] ll
r2 = 1
*(u64 *)(r1 + 0) = r2
r0 = 2
exit
""", [mapdef("cfg", "array", 4, 8, 1, frozen=True)])
case("store into .rodata", "xdp", """
.rodata msg "hi"
r1 = map_value[msg] ll
*(u8 *)(r1 + 0) = 0
r0 = 2
exit
""", [rodata("msg", b"hi\0")])
case("atomic add into a frozen map found by lookup", "xdp", """
.map cfg array key=4 value=8 entries=1 frozen
*(u32 *)(r10 - 4) = 0
r1 = map[cfg] ll
r2 = r10
r2 += -4
call bpf_map_lookup_elem
if r0 == 0 goto out
r1 = 1
lock *(u64 *)(r0 + 0) += r1
out:
r0 = 2
exit
""", [mapdef("cfg", "array", 4, 8, 1, frozen=True)])
case("helper writes into a frozen map value", "xdp", """
.map cfg array key=4 value=8 entries=1 frozen
r1 = map_value[cfg] ll
r2 = 8
r3 = 0
call bpf_probe_read_kernel
r0 = 2
exit
""", [mapdef("cfg", "array", 4, 8, 1, frozen=True)])
case("read a frozen map that is not read-only to programs", "xdp", """
.map cfg array key=4 value=8 entries=1 frozen
.init cfg 0 = 42
r1 = map_value[cfg] ll
r0 = *(u64 *)(r1 + 0)
exit
""", [mapdef("cfg", "array", 4, 8, 1, frozen=True, init=[entry(le(0, 4), le(42, 8))])])


def code_only(asm, maps):
    """the instructions for bpfasm.py: no directives, maps by index"""
    names = [m["name"] for m in maps]
    lines = [l for l in asm.split("\n") if not l.strip().startswith(".")]
    text = "\n".join(lines)
    return re.sub(r"\b(map|map_value)\[([A-Za-z_]\w*)\]", lambda m: "%s[%d]" % (m.group(1), names.index(m.group(2))), text)


def main():
    oracle = kbpf.Oracle()
    out = []
    for c in CASES:
        r = subprocess.run([sys.executable, TOOLS + "/bpfasm.py", "asm", "-"], input=code_only(c["asm"], c["maps"]),
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit("%s: %s" % (c["name"], r.stderr))
        c["insns"] = "".join(r.stdout.split())
        b = {"progType": c["progType"], "insns": c["insns"], "maps": c["maps"], "logLevel": 1,
             "runs": [{"data": p} for p in c["packets"]]}
        res, _ = kbpf.run_one(oracle, json.dumps(b), drop_log=True)
        if res.get("error"):
            sys.exit("%s: %s" % (c["name"], res["error"]))
        c["verdict"] = res.get("verdict")
        c["errorInsn"] = res.get("errorInsn")
        c["errorLine"] = res.get("errorLine")
        c["processedInsns"] = res.get("processedInsns")
        if res.get("verdict") == "accepted":
            c["runs"] = [{k: v for k, v in run.items() if k in ("retval", "dataOut")} for run in res.get("runs", [])]
        else:
            c.pop("packets")
        out.append(c)
    json.dump({"source": "Linux 6.18 via ../shared/tools/kbpf.py (maps marked \"frozen\" are frozen with BPF_MAP_FREEZE)",
               "cases": out}, sys.stdout, indent=1)
    print()


main()
