#!/usr/bin/env python3
"""Regenerate helper-runs.json: programs that call packet / checksum / loop
helpers, test-run by the real Linux 6.18 kernel (BPF_PROG_TEST_RUN through
../shared/tools/kbpf.py) over a few packets each, with maps persisting across
the packets. src/core/runtime/helper-runs.test.ts replays them without the
kernel.

Needs root: python3 test-data/runtime/record-helper-runs.py > test-data/runtime/helper-runs.json
"""
import json, subprocess, sys

TOOLS = "/work/shared/tools"
UDP = ("020000000002020000000001080045000032000100004011"
       "66b80a0000010a00000230390035001e0000" + "".join("%02x" % i for i in range(16)))
TCP = ("02000000000202000000000108004500002800010000400666cd0a0000010a0000029c40005000000001000000005002200000000000")
SHORT = "02000000000202000000000108"          # 13 bytes: refused
ETH_ONLY = "0200000000020200000000010800"     # 14 bytes
PKTS = [UDP, TCP, ETH_ONLY, SHORT]
VLAN = UDP[:24] + "81000064" + UDP[24:]
QINQ = UDP[:24] + "88a80001" + "81000002" + UDP[24:]

def arr(name="m", key=4, val=8, n=4, typ="array", init=None):
    m = {"name": name, "type": typ, "keySize": key, "valueSize": val, "maxEntries": n, "flags": 0}
    if init: m["init"] = init
    return m

CASES = []
def case(name, prog_type, asm, packets=PKTS, maps=None, ctxs=None):
    CASES.append((name, prog_type, asm.strip() + "\n", packets, maps or [], ctxs))

def ctx(fields, size):
    b = bytearray(size)
    for off, val in fields.items():
        b[off:off + 4] = val.to_bytes(4, "little")
    return b.hex()

# --- XDP: adjust_head / adjust_meta / adjust_tail
for off in (-256, -217, -216, -100, -8, 1, 14, 38, 39, 40, 100):
    case("xdp_adjust_head %d" % off, "xdp", "r2 = %d\ncall 44\nexit" % off)
for off in (-40, -39, -30, -1, 1, 100, 3467, 3468, 5000):
    case("xdp_adjust_tail %d" % off, "xdp", "r2 = %d\ncall 65\nexit" % off)
for off in (-4, -2, -32, -216, -220, -252, -256, 4, 0):
    case("xdp_adjust_meta %d" % off, "xdp", "r2 = %d\ncall 54\nexit" % off)
case("xdp meta then head keeps the metadata", "xdp", """
r6 = r1
r2 = -8
call 54
r1 = r6
r2 = -4
call 44
r0 = 2
exit""")
case("xdp head then meta up to the frame", "xdp", """
r6 = r1
r2 = -16
call 44
r1 = r6
r2 = -232
call 54
exit""")
case("xdp writes metadata through data_meta", "xdp", """
r6 = r1
r2 = -8
call 54
if r0 != 0 goto out
r2 = *(u32 *)(r6 + 8)
r3 = *(u32 *)(r6 + 0)
r4 = r2
r4 += 8
if r4 > r3 goto out
r1 = 0x11223344
*(u32 *)(r2 + 0) = r1
r1 = 0x55667788
*(u32 *)(r2 + 4) = r1
r0 = 3
exit
out:
r0 = 1
exit""")
case("xdp pop the Ethernet header and write the new front", "xdp", """
r6 = r1
r2 = 14
call 44
if r0 != 0 goto out
r2 = *(u32 *)(r6 + 0)
r3 = *(u32 *)(r6 + 4)
r4 = r2
r4 += 1
if r4 > r3 goto out
*(u8 *)(r2 + 0) = 0x99
r0 = *(u32 *)(r6 + 4)
r1 = *(u32 *)(r6 + 0)
r0 -= r1
exit
out:
r0 = 0
exit""")
case("xdp grow tail then read the new bytes", "xdp", """
r6 = r1
r2 = 16
call 65
r2 = *(u32 *)(r6 + 0)
r3 = *(u32 *)(r6 + 4)
r4 = r3
r4 -= r2
r0 = r4
exit""")
# --- redirects
case("xdp redirect", "xdp", "r1 = 1\nr2 = 0\ncall 23\nexit")
case("xdp redirect with flags", "xdp", "r1 = 1\nr2 = 1\ncall 23\nexit")
case("tc redirect", "sched_cls", "r1 = 1\nr2 = 0\ncall 23\nexit")
case("tc redirect ingress", "sched_cls", "r1 = 1\nr2 = 1\ncall 23\nexit")
case("tc redirect bad flags", "sched_cls", "r1 = 1\nr2 = 4\ncall 23\nexit")
DEV = [arr("dev", 4, 4, 4, "devmap", [{"key": "00000000", "value": "01000000"}])]
for key, flags in ((0, 0), (1, 0), (1, 2), (3, 1), (9, 3), (0, 4), (1, 8), (1, 16)):
    case("redirect_map devmap key %d flags %d" % (key, flags), "xdp", "r1 = map[0] ll\nr2 = %d\nr3 = %d\ncall 51\nexit" % (key, flags), [UDP], DEV)
