#!/usr/bin/env python3
"""Regenerate helper-availability-calls.json: calls of helpers whose
arguments need more than a type check — bpf_strncmp's constant string
(ARG_PTR_TO_CONST_STR: a frozen read-only array), bpf_for_each_map_elem's
callback, bpf_strtol/strtoul, bpf_xdp_load/store_bytes, the cgroup/ECN/
csum-level/tstamp helpers — verified by the real Linux 6.18 kernel (verdict,
error instruction and line, instructions processed) and, when accepted, test-run on a few packets
(retval, data_out). Maps marked "frozen" are frozen (BPF_MAP_FREEZE) after
their initial contents are written, which kbpf.py alone does not do.
src/core/runtime/helpers/helper-calls.test.ts replays them.

Needs root: python3 test-data/verifier/helper-availability-calls-record.py > test-data/verifier/helper-availability-calls.json
"""
import json, struct, subprocess, sys

TOOLS = "/work/shared/tools"
sys.path.insert(0, TOOLS)
import kbpf  # noqa: E402

BPF_MAP_FREEZE = 22
_create = kbpf.Oracle.create_maps


def create_and_freeze(self, specs, fds, notes):
    infos = _create(self, specs, fds, notes)
    for spec, info in zip(specs, infos):
        if spec.get("frozen"):
            a = kbpf.new_attr()
            struct.pack_into("<I", a, 0, info["fd"])
            r = kbpf.sys_bpf(BPF_MAP_FREEZE, a)
            if r < 0:
                raise kbpf.BundleError("freeze failed: %s" % kbpf.errno_name(-r))
    return infos


kbpf.Oracle.create_maps = create_and_freeze

UDP = ("020000000002020000000001080045000032000100004011"
       "66b80a0000010a00000230390035001e0000" + "".join("%02x" % i for i in range(16)))
# IPv4 with ECT(0) / ECT(1) / CE in the TOS byte (checksums fixed up below)
def ipv4_tos(tos):
    b = bytearray.fromhex(UDP)
    b[15] = tos
    b[24:26] = b"\0\0"
    s = sum(struct.unpack("!10H", bytes(b[14:34])))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    b[24:26] = struct.pack("!H", ~s & 0xffff)
    return b.hex()
V6_ECT = ("02000000000202000000000186dd" "60200000" "0018" "1140" + "fd00" + "00" * 13 + "01" + "fd00" + "00" * 13 + "02" +
          "3039003500180000" "00112233445566778899aabbccddeeff")
PKTS = [UDP]

CASES = []


def case(name, prog_type, asm, maps=None, packets=None, license_="GPL"):
    CASES.append({"name": name, "progType": prog_type, "asm": asm.strip() + "\n", "maps": maps or [],
                  "packets": packets if packets is not None else PKTS, "license": license_})


def strmap(value, typ="array", flags=0x80, frozen=True, entries=1, vsize=16):
    v = value.encode() if isinstance(value, str) else value
    v = v + b"\0" * (vsize - len(v))
    m = {"name": "str", "type": typ, "keySize": 4, "valueSize": vsize, "maxEntries": entries, "flags": flags,
         "init": [{"key": "00000000", "value": v.hex()}]}
    if frozen:
        m["frozen"] = True
    return m


# --- bpf_strncmp(s1, s1_sz, s2 constant string)
def strncmp(s1, size=8, setup_r3="r3 = map_value[0] ll"):
    words = s1.encode() + b"\0" * (8 - len(s1.encode()))
    lo, hi = struct.unpack("<II", words[:8])
    return ("r1 = 0x%x\n*(u32 *)(r10 - 8) = r1\nr1 = 0x%x\n*(u32 *)(r10 - 4) = r1\n"
            "r1 = r10\nr1 += -8\nr2 = %d\n%s\ncall 182\nexit" % (lo, hi, size, setup_r3))

for s1, size in (("hello", 8), ("hello", 5), ("hellp", 8), ("hell", 8), ("help", 3), ("", 1), ("zzz", 8)):
    case("strncmp %r size %d" % (s1, size), "xdp", strncmp(s1, size), [strmap("hello")])
