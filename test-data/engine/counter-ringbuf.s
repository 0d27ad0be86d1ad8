.prog xdp
.map counts array key=4 value=8 entries=2
.map events ringbuf key=0 value=0 entries=4096
    *(u32 *)(r10 - 4) = 1
    r1 = map[counts] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    if r0 == 0 goto out
    r1 = 1
    lock *(u64 *)(r0 + 0) += r1
    r1 = *(u64 *)(r0 + 0)
    *(u64 *)(r10 - 16) = r1
    r1 = map[events] ll
    r2 = r10
    r2 += -16
    r3 = 8
    r4 = 0
    call bpf_ringbuf_output
out:
    r0 = 2
    exit