CPU = [arr("cpus", 4, 4, 2, "cpumap", [{"key": "00000000", "value": "c0000000"}])]
for key, flags in ((0, 0), (1, 2), (5, 1), (0, 8)):
    case("redirect_map cpumap key %d flags %d" % (key, flags), "xdp", "r1 = map[0] ll\nr2 = %d\nr3 = %d\ncall 51\nexit" % (key, flags), [UDP], CPU)
XSK = [arr("xsks", 4, 4, 4, "xskmap")]
for key, flags in ((0, 0), (0, 2), (0, 8)):
    case("redirect_map xskmap key %d flags %d" % (key, flags), "xdp", "r1 = map[0] ll\nr2 = %d\nr3 = %d\ncall 51\nexit" % (key, flags), [UDP], XSK)
# --- csum_diff
def csum_diff(name, words_from, words_to, seed):
    lines = []
    for i, w in enumerate(words_from):
        lines.append("r1 = 0x%x\n*(u32 *)(r10 - %d) = r1" % (w, 64 - 4 * i))
    for i, w in enumerate(words_to):
        lines.append("r1 = 0x%x\n*(u32 *)(r10 - %d) = r1" % (w, 32 - 4 * i))
    lines.append("r1 = r10\nr1 += -64\nr2 = %d\nr3 = r10\nr3 += -32\nr4 = %d\nr5 = 0x%x\ncall 28\nexit" % (4 * len(words_from), 4 * len(words_to), seed))
    if not words_from: lines[-1] = lines[-1].replace("r1 = r10\nr1 += -64", "r1 = 0")
    if not words_to: lines[-1] = lines[-1].replace("r3 = r10\nr3 += -32", "r3 = 0")
    case("csum_diff " + name, "sched_cls", "\n".join(lines), [UDP])
