#!/usr/bin/env python3
"""Record the kernel's ground truth for test-data/elf/*.o into
test-data/elf/kernel-results.json (needs root, gcc and libbpf-dev).

Writes the fixed packet list test-data/elf/packets.hex first (one hex frame per
line, the CLI's --packets format), builds scripts/record-elf-goldens.c and runs
it over every object. The result is committed, so tests never need a kernel.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ELF = os.path.join(ROOT, "test-data", "elf")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(proto, dst=b"\x02\0\0\0\0\x02", src=b"\x02\0\0\0\0\x01"):
    return dst + src + struct.pack("!H", proto)


def ipv4(proto, payload, ttl=64):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, ttl, proto, 0,
                    bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ipv6(nh, payload):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nh, 64,
                       bytes(15) + b"\x01", bytes(15) + b"\x02") + payload


def udp(sport, dport, data=b""):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport, flags):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, flags, 8192, 0, 0)


def vlan(tci, proto):
    return struct.pack("!HH", tci, proto)


PACKETS = [
    eth(0x0800) + ipv4(17, udp(1234, 53, b"dnsq")),                  # 0 IPv4 UDP/53
    eth(0x0800) + ipv4(6, tcp(40000, 80, 0x02)),                     # 1 IPv4 TCP SYN
    eth(0x86DD) + ipv6(17, udp(5353, 5353, b"mdns")),                # 2 IPv6 UDP
    eth(0x8100) + vlan(100, 0x0800) + ipv4(6, tcp(1, 2, 0x10)),      # 3 VLAN IPv4 TCP ACK
    eth(0x88A8) + vlan(1, 0x8100) + vlan(2, 0x86DD) + ipv6(6, tcp(3, 4, 0x02)),  # 4 QinQ IPv6 TCP
    eth(0x0806) + bytes(28),                                         # 5 ARP
    eth(0x0800)[:14],                                                # 6 bare Ethernet header
    eth(0x0800) + ipv4(17, udp(9, 9, bytes(range(72))), ttl=1),      # 7 IPv4 UDP 114 bytes, TTL 1
    eth(0x0800) + ipv4(1, bytes([8, 0, 0xf7, 0xff, 0, 0, 0, 0])),    # 8 IPv4 ICMP echo
]


def bundle_programs(obj):
    lines = subprocess.run(["npx", "tsx", os.path.join(ROOT, "scripts", "record-elf-goldens.ts"),
                            os.path.join(ELF, "packets.hex"), obj],
                           cwd=ROOT, check=True, capture_output=True, text=True).stdout.splitlines()
    sys.path.insert(0, "/work/shared/tools")
    import kbpf
    oracle = kbpf.Oracle()
    out = []
    for ln in lines:
        item = json.loads(ln)
        if "bundle" not in item:
            raise SystemExit("%s: %s" % (item["file"], item.get("error")))
        res = oracle.run_bundle(item["bundle"])
        out.append({"section": item["section"], "name": item["name"], "progType": item["bundle"]["progType"],
                    "verdict": res.get("verdict"), "errorLine": res.get("errorLine"),
                    "processedInsns": res.get("processedInsns"), "insns": item["bundle"]["insns"],
                    "runs": [dict(packet=i, **{k: v for k, v in run.items() if k in ("retval", "dataOut", "error")})
                             for i, run in enumerate(res.get("runs") or [])],
                    "mapsAfter": res.get("mapsAfter")})
    return out


def main():
    with open(os.path.join(ELF, "packets.hex"), "w") as f:
        for p in PACKETS:
            f.write(p.hex() + "\n")
    objs = sorted(os.path.join(ELF, n) for n in os.listdir(ELF) if n.endswith(".o"))
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "rec")
        subprocess.run(["gcc", "-O1", "-Wall", "-o", exe,
                        os.path.join(ROOT, "scripts", "record-elf-goldens.c"), "-lbpf"], check=True)
        results = []
        for o in objs:
            out = subprocess.run([exe, os.path.join(ELF, "packets.hex"), o],
                                 check=True, capture_output=True, text=True).stdout
            results.append(json.loads(out))
    # the error line exactly as kbpf.py reports it, so results compare with bundles
    sys.path.insert(0, "/work/shared/tools")
    import kbpf
    for r in results:
        for p in r.get("programs", []):
            log = p.pop("log", None)
            if log is not None:
                ins = bytes.fromhex(p["insns"]) if p.get("insns") else None
                parsed = kbpf.parse_log(log, False, ins)
                p["errorLine"] = parsed["errorLine"]
                p["errorHead"] = parsed["errorHead"]
                p["errorInsn"] = parsed["errorInsn"]
                p["processedInsns"] = parsed["processedInsns"]
                p["logTail"] = "\n".join(log.rstrip("\n").split("\n")[-6:])
    # runs recorded with the whole object loaded go next to their programs
    for r in results:
        run = r.pop("objectRun", None) or {}
        by_name = {x["name"]: x for x in run.get("programs", [])}
        for p in r.get("programs", []):
            if p["name"] in by_name:
                p["runs"] = by_name[p["name"]]["runs"]
                p["mapsAfter"] = by_name[p["name"]]["mapsAfter"]
        if "mapsAfter" in run:
            r["mapsAfter"] = run["mapsAfter"]
        if "error" in run:
            r["objectRunError"] = run["error"]
    # Objects libbpf refuses to open (the legacy "maps" section): load them with
    # bpfiddle's loader, hand each program to the kernel as a kbpf bundle.
    for r in results:
        if "openError" in r:
            r["viaBundle"] = True
            r["programs"] = bundle_programs(os.path.join(ELF, r["object"]))
    doc = {"kernel": os.uname().release, "libbpf": subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", "libbpf-dev"], capture_output=True, text=True).stdout,
        "packets": "packets.hex", "objects": results}
    with open(os.path.join(ELF, "kernel-results.json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("recorded %d objects, %d programs" % (len(results), sum(len(r.get("programs", [])) for r in results)))


if __name__ == "__main__":
    sys.exit(main())