case("strncmp size 0", "xdp", strncmp("a", 0), [strmap("hello")])
case("strncmp string at an offset", "xdp", strncmp("llo", 8, "r3 = map_value[0] ll\nr3 += 2"), [strmap("hello")])
case("strncmp empty string at the NUL", "xdp", strncmp("", 8, "r3 = map_value[0] ll\nr3 += 5"), [strmap("hello")])
case("strncmp last byte", "xdp", strncmp("x", 8, "r3 = map_value[0] ll\nr3 += 15"), [strmap("hello")])
case("strncmp past the value", "xdp", strncmp("x", 8, "r3 = map_value[0] ll\nr3 += 16"), [strmap("hello")])
case("strncmp not read-only", "xdp", strncmp("hello"), [strmap("hello", flags=0, frozen=False)])
case("strncmp read-only flag, not frozen", "xdp", strncmp("hello"), [strmap("hello", frozen=False)])
case("strncmp frozen, no read-only flag", "xdp", strncmp("hello"), [strmap("hello", flags=0)])
case("strncmp not NUL-terminated", "xdp", strncmp("hello"), [strmap(b"a" * 16)])
case("strncmp NUL only before the offset", "xdp", strncmp("x", 8, "r3 = map_value[0] ll\nr3 += 4"), [strmap(b"abc\0" + b"b" * 12)])
case("strncmp two-entry array", "xdp", """
r1 = 0
*(u32 *)(r10 - 12) = r1
r1 = map[0] ll
r2 = r10
r2 += -12
call 1
if r0 == 0 goto out
r3 = r0
r1 = r10
r1 += -8
r2 = 0
*(u64 *)(r10 - 8) = r2
r2 = 8
call 182
out:
exit""", [strmap("hello", entries=2)])
case("strncmp variable offset", "xdp", strncmp("hello", 8, "r3 = map_value[0] ll\nr4 = *(u32 *)(r6 + 16)\nr4 &= 3\nr3 += r4").replace("r1 = 0x", "r6 = r1\nr1 = 0x", 1), [strmap("hello")])
case("strncmp stack string", "xdp", strncmp("hello", 8, "r3 = r10\nr3 += -8"), [strmap("hello")])
case("strncmp scalar string", "xdp", strncmp("hello", 8, "r3 = 0"), [strmap("hello")])
case("strncmp hash value", "xdp", """
r1 = 0
*(u32 *)(r10 - 12) = r1
r1 = map[0] ll
r2 = r10
r2 += -12
call 1
if r0 == 0 goto out
r3 = r0
r1 = r10
r1 += -8
r2 = 0
*(u64 *)(r10 - 8) = r2
r2 = 8
call 182
out:
exit""", [strmap("hello", typ="hash")])
case("strncmp non-GPL", "xdp", strncmp("hello"), [strmap("hello")], license_="Dual BSD")
case("strncmp sched_cls", "sched_cls", strncmp("hellz"), [strmap("hello")])

# --- bpf_for_each_map_elem(map, callback, ctx, flags)
def arr(name, typ="array", key=4, val=8, n=4, init=None, flags=0):
    m = {"name": name, "type": typ, "keySize": key, "valueSize": val, "maxEntries": n, "flags": flags}
    if init:
        m["init"] = init
    return m

FE = """
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = map[0] ll
r2 = func cb ll
r3 = r10
r3 += -8
r4 = %(flags)s
call 164
r1 = *(u64 *)(r10 - 8)
r0 <<= 8
r0 += r1
exit
cb:
%(body)s
"""
COUNT = "r1 = *(u64 *)(r4 + 0)\nr1 += 1\n*(u64 *)(r4 + 0) = r1\nr0 = 0\nexit"
VALS = [{"key": "%02x000000" % k, "value": "%02x00000000000000" % (k * 3 + 1)} for k in range(3)]
for typ in ("array", "percpu_array", "hash", "lru_hash", "percpu_hash"):
    for pt in ("xdp", "sched_cls"):
        case("for_each %s counts (%s)" % (typ, pt), pt, FE % {"flags": 0, "body": COUNT}, [arr("m", typ, init=VALS)])