csum_diff("one word", [0x0a000001], [0x0a000063], 0)
csum_diff("two words with seed", [0x12345678, 0x9abcdef0], [0xffffffff, 0x1], 0x1234)
csum_diff("push only", [], [0xdeadbeef, 0x01020304], 0xffff)
csum_diff("pull only", [0xdeadbeef, 0x01020304], [], 0xabcd)
csum_diff("uneven sizes", [0x11111111], [0x22222222, 0x33333333, 0x44444444], 7)
csum_diff("nothing", [], [], 0x12345)
case("csum_diff size not a multiple of 4", "sched_cls", "r1 = 0\n*(u64 *)(r10 - 8) = r1\nr1 = r10\nr1 += -8\nr2 = 6\nr3 = 0\nr4 = 0\nr5 = 0\ncall 28\nexit", [UDP])
# --- sched_cls: store_bytes + l3/l4 csum replace (rewrite the source IP)
REWRITE = """
r6 = r1
r1 = 0x6300000a
*(u32 *)(r10 - 4) = r1
r1 = r6
r2 = 26
r3 = r10
r3 += -4
r4 = 4
r5 = 0
call 9
if r0 != 0 goto out
r1 = r6
r2 = 24
r3 = 0x0100000a
r4 = 0x6300000a
r5 = 4
call 10
if r0 != 0 goto out
r1 = r6
r2 = 40
r3 = 0x0100000a
r4 = 0x6300000a
r5 = %s
call 11
out:
exit"""
case("tc rewrite source IP with l3 and l4 csum_replace", "sched_cls", REWRITE % "0x14", [UDP, TCP])
case("tc l4 csum_replace mangled-0 leaves a zero checksum", "sched_cls", REWRITE % "0x34", [UDP])
case("tc l4 csum_replace bad flags", "sched_cls", REWRITE % "0x104", [UDP])
case("tc l3 csum_replace by diff", "sched_cls", """
r6 = r1
r1 = r6
r2 = 24
r3 = 0
r4 = 0x1234
r5 = 0
call 10
exit""", [UDP])
case("tc l3 csum_replace 2-byte field", "sched_cls", """
r1 = r1
r2 = 24
r3 = 0x4000
r4 = 0x3f00
r5 = 2
call 10
exit""", [UDP])
for off, flags in ((25, 4), (0x10000, 4), (56, 4), (24, 8), (24, 0x10)):
    case("tc l3 csum_replace offset %d flags %d" % (off, flags), "sched_cls", "r2 = %d\nr3 = 1\nr4 = 2\nr5 = %d\ncall 10\nexit" % (off, flags), [UDP])
for off, n, flags in ((0, 4, 0), (56, 4, 0), (57, 4, 0), (-1, 4, 0), (0x10000, 4, 0), (0, 4, 3), (0, 4, 4)):
    case("tc skb_store_bytes off %d len %d flags %d" % (off, n, flags), "sched_cls",
         "r2 = 0x7f7f7f7f\n*(u32 *)(r10 - 8) = r2\nr2 = %d\nr3 = r10\nr3 += -8\nr4 = %d\nr5 = %d\ncall 9\nexit" % (off, n, flags), [UDP])
