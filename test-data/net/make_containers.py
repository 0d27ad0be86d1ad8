#!/usr/bin/env python3
"""Re-wraps the packets of tcpdump-usec.pcap (written by tcpdump) into other
capture containers with Python's struct module, an implementation
independent of src/core/net:

  big-endian-usec.pcap   classic pcap, big-endian, microsecond magic
  little-endian-nsec.pcap  classic pcap, little-endian, nanosecond magic (a second copy
                           beside tcpdump-nsec.pcap, with distinct nanoseconds)
  linktype-raw.pcap      link type 101 (RAW) with one IPv4 packet: must be refused
  truncated.pcap         first 3 records, the third cut short
  capture-le.pcapng      pcapng little-endian: SHB, IDB (if_tsresol 9 -> ns),
                         EPBs, one SPB, one statistics block to skip
  capture-be.pcapng      the same, big-endian, default microsecond resolution
  expected.json          per packet: seconds, nanoseconds, hex (what readers must return)
"""
import json
import struct

def read_pcap(path):
    data = open(path, 'rb').read()
    magic, = struct.unpack('<I', data[:4])
    assert magic == 0xa1b2c3d4, hex(magic)
    out, at = [], 24
    while at < len(data):
        sec, usec, incl, orig = struct.unpack('<IIII', data[at:at + 16])
        out.append((sec, usec * 1000, data[at + 16:at + 16 + incl], orig))
        at += 16 + incl
    return out

packets = read_pcap('tcpdump-usec.pcap')

def pcap(endian, nsec, pkts, linktype=1):
    magic = 0xa1b23c4d if nsec else 0xa1b2c3d4
    out = struct.pack(endian + 'IHHiIII', magic, 2, 4, 0, 0, 65535, linktype)
    for sec, ns, data, orig in pkts:
        out += struct.pack(endian + 'IIII', sec, ns if nsec else ns // 1000, len(data), orig) + data
    return out

def pad4(b):
    return b + b'\0' * (-len(b) % 4)

def block(endian, btype, body):
    body = pad4(body)
    n = 12 + len(body)
    return struct.pack(endian + 'II', btype, n) + body + struct.pack(endian + 'I', n)

def pcapng(endian, tsresol_ns):
    out = block(endian, 0x0A0D0D0A, struct.pack(endian + 'IHHq', 0x1A2B3C4D, 1, 0, -1))
    opts = b''
    if tsresol_ns:
        opts = struct.pack(endian + 'HH', 9, 1) + b'\x09' + b'\0\0\0' + struct.pack(endian + 'HH', 0, 0)
    out += block(endian, 1, struct.pack(endian + 'HHI', 1, 0, 65535) + opts)
    for i, (sec, ns, data, orig) in enumerate(packets):
        if i == 2:
            # A Simple Packet Block: no timestamp, no interface id.
            out += block(endian, 3, struct.pack(endian + 'I', orig) + data)
            continue
        ticks = sec * 10**9 + ns + i if tsresol_ns else sec * 10**6 + ns // 1000
        out += block(endian, 6, struct.pack(endian + 'IIIII', 0, ticks >> 32, ticks & 0xffffffff, len(data), orig) + data)
        if i == 0:
            # Interface Statistics Block: readers must skip it.
            out += block(endian, 5, struct.pack(endian + 'IIIQ', 0, 0, 0, 0))
    return out

def expected(tsresol_ns, spb_index=None):
    rows = []
    for i, (sec, ns, data, orig) in enumerate(packets):
        if i == spb_index:
            rows.append({'sec': 0, 'nsec': 0, 'hex': data.hex()})
        else:
            rows.append({'sec': sec, 'nsec': ns + (i if tsresol_ns else 0), 'hex': data.hex()})
    return rows

open('big-endian-usec.pcap', 'wb').write(pcap('>', False, packets))
nsec_pkts = [(s, ns + 789, d, o) for (s, ns, d, o) in packets]
open('little-endian-nsec.pcap', 'wb').write(pcap('<', True, nsec_pkts))
raw_ip = packets[0][2][14:]
open('linktype-raw.pcap', 'wb').write(pcap('<', False, [(1, 0, raw_ip, len(raw_ip))], linktype=101))
trunc = pcap('<', False, packets[:3])
open('truncated.pcap', 'wb').write(trunc[:-10])
open('capture-le.pcapng', 'wb').write(pcapng('<', True))
open('capture-be.pcapng', 'wb').write(pcapng('>', False))
json.dump({
    'pcap': [{'sec': s, 'nsec': ns, 'hex': d.hex()} for (s, ns, d, o) in packets],
    'pcapNsec': [{'sec': s, 'nsec': ns, 'hex': d.hex()} for (s, ns, d, o) in nsec_pkts],
    'pcapngLe': expected(True, 2),
    'pcapngBe': expected(False, 2),
}, open('expected.json', 'w'), indent=1)
print('ok', len(packets))