case("for_each stops when the callback returns 1", "xdp", FE % {"flags": 0, "body": "r1 = *(u64 *)(r4 + 0)\nr1 += 1\n*(u64 *)(r4 + 0) = r1\nr0 = 0\nr1 = *(u32 *)(r2 + 0)\nif r1 != 1 goto +1\nr0 = 1\nexit"}, [arr("m")])
case("for_each sums the values", "sched_cls", FE % {"flags": 0, "body": "r5 = *(u64 *)(r3 + 0)\nr1 = *(u64 *)(r4 + 0)\nr1 += r5\n*(u64 *)(r4 + 0) = r1\nr0 = 0\nexit"}, [arr("m", init=VALS)])
case("for_each writes the values", "xdp", FE % {"flags": 0, "body": "r1 = *(u32 *)(r2 + 0)\n*(u64 *)(r3 + 0) = r1\nr0 = 0\nexit"}, [arr("m")])
case("for_each flags", "xdp", FE % {"flags": 1, "body": COUNT}, [arr("m")])
case("for_each callback returns 2", "xdp", FE % {"flags": 0, "body": "r0 = 2\nexit"}, [arr("m")])
case("for_each callback returns unknown", "xdp", FE % {"flags": 0, "body": "r0 = *(u64 *)(r3 + 0)\nexit"}, [arr("m")])
case("for_each callback writes the key", "xdp", FE % {"flags": 0, "body": "r1 = 1\n*(u32 *)(r2 + 0) = r1\nr0 = 0\nexit"}, [arr("m")])
case("for_each callback reads past the value", "xdp", FE % {"flags": 0, "body": "r1 = *(u64 *)(r3 + 8)\nr0 = 0\nexit"}, [arr("m")])
case("for_each callback reads past the key", "xdp", FE % {"flags": 0, "body": "r1 = *(u32 *)(r2 + 4)\nr0 = 0\nexit"}, [arr("m")])
case("for_each callback reads r5", "xdp", FE % {"flags": 0, "body": "r0 = r5\nr0 = 0\nexit"}, [arr("m")])
case("for_each callback gets the map in r1", "xdp", FE % {"flags": 0, "body": "r2 = r10\nr2 += -4\nr3 = 0\n*(u32 *)(r10 - 4) = r3\ncall 1\nr0 = 0\nexit"}, [arr("m")])
case("for_each null ctx dereferenced", "xdp", (FE % {"flags": 0, "body": COUNT}).replace("r3 = r10\nr3 += -8\n", "r3 = 0\n", 1), [arr("m")])
case("for_each ctx is a map value", "xdp", (FE % {"flags": 0, "body": "r0 = 0\nexit"}).replace("r3 = r10\nr3 += -8\n", "r3 = map_value[0] ll\n", 1), [arr("m", n=1)])
case("for_each callback not a function", "xdp", (FE % {"flags": 0, "body": "r0 = 0\nexit"}).replace("r2 = func cb ll", "r2 = 0", 1), [arr("m")])
for typ, extra in (("lpm_trie", {"keySize": 8, "flags": 1}), ("queue", {"keySize": 0}), ("array_of_maps", {"valueSize": 4}), ("prog_array", {"valueSize": 4})):
    m = arr("m", typ)
    m.update(extra)
    case("for_each over a %s" % typ, "xdp", FE % {"flags": 0, "body": "r0 = 0\nexit"}, [m])

# --- bpf_strtol / bpf_strtoul(buf, len, flags, res)
def strto(helper, text, flags, size=None):
    b = text.encode() if isinstance(text, str) else text
    b = b + b"\0" * (24 - len(b))
    lines = []
    for i in range(0, 24, 4):
        lines.append("r1 = 0x%x\n*(u32 *)(r10 - %d) = r1" % (struct.unpack("<I", b[i:i + 4])[0], 32 - i))
    lines.append("r1 = 0x5a5a\n*(u64 *)(r10 - 40) = r1")
    # the result goes into the packet's first 8 bytes (data_out shows it), the return value is retval
    lines.append("r1 = r10\nr1 += -32\nr2 = %d\nr3 = %d\nr4 = r10\nr4 += -40\ncall %d\nr6 = r0\n"
                 "r1 = r7\nr2 = 0\nr3 = r10\nr3 += -40\nr4 = 8\nr5 = 0\ncall 9\nr0 = r6\nexit"
                 % (size if size is not None else len(text), flags, helper))
    return "r7 = r1\n" + "\n".join(lines)

for text, flags in (("123", 0), ("  -42", 0), ("0x1f", 0), ("0x1f", 16), ("0x", 0), ("0xg", 0), ("017", 0), ("017", 10), ("089", 0),
                    ("ff", 16), ("FF", 16), ("z", 36), ("12", 3), ("12", 1 << 5), ("", 0), ("-", 0), (" ", 0), ("+5", 0),
                    ("18446744073709551615", 0), ("18446744073709551616", 0), ("9223372036854775807", 0),
                    ("9223372036854775808", 0), ("-9223372036854775808", 0), ("-9223372036854775809", 0), ("12ab", 10), ("\t\n7", 0)):
    for helper in (105, 106):
        case("strto%s %r flags %d" % ("l" if helper == 105 else "ul", text, flags), "sched_cls", strto(helper, text, flags))