# --- skb_load_bytes
for ptype in ("sched_cls", "socket_filter"):
    for off in (0, 12, 30, 56, 57, 60, -1):
        case("%s skb_load_bytes off %d" % (ptype, off), ptype, """
r2 = -1
*(u64 *)(r10 - 8) = r2
r2 = %d
r3 = r10
r3 += -8
r4 = 4
call 26
if r0 != 0 goto out
r0 = *(u32 *)(r10 - 8)
out:
exit""" % off, [UDP, ETH_ONLY])
for hdr, off in ((0, 0), (1, 0), (1, 9), (0, 50), (2, 0), (1, 0x10000)):
    case("tc skb_load_bytes_relative hdr %d off %d" % (hdr, off), "sched_cls", """
r2 = -1
*(u64 *)(r10 - 8) = r2
r2 = %d
r3 = r10
r3 += -8
r4 = 4
r5 = %d
call 68
if r0 != 0 goto out
r0 = *(u32 *)(r10 - 8)
out:
exit""" % (off, hdr), [UDP])
case("tc skb_pull_data", "sched_cls", "r2 = 20\ncall 39\nexit", [UDP, ETH_ONLY])
case("tc skb_pull_data too long", "sched_cls", "r2 = 2000\ncall 39\nexit", [UDP])
case("tc set_hash then read skb->hash", "sched_cls", "r6 = r1\nr2 = 0xabcd\ncall 48\nr0 = *(u32 *)(r6 + 68)\nexit", [UDP])
case("tc get_cgroup_classid", "sched_cls", "call 17\nexit", [UDP])
case("tc csum_update", "sched_cls", "r2 = 5\ncall 40\nexit", [UDP])
case("tc get_socket_uid", "sched_cls", "call 47\nexit", [UDP])
case("tc skb_change_type", "sched_cls", "r6 = r1\nr2 = 1\ncall 32\nr1 = *(u32 *)(r6 + 4)\nr0 <<= 8\nr0 |= r1\nexit", [UDP])
case("tc skb_change_type invalid", "sched_cls", "r2 = 7\ncall 32\nexit", [UDP])
# --- bpf_loop, counting into a map across packets
case("bpf_loop sums the indexes into a map", "xdp", """
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = 10
r2 = func cb ll
r3 = r10
r3 += -8
r4 = 0
call 181
r6 = r0
r1 = 0
*(u32 *)(r10 - 12) = r1
r1 = map[0] ll
r2 = r10
r2 += -12
call 1
if r0 == 0 goto out
r1 = *(u64 *)(r10 - 8)
lock *(u64 *)(r0 + 0) += r1
out:
r0 = r6
exit
cb:
r3 = *(u64 *)(r2 + 0)
r3 += r1
*(u64 *)(r2 + 0) = r3
r0 = 0
if r1 < 6 goto +1
r0 = 1
exit""", [UDP, TCP], [arr("sums", 4, 8, 1)])
case("bpf_loop flags", "xdp", "r1 = 3\nr2 = func cb ll\nr3 = 0\nr4 = 1\ncall 181\nexit\ncb:\nr0 = 0\nexit", [UDP])
case("bpf_loop too many", "xdp", "r1 = 0x800001\nr2 = func cb ll\nr3 = 0\nr4 = 0\ncall 181\nexit\ncb:\nr0 = 0\nexit", [UDP])
case("bpf_loop zero", "xdp", "r1 = 0\nr2 = func cb ll\nr3 = 0\nr4 = 0\ncall 181\nexit\ncb:\nr0 = 0\nexit", [UDP])
# --- for_each_map_elem over an array and a hash
FOREACH = """
r1 = 0
*(u64 *)(r10 - 8) = r1
r1 = map[0] ll
r2 = func cb ll
r3 = r10
r3 += -8
r4 = 0
call 164
r0 <<= 32
r1 = *(u64 *)(r10 - 8)
r0 |= r1
exit
cb:
r5 = *(u32 *)(r2 + 0)
r6 = *(u64 *)(r3 + 0)
r6 += 1
*(u64 *)(r3 + 0) = r6
r7 = *(u64 *)(r4 + 0)
r7 += r5
*(u64 *)(r4 + 0) = r7
r0 = 0
if r5 != %d goto +1
r0 = 1
exit"""
case("for_each_map_elem over an array stops at key 2", "xdp", FOREACH % 2, [UDP, TCP], [arr("vals", 4, 8, 5, "array", [{"key": "01000000", "value": "0a00000000000000"}])])
# the kernel walks a hash in an order keyed by a random seed: visit all, so the order does not matter
case("for_each_map_elem over a hash", "xdp", FOREACH % 99, [UDP], [arr("h", 4, 8, 8, "hash", [{"key": "05000000", "value": "0100000000000000"}, {"key": "07000000", "value": "0200000000000000"}, {"key": "02000000", "value": "0300000000000000"}])])


# --- ctx_in: __sk_buff and xdp_md fields the kernel accepts, and the ones it refuses
TC_FIELDS = """
r2 = *(u32 *)(r1 + 8)
r3 = *(u32 *)(r1 + 32)
r3 <<= 8
r2 += r3
r3 = *(u32 *)(r1 + 48)
r3 <<= 16
r2 += r3
r3 = *(u32 *)(r1 + 40)
r3 <<= 24
r0 = r2
r0 += r3
exit"""
SKB_CTXS = [ctx({8: 5, 32: 6, 48: 7}, 192), ctx({40: 1, 64: 9}, 192), ctx({40: 7}, 192), ctx({0: 5}, 192), ctx({16: 8}, 192),
            ctx({68: 8}, 192), ctx({8: 9}, 12), ctx({152: 9}, 192), ctx({36: 1}, 192), ctx({44: 1}, 192)]
