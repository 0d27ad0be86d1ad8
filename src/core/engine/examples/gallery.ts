/**
 * The examples gallery: small programs that each show one idea. Every
 * example's verdict and run results were confirmed on the Linux 6.18 kernel
 * (test-data/engine/examples.kernel.json, recorded by
 * src/core/engine/examples/record-kernel.mts) and gallery.test.ts checks the
 * engine against them. Packets name the Packets panel's example frames.
 */

export interface GalleryExample {
  id: string;
  title: string;
  /** one line: what to look at */
  summary: string;
  source: string;
  /** ids of the packet library's example frames to run on (empty: the default packet) */
  packets: string[];
}

const ETH_CHECK = `    r2 = *(u32 *)(r1 + 4)          ; data_end
    r1 = *(u32 *)(r1 + 0)          ; data`;

export const GALLERY: readonly GalleryExample[] = [
  {
    id: 'return-value',
    title: 'Return a value',
    summary: 'The smallest program: r0 is the return value, 2 is XDP_PASS.',
    packets: [],
    source: `; The smallest XDP program: return XDP_PASS.
.prog xdp
    r0 = 2          ; XDP_PASS
    exit
`,
  },
  {
    id: 'alu',
    title: 'Arithmetic',
    summary: '64-bit and 32-bit ALU operations; w registers are the low halves.',
    packets: [],
    source: `; ALU: (7 * 6 - 40) << 1 = 4, then a 32-bit subtraction wraps around.
.prog socket_filter
    r0 = 7
    r0 *= 6
    r0 -= 40
    r0 <<= 1
    w1 = 0
    w1 -= 1          ; w1 = 0xffffffff, and the upper half is zeroed
    r1 >>= 31        ; 1
    r0 += r1         ; 5: a socket filter keeps 5 bytes
    exit
`,
  },
  {
    id: 'stack',
    title: 'The stack',
    summary: 'r10 is the read-only frame pointer; the 512-byte stack is below it.',
    packets: [],
    source: `; Store two values on the stack, add them back up.
.prog socket_filter
    r1 = 20
    *(u64 *)(r10 - 8) = r1
    *(u32 *)(r10 - 12) = 22
    r0 = *(u64 *)(r10 - 8)
    r2 = *(u32 *)(r10 - 12)
    r0 += r2         ; 42
    exit
`,
  },
  {
    id: 'map-counter',
    title: 'Map counter',
    summary: 'Count packets in an array map; the Maps panel shows the count after the run.',
    packets: ['eth-ipv4-udp-64', 'ipv4-udp-dns', 'ipv4-tcp-syn'],
    source: `; Count every packet in counts[0]. Maps persist across the packets of one Run.
.prog xdp
.map counts array key=4 value=8 entries=1
    *(u32 *)(r10 - 4) = 0          ; key = 0
    r1 = map[counts] ll
    r2 = r10
    r2 += -4                       ; r2 = &key
    call bpf_map_lookup_elem
    if r0 == 0 goto out            ; the verifier insists on this NULL check
    r1 = 1
    lock *(u64 *)(r0 + 0) += r1    ; atomic increment
out:
    r0 = 2                         ; XDP_PASS
    exit
`,
  },
  {
    id: 'xdp-drop-port',
    title: 'XDP: drop by UDP port',
    summary: 'Parse Ethernet, IPv4 and UDP with bounds checks; drop DNS (port 53).',
    packets: ['ipv4-udp-dns', 'eth-ipv4-udp-64', 'arp-request'],
    source: `; Drop UDP packets to port 53, pass everything else.
.prog xdp
${ETH_CHECK}
    r3 = r1
    r3 += 42                       ; Ethernet 14 + IPv4 20 + UDP 8
    if r3 > r2 goto pass           ; prove the headers are in the packet
    r4 = *(u16 *)(r1 + 12)
    if r4 != 0x8 goto pass         ; EtherType IPv4 (0x0800, little-endian load)
    r4 = *(u8 *)(r1 + 14)
    if r4 != 0x45 goto pass        ; IPv4 without options
    r4 = *(u8 *)(r1 + 23)
    if r4 != 17 goto pass          ; protocol UDP
    r4 = *(u16 *)(r1 + 36)
    if r4 != 0x3500 goto pass      ; destination port 53 (big-endian 0x0035)
    r0 = 1                         ; XDP_DROP
    exit
pass:
    r0 = 2                         ; XDP_PASS
    exit
`,
  },
  {
    id: 'parse-tcp',
    title: 'Parse IPv4 / TCP',
    summary: 'Follow the IPv4 header length to TCP; count SYNs per destination port in a hash map.',
    packets: ['ipv4-tcp-syn', 'eth-ipv4-udp-64'],
    source: `; Count TCP SYNs per destination port.
.prog xdp
.map syns hash key=4 value=8 entries=64
${ETH_CHECK}
    r3 = r1
    r3 += 34                       ; Ethernet + minimal IPv4
    if r3 > r2 goto pass
    r4 = *(u16 *)(r1 + 12)
    if r4 != 0x8 goto pass
    r4 = *(u8 *)(r1 + 23)
    if r4 != 6 goto pass           ; TCP
    r5 = *(u8 *)(r1 + 14)
    r5 &= 0xf
    r5 <<= 2                       ; IPv4 header length in bytes (20..60)
    r1 += r5
    r3 = r1
    r3 += 34                       ; 14 + 20 bytes of TCP header after the IP header
    if r3 > r2 goto pass
    r4 = *(u8 *)(r1 + 27)          ; TCP flags (14 + 13)
    r4 &= 0x12
    if r4 != 0x2 goto pass         ; SYN without ACK
    r4 = *(u16 *)(r1 + 16)         ; destination port (14 + 2), big-endian
    r4 = be16 r4
    *(u32 *)(r10 - 4) = r4
    *(u64 *)(r10 - 16) = 1
    r1 = map[syns] ll
    r2 = r10
    r2 += -4
    r3 = r10
    r3 += -16
    r4 = 1                         ; BPF_NOEXIST: insert only
    call bpf_map_update_elem
    if r0 == 0 goto pass
    r1 = map[syns] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem       ; already there: increment
    if r0 == 0 goto pass
    r1 = 1
    lock *(u64 *)(r0 + 0) += r1
pass:
    r0 = 2
    exit
`,
  },
  {
    id: 'ringbuf-events',
    title: 'Ring buffer events',
    summary: 'Send each packet length to user space through a ring buffer (see Output and Maps).',
    packets: ['eth-ipv4-udp-64', 'ipv4-udp-dns'],
    source: `; Emit the length of each packet as a ring-buffer record.
.prog xdp
.map events ringbuf key=0 value=0 entries=4096
${ETH_CHECK}
    r2 -= r1                       ; packet length
    *(u64 *)(r10 - 8) = r2
    r1 = map[events] ll
    r2 = r10
    r2 += -8
    r3 = 8                         ; record size
    r4 = 0
    call bpf_ringbuf_output
    r0 = 2
    exit
`,
  },
  {
    id: 'tail-call',
    title: 'Tail call',
    summary: 'bpf_tail_call jumps to a program in a prog_array; an empty slot falls through.',
    packets: [],
    source: `; Tail call into slot 0 of an empty prog_array: the call fails and
; execution continues after it, so the program returns XDP_PASS.
.prog xdp
.map jumps prog_array key=4 value=4 entries=4
    r2 = map[jumps] ll
    r3 = 0                         ; slot index
    call bpf_tail_call             ; r1 (ctx) is passed on unchanged
    r0 = 2                         ; reached only when the slot is empty
    exit
`,
  },
  {
    id: 'bounded-loop',
    title: 'Bounded loop',
    summary: 'The verifier follows the loop to its end: sum 1..10 = 55.',
    packets: [],
    source: `; A loop with a constant bound: the verifier walks every iteration.
.prog socket_filter
    r0 = 0
    r1 = 1
loop:
    r0 += r1
    r1 += 1
    if r1 <= 10 goto loop
    exit                           ; 55
`,
  },
  {
    id: 'bpf-loop',
    title: 'bpf_loop',
    summary: 'bpf_loop calls a callback n times; the verifier checks the callback once.',
    packets: [],
    source: `; Sum 0..99 with bpf_loop: the callback adds its index to a stack slot.
.prog socket_filter
    *(u64 *)(r10 - 8) = 0
    r1 = 100                       ; iterations
    r2 = func add ll               ; the callback
    r3 = r10
    r3 += -8                       ; callback context: &sum
    r4 = 0                         ; flags
    call bpf_loop
    r0 = *(u64 *)(r10 - 8)         ; 4950
    exit
add:                               ; long add(u64 index, void *ctx)
    r3 = *(u64 *)(r2 + 0)
    r3 += r1
    *(u64 *)(r2 + 0) = r3
    r0 = 0                         ; 0: continue
    exit
`,
  },
  {
    id: 'strncmp-rodata',
    title: 'Match a constant string',
    summary: 'bpf_strncmp compares with a string in read-only data (.rodata), as C string constants are.',
    packets: ['ipv4-udp-dns', 'eth-ipv4-udp-64', 'ipv4-tcp-syn'],
    source: `; Drop DNS queries for example.com. bpf_strncmp's third argument must be
; a NUL-terminated string in a frozen, read-only map: .rodata makes one, as
; libbpf does for a C string constant (see it in the Maps panel).
.prog xdp
.rodata blocked "\\x07example\\x03com"  ; example.com as DNS writes it
${ETH_CHECK}
    r3 = r1
    r3 += 70                       ; Ethernet, IPv4 (20 bytes), UDP, DNS header, 16 name bytes
    if r3 > r2 goto pass
    r3 = *(u16 *)(r1 + 12)
    if r3 != 0x8 goto pass         ; EtherType IPv4 (0x0800, big-endian)
    r3 = *(u8 *)(r1 + 23)
    if r3 != 17 goto pass          ; IP protocol UDP
    r3 = *(u16 *)(r1 + 36)
    if r3 != 0x3500 goto pass      ; destination port 53 (big-endian)
    ; helpers may not read the packet here: copy the name to the stack
    r3 = *(u64 *)(r1 + 54)
    *(u64 *)(r10 - 16) = r3
    r3 = *(u64 *)(r1 + 62)
    *(u64 *)(r10 - 8) = r3
    r1 = r10
    r1 += -16                      ; s1: the name from the packet
    r2 = 14                        ; compare its 13 bytes and the NUL
    r3 = map_value[blocked] ll     ; s2: the constant
    call bpf_strncmp
    if r0 != 0 goto pass
    r0 = 1                         ; XDP_DROP
    exit
pass:
    r0 = 2                         ; XDP_PASS
    exit
`,
  },
  {
    id: 'error-packet-bounds',
    title: 'Verifier error: packet bounds',
    summary: 'Reading a packet without proving its length first is rejected.',
    packets: [],
    source: `; Rejected: the packet read is not bounds-checked against data_end.
.prog xdp
    r1 = *(u32 *)(r1 + 0)          ; data
    r0 = *(u8 *)(r1 + 12)          ; no check: "invalid access to packet"
    r0 = 2
    exit
`,
  },
  {
    id: 'error-null-check',
    title: 'Verifier error: missing NULL check',
    summary: 'A hash map lookup may return NULL; using it unchecked is rejected.',
    packets: [],
    source: `; Rejected: r0 may be NULL after the lookup.
.prog xdp
.map flows hash key=4 value=8 entries=16
    *(u32 *)(r10 - 4) = 0
    r1 = map[flows] ll
    r2 = r10
    r2 += -4
    call bpf_map_lookup_elem
    r1 = *(u64 *)(r0 + 0)          ; add: if r0 == 0 goto out
    r0 = 2
    exit
`,
  },
  {
    id: 'error-uninit',
    title: 'Verifier error: uninitialised register',
    summary: 'Every path must set r0 before exit.',
    packets: [],
    source: `; Rejected: on the path where r1 != 0, r0 is never set.
.prog socket_filter
    r1 = *(u32 *)(r1 + 0)          ; skb->len
    if r1 != 0 goto out
    r0 = 0
out:
    exit
`,
  },
];

export function galleryExample(id: string): GalleryExample | undefined {
  return GALLERY.find((e) => e.id === id);
}
