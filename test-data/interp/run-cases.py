#!/usr/bin/env python3
"""Regenerate run-cases.json: test runs of small packet programs on the real
kernel (BPF_PROG_TEST_RUN via ../shared/tools/kbpf.py): retval and data_out
for xdp, socket_filter and sched_cls contexts. The interpreter's contexts
(src/core/interp/contexts.ts) are checked against these in
src/core/interp/run-cases.test.ts, without needing the kernel.

Needs root: python3 run-cases.py > run-cases.json
"""
import json, subprocess, sys

TOOLS = "/work/shared/tools"
# 60-byte Ethernet/IPv4/UDP frame to 10.0.0.2:53; dst MAC is not the loopback's
UDP = ("020000000002020000000001080045000032000100004011"
       "66b80a0000010a00000230390035001e0000" + "".join("%02x" % i for i in range(16)))
BCAST = "ffffffffffff" + UDP[12:]

CASES = [
    ("xdp", "data_end - data is the packet length", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr0 = r3\nr0 -= r2\nexit", UDP),
    ("xdp", "data_meta equals data without metadata", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 8)\nr0 = r2\nr0 -= r3\nexit", UDP),
    ("xdp", "ingress_ifindex and rx_queue_index", "r2 = *(u32 *)(r1 + 12)\nr3 = *(u32 *)(r1 + 16)\nr3 <<= 16\nr0 = r2\nr0 |= r3\nexit", UDP),
    ("xdp", "a write to the packet shows in data_out", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 14\nif r4 > r3 goto +2\n*(u8 *)(r2 + 0) = 0xab\n*(u16 *)(r2 + 12) = 0x1234\nr0 = 3\nexit", UDP),
    ("xdp", "reads the UDP destination port", "r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 42\nr0 = 0\nif r4 > r3 goto +2\nr0 = *(u16 *)(r2 + 36)\nr0 = be16 r0\nexit", UDP),
    ("socket_filter", "skb->len counts from the network header", "r0 = *(u32 *)(r1 + 0)\nexit", UDP),
    ("socket_filter", "ld_abs sees the IP header at offset 0", "r6 = r1\nr0 = *(u8 *)skb[0]\nexit", UDP),
    ("socket_filter", "ld_abs word is big-endian", "r6 = r1\nr0 = *(u32 *)skb[12]\nexit", UDP),
    ("socket_filter", "ld_abs past the end returns 0", "r6 = r1\nr0 = *(u32 *)skb[200]\nr0 = 7\nexit", UDP),
    ("socket_filter", "skb->protocol is the ethertype in network order", "r0 = *(u32 *)(r1 + 16)\nexit", UDP),
    ("socket_filter", "cb[] is writable scratch", "r2 = 0x55\n*(u32 *)(r1 + 48) = r2\nr0 = *(u32 *)(r1 + 48)\nexit", UDP),
    ("sched_cls", "skb->len is the whole frame", "r0 = *(u32 *)(r1 + 0)\nexit", UDP),
    ("sched_cls", "data_end - data is the whole frame", "r2 = *(u32 *)(r1 + 76)\nr3 = *(u32 *)(r1 + 80)\nr0 = r3\nr0 -= r2\nexit", UDP),
    ("sched_cls", "ld_abs sees the Ethernet header", "r6 = r1\nr0 = *(u16 *)skb[12]\nexit", UDP),
    ("sched_cls", "protocol, pkt_type, ifindex", "r2 = *(u32 *)(r1 + 16)\nr3 = *(u32 *)(r1 + 4)\nr3 <<= 16\nr4 = *(u32 *)(r1 + 40)\nr4 <<= 24\nr0 = r2\nr0 |= r3\nr0 |= r4\nexit", UDP),
    ("sched_cls", "pkt_type of a broadcast frame", "r0 = *(u32 *)(r1 + 4)\nexit", BCAST),
    ("sched_cls", "mark is writable", "r2 = 0x1234\n*(u32 *)(r1 + 8) = r2\nr0 = *(u32 *)(r1 + 8)\nexit", UDP),
    ("sched_cls", "a packet write shows in data_out", "r2 = *(u32 *)(r1 + 76)\nr3 = *(u32 *)(r1 + 80)\nr4 = r2\nr4 += 1\nif r4 > r3 goto +1\n*(u8 *)(r2 + 0) = 0x77\nr0 = 0\nexit", UDP),
]


def main():
    bundles, cases = [], []
    for prog_type, name, asm, packet in CASES:
        hexs = subprocess.run([sys.executable, TOOLS + "/bpfasm.py", "asm", "-"], input=asm + "\n",
                              capture_output=True, text=True, check=True).stdout.strip()
        bundles.append({"progType": prog_type, "insns": hexs, "logLevel": 1, "runs": [{"data": packet}]})
        cases.append({"name": prog_type + ": " + name, "progType": prog_type, "asm": asm, "insns": hexs, "packet": packet})
    out = subprocess.run([sys.executable, TOOLS + "/kbpf.py", "--batch", "-", "--no-log"],
                         input="\n".join(json.dumps(b) for b in bundles), capture_output=True, text=True, check=True).stdout
    results = [json.loads(l) for l in out.splitlines() if l.strip()]
    for c, r in zip(cases, results):
        if r.get("verdict") != "accepted":
            sys.exit("kernel rejected %s: %s" % (c["name"], r.get("errorLine")))
        c["retval"] = r["runs"][0]["retval"]
        c["dataOut"] = r["runs"][0]["dataOut"]
    json.dump({"source": "Linux 6.18 BPF_PROG_TEST_RUN via ../shared/tools/kbpf.py", "cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