for t in ("sched_cls", "socket_filter"):
    case("%s ctx_in fields" % t, t, TC_FIELDS, [UDP] * len(SKB_CTXS), None, SKB_CTXS)
XDP_FIELDS = """
r2 = *(u32 *)(r1 + 12)
r3 = *(u32 *)(r1 + 16)
r3 <<= 8
r0 = r2
r0 += r3
r2 = *(u32 *)(r1 + 0)
r3 = *(u32 *)(r1 + 8)
r2 -= r3
r2 <<= 16
r0 += r2
exit"""
N = len(UDP) // 2
# (ifindex 99: no such device; this machine has more devices than lo, the simulation only lo)
XDP_CTXS = [ctx({12: 1}, 24), ctx({12: 1, 16: 1}, 24), ctx({12: 99}, 24), ctx({0: 8, 4: N, 12: 1}, 24), ctx({0: 6, 4: N}, 24),
            ctx({0: 44, 4: N}, 24), ctx({0: 48, 4: N}, 24), ctx({8: 4}, 24), ctx({20: 1}, 24), ctx({4: 10}, 24),
            ctx({0: 8}, 24), ctx({0: 8, 4: N + 8}, 24), ctx({0: 4, 4: 20}, 24), ctx({0: 252, 4: N}, 24), ctx({0: 32, 4: N}, 24)]
case("xdp ctx_in fields and metadata", "xdp", XDP_FIELDS, [UDP] * len(XDP_CTXS), None, XDP_CTXS)

# --- sched_cls: helpers that resize the packet
for n in (0, 13, 14, 15, 42, 100, 16000, 16064, 16065, 70000):
    case("tc skb_change_tail %d" % n, "sched_cls", "r2 = %d\nr3 = 0\ncall 38\nexit" % n, [UDP, TCP])
case("tc skb_change_tail flags", "sched_cls", "r2 = 60\nr3 = 1\ncall 38\nexit", [UDP])
case("tc skb_change_tail then write the new tail", "sched_cls", """
r6 = r1
r2 = 70
r3 = 0
call 38
r2 = *(u32 *)(r6 + 76)
r3 = *(u32 *)(r6 + 80)
r4 = r2
r4 += 70
if r4 > r3 goto +2
r1 = 0x77
*(u8 *)(r2 + 69) = r1
r0 = *(u32 *)(r6 + 0)
exit""", [UDP, TCP])
for n in (0, 1, 4, 14, 100, 4000, 16006, 16007, 70000):
    case("tc skb_change_head %d" % n, "sched_cls", "r2 = %d\nr3 = 0\ncall 43\nexit" % n, [UDP, TCP])
for head, tail in ((2, 14), (2, 16), (4, 17), (14, 27)):
    case("tc skb_change_head %d then change_tail %d" % (head, tail), "sched_cls", "r6 = r1\nr2 = %d\nr3 = 0\ncall 43\nr1 = r6\nr2 = %d\nr3 = 0\ncall 38\nexit" % (head, tail), [UDP])