case("strtol stops at the given length", "sched_cls", strto(105, "12345", 0, 3))
case("strtol NUL inside", "sched_cls", strto(105, b"12\x0034", 0, 5))

# --- XDP load/store bytes, buffer length
for off, n in ((0, 4), (54, 4), (55, 4), (58, 1), (57, 1), (0x10000, 4)):
    case("xdp_load_bytes off %d len %d" % (off, n), "xdp",
         "r6 = r1\nr1 = 0\n*(u64 *)(r10 - 8) = r1\nr1 = r6\nr2 = %d\nr3 = r10\nr3 += -8\nr4 = %d\ncall 189\n"
         "r1 = *(u32 *)(r10 - 8)\nr0 <<= 16\nr1 &= 0xffff\nr0 |= r1\nexit" % (off, min(n, 8)) if n <= 8 else
         "r6 = r1\nr2 = %d\nr3 = r10\nr3 += -8\nr4 = 8\ncall 189\nexit" % off)
for off in (0, 30, 57, 58):
    case("xdp_store_bytes off %d" % off, "xdp", "r2 = 0x7f7f7f7f\n*(u32 *)(r10 - 8) = r2\nr2 = %d\nr3 = r10\nr3 += -8\nr4 = 1\ncall 190\nexit" % off)
case("xdp_get_buff_len", "xdp", "call 188\nexit")

# --- simulated-machine helpers with deterministic kernel answers
for name, asm in (("skb_cgroup_id", "call 79\nexit"), ("skb_ancestor_cgroup_id 0", "r2 = 0\ncall 83\nexit"),
                  ("skb_ancestor_cgroup_id 1", "r2 = 1\ncall 83\nexit"), ("skb_cgroup_classid", "call 151\nexit"),
                  ("get_route_realm", "call 24\nexit"), ("get_cgroup_classid", "call 17\nexit"),
                  ("get_current_cgroup_id", "call 80\nexit"), ("get_current_ancestor_cgroup_id 0", "r1 = 0\ncall 123\nexit"),
                  ("get_current_ancestor_cgroup_id 3", "r1 = 3\ncall 123\nexit"),
                  ("redirect_peer", "r1 = 1\nr2 = 0\ncall 155\nexit"), ("redirect_peer flags", "r1 = 1\nr2 = 1\ncall 155\nexit"),
                  ("redirect_neigh", "r1 = 1\nr2 = 0\nr3 = 0\nr4 = 0\ncall 152\nexit"),
                  ("redirect_neigh flags", "r1 = 1\nr2 = 0\nr3 = 0\nr4 = 1\ncall 152\nexit"),
                  ("send_signal 0", "r1 = 0\ncall 109\nexit"), ("send_signal 65", "r1 = 65\ncall 109\nexit"),
                  ("branch_snapshot", "r1 = r10\nr1 += -48\nr2 = 48\nr3 = 0\ncall 176\nexit"),
                  ("branch_snapshot flags", "r1 = r10\nr1 += -48\nr2 = 48\nr3 = 1\ncall 176\nexit"),
                  ("ns_current_pid_tgid no match", "r1 = 0\nr2 = 0\nr3 = r10\nr3 += -8\nr4 = 8\ncall 120\nexit"),
                  ("ns_current_pid_tgid bad size", "r1 = 4\nr2 = 0xeffffffc\nr3 = r10\nr3 += -8\nr4 = 4\ncall 120\nexit"),
                  ("csum_level query", "r2 = 0\ncall 135\nexit"),
                  ("csum_level inc, query", "r6 = r1\nr2 = 1\ncall 135\nr1 = r6\nr2 = 0\ncall 135\nexit"),
                  ("csum_level inc x5, query", "r6 = r1\nr2 = 1\ncall 135\nr1 = r6\nr2 = 1\ncall 135\nr1 = r6\nr2 = 1\ncall 135\nr1 = r6\nr2 = 1\ncall 135\nr1 = r6\nr2 = 1\ncall 135\nr1 = r6\nr2 = 0\ncall 135\nexit"),
                  ("csum_level inc inc dec, query", "r6 = r1\nr2 = 1\ncall 135\nr1 = r6\nr2 = 1\ncall 135\nr1 = r6\nr2 = 2\ncall 135\nr1 = r6\nr2 = 0\ncall 135\nexit"),
                  ("csum_level inc dec, query", "r6 = r1\nr2 = 1\ncall 135\nr1 = r6\nr2 = 2\ncall 135\nr1 = r6\nr2 = 0\ncall 135\nexit"),
                  ("csum_level inc reset, query", "r6 = r1\nr2 = 1\ncall 135\nr1 = r6\nr2 = 3\ncall 135\nr1 = r6\nr2 = 0\ncall 135\nexit"),
                  ("csum_level inc adjust_room, query", "r6 = r1\nr2 = 1\ncall 135\nr1 = r6\nr2 = 4\nr3 = 0\nr4 = 0\ncall 50\nr1 = r6\nr2 = 0\ncall 135\nexit"),
                  ("csum_level inc adjust_room no reset, query", "r6 = r1\nr2 = 1\ncall 135\nr1 = r6\nr2 = 4\nr3 = 0\nr4 = 32\ncall 50\nr1 = r6\nr2 = 0\ncall 135\nexit"),
                  ("csum_level bad", "r2 = 4\ncall 135\nexit"),
                  ("skb_set_tstamp realtime", "r6 = r1\nr2 = 77\nr3 = 0\ncall 192\nr1 = *(u64 *)(r6 + 152)\nr0 <<= 8\nr0 |= r1\nexit"),
                  ("skb_set_tstamp mono 0", "r2 = 0\nr3 = 1\ncall 192\nexit"),
                  ("skb_set_tstamp tai", "r6 = r1\nr2 = 9\nr3 = 2\ncall 192\nr1 = *(u64 *)(r6 + 152)\nr0 <<= 8\nr0 |= r1\nexit"),
                  ("skb_set_tstamp bad type", "r2 = 5\nr3 = 3\ncall 192\nexit")):
    case(name, "sched_cls", asm, [], [UDP, "0200000000020200000000010806" + "00" * 28])
