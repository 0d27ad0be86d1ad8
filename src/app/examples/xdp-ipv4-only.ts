/**
 * The first-visit example: an XDP program that parses the Ethernet header and
 * drops everything that is not IPv4. It needs no maps or helpers, so it runs
 * on the bare interpreter.
 */
export const XDP_IPV4_ONLY = `; XDP: let IPv4 frames pass, drop everything else.
.prog xdp
.license "GPL"
; r1 points to struct xdp_md { u32 data; u32 data_end; ... }

    r2 = *(u32 *)(r1 + 4)      ; data_end
    r1 = *(u32 *)(r1 + 0)      ; data: start of the Ethernet header
    r3 = r1
    r3 += 14                   ; end of the Ethernet header
    if r3 > r2 goto drop       ; too short: the verifier insists on this check
    r4 = *(u16 *)(r1 + 12)     ; EtherType, in network byte order
    if r4 != 0x8 goto drop     ; ETH_P_IP 0x0800, read as a little-endian u16
    r0 = 2                     ; XDP_PASS
    exit
drop:
    r0 = 1                     ; XDP_DROP
    exit
`;