case("tc vlan pop of a tagged frame, then change_tail 14", "sched_cls", "r6 = r1\ncall 19\nr1 = r6\nr2 = 14\nr3 = 0\ncall 38\nexit", [VLAN, QINQ])
case("tc vlan push twice, then change_tail 14 and 18", "sched_cls", "r6 = r1\nr2 = 0x81\nr3 = 5\ncall 18\nr1 = r6\nr2 = 0x81\nr3 = 7\ncall 18\nr1 = r6\nr2 = 14\nr3 = 0\ncall 38\nr1 = r6\nr2 = 18\nr3 = 0\ncall 38\nexit", [UDP])
case("tc skb_change_head flags", "sched_cls", "r2 = 4\nr3 = 1\ncall 43\nexit", [UDP])
VLAN_STATE = """
r2 = *(u32 *)(r6 + 20)
r3 = *(u32 *)(r6 + 24)
r3 <<= 8
r4 = *(u32 *)(r6 + 16)
r4 <<= 32
r0 <<= 56
r0 |= r2
r0 |= r3
r0 |= r4
exit"""
case("tc vlan_push once", "sched_cls", "r6 = r1\nr2 = 0x81\nr3 = 5\ncall 18\n" + VLAN_STATE, [UDP, TCP])
case("tc vlan_push 802.1ad", "sched_cls", "r6 = r1\nr2 = 0xa888\nr3 = 0x1234\ncall 18\nr0 = *(u32 *)(r6 + 28)\nexit", [UDP])
case("tc vlan_push other proto becomes 802.1Q", "sched_cls", "r6 = r1\nr2 = 0x8\nr3 = 5\ncall 18\nr0 = *(u32 *)(r6 + 28)\nexit", [UDP])
case("tc vlan_push twice moves the first tag into the packet", "sched_cls", "r6 = r1\nr2 = 0x81\nr3 = 5\ncall 18\nr1 = r6\nr2 = 0x81\nr3 = 7\ncall 18\n" + VLAN_STATE, [UDP, TCP])
case("tc vlan_push three times", "sched_cls", "r6 = r1\nr2 = 0x81\nr3 = 5\ncall 18\nr1 = r6\nr2 = 0x81\nr3 = 6\ncall 18\nr1 = r6\nr2 = 0xa888\nr3 = 7\ncall 18\n" + VLAN_STATE, [UDP])
case("tc vlan_pop without a tag", "sched_cls", "r6 = r1\ncall 19\n" + VLAN_STATE, [UDP])
case("tc vlan push push pop", "sched_cls", "r6 = r1\nr2 = 0x81\nr3 = 5\ncall 18\nr1 = r6\nr2 = 0x81\nr3 = 7\ncall 18\nr1 = r6\ncall 19\n" + VLAN_STATE, [UDP, TCP])
case("tc vlan pop of a tagged frame", "sched_cls", "r6 = r1\ncall 19\n" + VLAN_STATE, [VLAN, QINQ])
case("tc vlan pop twice of a QinQ frame", "sched_cls", "r6 = r1\ncall 19\nr1 = r6\ncall 19\n" + VLAN_STATE, [VLAN, QINQ])

# (raw_tracepoint test runs refuse repeat/ctx_out, which kbpf.py always sets: not recordable here)


# --- sched_cls: change_proto and adjust_room (room between or after the headers)
V6 = ("02000000000202000000000186dd" "60000000" "0018" "1140" + "fd00" + "00" * 13 + "01" + "fd00" + "00" * 13 + "02" +
      "3039003500180000" "00112233445566778899aabbccddeeff")
ARP = "ffffffffffff020000000001080600010800060400010200000000010a000001000000000000" + "0a000002"
ROOM_PKTS = [UDP, V6]
for proto in (0xdd86, 0x0008, 0x0608, 0x0081):
    for flags in (0, 1):
        case("tc skb_change_proto 0x%04x flags %d" % (proto, flags), "sched_cls",
             "r6 = r1\nr2 = 0x%x\nr3 = %d\ncall 31\nr0 <<= 16\nr1 = *(u32 *)(r6 + 16)\nr0 |= r1\nexit" % (proto, flags),
             [UDP, V6, TCP, ETH_ONLY, VLAN, ARP])
case("tc skb_change_proto 4->6->4 round trip", "sched_cls",
     "r6 = r1\nr2 = 0xdd86\nr3 = 0\ncall 31\nr1 = r6\nr2 = 0x0008\nr3 = 0\ncall 31\nexit", [UDP, TCP])