case("skb_ecn_set_ce", "sched_cls", "call 97\nexit", [], [UDP, ipv4_tos(1), ipv4_tos(2), ipv4_tos(3), ipv4_tos(0xb9), V6_ECT, UDP[:28] + "8100" + UDP[28:]])
case("trace_vprintk", "sched_cls", """
r1 = 0x64252061
*(u32 *)(r10 - 8) = r1
r1 = 0x0a
*(u32 *)(r10 - 4) = r1
r1 = 7
*(u64 *)(r10 - 16) = r1
r1 = r10
r1 += -8
r2 = 8
r3 = r10
r3 += -16
r4 = 8
call 177
exit""")
case("trace_vprintk bad data length", "sched_cls", """
r1 = 0x64252061
*(u32 *)(r10 - 8) = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
*(u64 *)(r10 - 16) = r1
r1 = r10
r1 += -8
r2 = 8
r3 = r10
r3 += -16
r4 = 4
call 177
exit""")

# --- bpf_snprintf(out, out_size, fmt constant string, data, data_len): the format is checked when verifying
def snprintf(fmt, nargs=1, data_len=None):
    dl = nargs * 8 if data_len is None else data_len
    return ("r1 = 7\n*(u64 *)(r10 - 40) = r1\n*(u64 *)(r10 - 48) = r1\n"
            "r1 = r10\nr1 += -32\nr2 = 32\nr3 = map_value[0] ll\nr4 = r10\nr4 += -48\nr5 = %d\ncall 165\nexit" % dl)
for fmt, nargs, dl in (("n=%d", 1, None), ("n=%d %d", 2, None), ("n=%d", 2, None), ("n=%d %d", 1, None), ("%y", 1, None),
                       ("plain", 0, None), ("%s", 1, None), ("%pI4", 1, None), ("%lld", 1, None), ("n=%d", 1, 4), ("%%", 0, None),
                       ("%c", 1, None), ("%-5d|", 1, None), ("%llx", 1, None), ("%p", 1, None), ("%pK", 1, None), ("%d", 1, 0)):
    case("snprintf %r args %d len %s" % (fmt, nargs, dl), "sched_cls", snprintf(fmt, nargs, dl), [strmap(fmt, vsize=16)])

