#!/bin/sh
# Decodes our builder's pcap with tcpdump (the independent oracle) and lets
# tcpdump itself write copies of the capture in both timestamp precisions.
set -e
cd "$(dirname "$0")"
TZ=UTC tcpdump -r builder-cases.pcap -nn -vv -e -xx -tt > builder-cases.tcpdump.txt 2>/dev/null
tcpdump -r builder-cases.pcap -w tcpdump-usec.pcap 2>/dev/null
tcpdump -r builder-cases.pcap --time-stamp-precision=nano -w tcpdump-nsec.pcap 2>/dev/null
tcpdump --version | head -2 > tcpdump-version.txt