F = {"fixed_gso": 1, "l3v4": 2, "l3v6": 4, "gre": 8, "udp": 16, "nocsum": 32, "l2eth": 64, "dv4": 128, "dv6": 256}
def l2(n):
    return n << 56
ROOM_FLAGS = [0, F["l3v4"], F["l3v6"], F["dv4"], F["dv6"], F["dv4"] | F["dv6"], F["nocsum"] | F["fixed_gso"], 1 << 9]
# (the test run's retval is 32 bits: (ret << 16) | __sk_buff.protocol keeps both)
for diff in (-41, -40, -20, -8, -1, 0, 8, 20, 40, 4095, 4096):
    for mode in (0, 1, 2):
        for flags in (ROOM_FLAGS if mode < 2 else [0]):
            case("tc skb_adjust_room %d mode %d flags 0x%x" % (diff, mode, flags), "sched_cls",
                 "r6 = r1\nr2 = %d\nr3 = %d\nr4 = 0x%x ll\ncall 50\nr0 <<= 16\nr1 = *(u32 *)(r6 + 16)\nr0 |= r1\nexit" % (diff, mode, flags),
                 ROOM_PKTS)
ENCAPS = [F["l3v4"] | F["gre"], F["l3v4"] | F["udp"], F["l3v6"] | F["udp"], F["l3v4"] | F["gre"] | F["udp"],
          F["l3v4"] | F["l3v6"], F["gre"], F["udp"] | F["l2eth"],
          F["l3v4"] | F["gre"] | F["l2eth"] | l2(14), F["l3v4"] | F["gre"] | l2(14), F["l3v4"] | F["gre"] | F["l2eth"] | l2(10),
          F["l3v4"] | F["udp"] | l2(60), F["l3v6"] | l2(255), l2(20)]
for diff in (20, 38, 50, 60):
    for flags in ENCAPS:
        case("tc skb_adjust_room encap %d flags 0x%x" % (diff, flags), "sched_cls",
             "r6 = r1\nr2 = %d\nr3 = 1\nr4 = 0x%x ll\ncall 50\nr0 <<= 16\nr1 = *(u32 *)(r6 + 16)\nr0 |= r1\nexit" % (diff, flags),
             ROOM_PKTS + [ETH_ONLY, VLAN, ARP])
for flags in (F["l3v4"], F["l3v6"] | F["udp"], 0):
    case("tc skb_adjust_room twice flags 0x%x" % flags, "sched_cls",
         "r6 = r1\nr2 = 20\nr3 = 1\nr4 = 0x%x ll\ncall 50\nr1 = r6\nr2 = 8\nr3 = 1\nr4 = 0x%x ll\ncall 50\nexit" % (flags, flags), ROOM_PKTS)
case("tc skb_adjust_room decap after encap", "sched_cls",
     "r6 = r1\nr2 = 20\nr3 = 1\nr4 = 2 ll\ncall 50\nr1 = r6\nr2 = -20\nr3 = 1\nr4 = 0x80 ll\ncall 50\nexit", ROOM_PKTS)
case("tc change_proto then adjust_room net", "sched_cls",
     "r6 = r1\nr2 = 0xdd86\nr3 = 0\ncall 31\nr1 = r6\nr2 = -20\nr3 = 0\nr4 = 0 ll\ncall 50\nexit", [UDP, TCP])
case("tc adjust_room near the size limit", "sched_cls",
     "r6 = r1\nr2 = 16000\nr3 = 0\ncall 38\nr1 = r6\nr2 = %d\nr3 = 1\nr4 = 0 ll\ncall 50\nexit" % 64, [UDP])
case("tc adjust_room at the size limit", "sched_cls",
     "r6 = r1\nr2 = 16000\nr3 = 0\ncall 38\nr1 = r6\nr2 = %d\nr3 = 1\nr4 = 0 ll\ncall 50\nexit" % 65, [UDP])


