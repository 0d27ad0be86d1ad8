.prog xdp
.map counts array key=4 value=8 entries=2
    *(u32 *)(r10 - 4) = 1
    r6 = r1
    *(u64 *)(r10 - 16) = r6
    r1 = map[counts] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = *(u64 *)(r0 + 0)
    r1 &= 0xff
    if r1 > 10 goto out
    r0 = 1
out:
    r0 = 2
    exit
