#!/usr/bin/env python3
"""kbpf.py, plus the bundle extension `"frozen": true` on a map: the map is
frozen (BPF_MAP_FREEZE) after its "init" entries are written, as libbpf
freezes .rodata. kbpf.py alone ignores the field. Same arguments and output
as kbpf.py (see its --help); needs root.

  python3 test-data/asm/kbpf-frozen.py bundle.json
"""
import struct
import sys

TOOLS = "/work/shared/tools"
sys.path.insert(0, TOOLS)
import kbpf  # noqa: E402

BPF_MAP_FREEZE = 22
_create = kbpf.Oracle.create_maps


def create_and_freeze(self, specs, fds, notes):
    infos = _create(self, specs, fds, notes)
    for i, (spec, info) in enumerate(zip(specs, infos)):
        if spec.get("frozen"):
            a = kbpf.new_attr()
            struct.pack_into("<I", a, 0, info["fd"])
            r = kbpf.sys_bpf(BPF_MAP_FREEZE, a)
            if r < 0:
                raise kbpf.BundleError("maps[%d]: BPF_MAP_FREEZE failed: %s" % (i, kbpf.errno_name(-r)))
    return infos


kbpf.Oracle.create_maps = create_and_freeze

if __name__ == "__main__":
    sys.exit(kbpf.main())