# --- XDP multi-buffer: a ctx_in data_end short of the packet leaves the rest in fragments
BIG = UDP[:-32] + "ab" * 3990
FRAG_CTXS = [ctx({4: 54, 12: 1}, 24), ctx({4: 40, 12: 1}, 24), ctx({4: 14, 12: 1}, 24)]
for off in (1, 52, 100, 4042, 4078, 4079, 4093, -1, -4, -5, -10, -40, -44, -45):
    case("xdp_adjust_tail %d with fragments" % off, "xdp", "r6 = r1\nr2 = %d\ncall 65\nr7 = r0\nr7 <<= 16\nr1 = r6\ncall 188\nr0 |= r7\nexit" % off,
         [UDP] * len(FRAG_CTXS) + [BIG], None, FRAG_CTXS + [ctx({12: 1}, 24)])
for off, n in ((50, 8), (54, 4), (10, 8), (56, 2), (57, 2), (0, 8)):
    case("xdp_load_bytes across fragments off %d len %d" % (off, n), "xdp",
         "r6 = r1\nr1 = 0\n*(u64 *)(r10 - 8) = r1\nr1 = r6\nr2 = %d\nr3 = r10\nr3 += -8\nr4 = %d\ncall 189\n"
         "r1 = *(u32 *)(r10 - 8)\nr2 = *(u32 *)(r10 - 4)\nr1 ^= r2\nr0 <<= 16\nr1 &= 0xffff\nr0 |= r1\nexit" % (off, n),
         [UDP] * len(FRAG_CTXS), None, FRAG_CTXS)
    case("xdp_store_bytes across fragments off %d len %d" % (off, n), "xdp",
         "r6 = r1\nr1 = 0x11223344\n*(u32 *)(r10 - 8) = r1\nr1 = 0x55667788\n*(u32 *)(r10 - 4) = r1\n"
         "r1 = r6\nr2 = %d\nr3 = r10\nr3 += -8\nr4 = %d\ncall 190\nexit" % (off, n),
         [UDP] * len(FRAG_CTXS), None, FRAG_CTXS)

def main():
    bundles, cases = [], []
    for name, prog_type, asm, packets, maps, ctxs in CASES:
        r = subprocess.run([sys.executable, TOOLS + "/bpfasm.py", "asm", "-"], input=asm, capture_output=True, text=True)
        if r.returncode:
            sys.exit("%s: %s" % (name, r.stderr))
        hexs = "".join(r.stdout.split())
        runs = [{"data": p} for p in packets]
        if ctxs:
            for r, c in zip(runs, ctxs): r["ctx"] = c
        bundles.append({"progType": prog_type, "insns": hexs, "maps": maps, "logLevel": 1, "runs": runs})
        c = {"name": name, "progType": prog_type, "asm": asm, "insns": hexs, "maps": maps, "packets": packets}
        if ctxs: c["ctxs"] = ctxs
        cases.append(c)
    out = subprocess.run([sys.executable, TOOLS + "/kbpf.py", "--batch", "-", "--no-log"],
                         input="\n".join(json.dumps(b) for b in bundles), capture_output=True, text=True, check=True).stdout
    results = [json.loads(l) for l in out.splitlines() if l.strip()]
    kept = []
    for c, r in zip(cases, results):
        if r.get("verdict") != "accepted":
            print("skipped (%s): %s" % (c["name"], r.get("errorLine") or r.get("error")), file=sys.stderr)
            continue
        c["runs"] = [{"errno": run["errnoName"]} if run.get("errno") else {k: v for k, v in run.items() if k in ("retval", "dataOut")} for run in r["runs"]]
        c["mapsAfter"] = r.get("mapsAfter", [])
        kept.append(c)
    json.dump({"source": "Linux 6.18 BPF_PROG_TEST_RUN via ../shared/tools/kbpf.py", "cases": kept}, sys.stdout, indent=1)
    print()


main()