# --- bpf_check_mtu(ctx, ifindex, &mtu_len, len_diff, flags): on lo (MTU 65536) in the test run
for pt in ("sched_cls", "xdp"):
    for ifindex, mtu_len, diff, flags in ((0, 0, 0, 0), (1, 0, 0, 0), (9999, 0, 0, 0), (0, 0, 65500, 0), (0, 0, 65492, 0),
                                          (0, 0, 65493, 0), (0, 0, -100, 0), (0, 65536, 0, 0), (0, 65537, 0, 0), (0, 1500, 64036, 0),
                                          (0, 0, 0, 1), (0, 5, 0, 1), (0, 0, 3, 1), (0, 0, 0, 2), (0, 0x7fffffff, 0x7fffffff, 0)):
        case("check_mtu %s ifindex %d mtu_len %d len_diff %d flags %d" % (pt, ifindex, mtu_len, diff, flags), pt,
             "r6 = r1\nr1 = %d\n*(u32 *)(r10 - 4) = r1\nr1 = r6\nr2 = %d\nr3 = r10\nr3 += -4\nr4 = %d\nr5 = %d\ncall 163\n"
             "r1 = *(u32 *)(r10 - 4)\nr0 <<= 20\nr1 >>= 4\nr0 += r1\nexit" % (mtu_len, ifindex, diff, flags),
             [], [UDP])

# --- tunnel / IPsec metadata on a test-run packet (none)
ZERO48 = "r7 = r1\nr1 = 0x5a5a5a5a\n" + "".join("*(u32 *)(r10 - %d) = r1\n" % o for o in range(4, 52, 4))
SUM48 = "r6 = r0\nr0 = 0\n" + "".join("r1 = *(u32 *)(r10 - %d)\nr0 += r1\n" % o for o in range(4, 52, 4)) + "r0 <<= 8\nr0 += r6\nexit"
for name, call in (("get_tunnel_key size 44", "r2 = r10\nr2 += -48\nr3 = 44\nr4 = 0\ncall 20\n"),
                   ("get_tunnel_key size 28", "r2 = r10\nr2 += -48\nr3 = 28\nr4 = 0\ncall 20\n"),
                   ("get_tunnel_key flags", "r2 = r10\nr2 += -48\nr3 = 44\nr4 = 4\ncall 20\n"),
                   ("get_tunnel_opt", "r2 = r10\nr2 += -48\nr3 = 16\ncall 29\n"),
                   ("get_xfrm_state", "r2 = 0\nr3 = r10\nr3 += -48\nr4 = 16\nr5 = 0\ncall 66\n"),
                   ("set_tunnel_opt", "r2 = r10\nr2 += -48\nr3 = 8\ncall 30\n")):
    case("tunnel " + name, "sched_cls", ZERO48 + "r1 = r7\n" + call + SUM48)


def main():
    bundles = []
    for c in CASES:
        r = subprocess.run([sys.executable, TOOLS + "/bpfasm.py", "asm", "-"], input=c["asm"], capture_output=True, text=True)
        if r.returncode:
            sys.exit("%s: %s" % (c["name"], r.stderr))
        c["insns"] = "".join(r.stdout.split())
        bundles.append({"progType": c["progType"], "insns": c["insns"], "maps": c["maps"], "logLevel": 1,
                        "license": c["license"], "runs": [{"data": p} for p in c["packets"]]})
    oracle = kbpf.Oracle()
    out = []
    for c, b in zip(CASES, bundles):
        res, _ = kbpf.run_one(oracle, json.dumps(b), drop_log=True)
        c.pop("asm")
        c["verdict"] = res.get("verdict")
        c["errorInsn"] = res.get("errorInsn")
        c["errorLine"] = res.get("errorLine")
        c["processedInsns"] = res.get("processedInsns")
        if res.get("error"):
            c["error"] = res["error"]
        if res.get("verdict") == "accepted":
            c["runs"] = [{"errno": run["errnoName"]} if run.get("errno") else {k: v for k, v in run.items() if k in ("retval", "dataOut")}
                         for run in res.get("runs", [])]
        else:
            c.pop("packets")
        out.append(c)
    json.dump({"source": "Linux 6.18 via ../shared/tools/kbpf.py (maps frozen with BPF_MAP_FREEZE)", "cases": out}, sys.stdout, indent=1)
    print()


main()
