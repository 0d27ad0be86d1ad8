#!/usr/bin/env python3
"""Regenerate kernel-cases.json: ISA edge cases run on the real Linux kernel.

Each case is kernel-syntax assembly that leaves a 64-bit result in r0. The
kernel's BPF_PROG_TEST_RUN reports only the low 32 bits of r0, so every case
runs twice: once as is (low half) and once followed by `r0 >>= 32` (high
half). The interpreter tests (src/core/interp/kernel-cases.test.ts) compare
against the recorded values; they never need the kernel themselves.

Needs root and the oracle tools: python3 kernel-cases.py > kernel-cases.json
"""
import json, subprocess, sys

TOOLS = "/work/shared/tools"

CASES = [
    ("sdiv64 INT64_MIN / -1 overflows to INT64_MIN", "r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s/= r1"),
    ("smod64 INT64_MIN % -1 is 0", "r0 = 0x8000000000000000 ll\nr1 = -1\nr0 s%= r1"),
    ("sdiv32 INT32_MIN / -1 overflows to INT32_MIN", "w0 = -2147483648\nw1 = -1\nw0 s/= w1"),
    ("smod32 INT32_MIN % -1 is 0", "w0 = -2147483648\nw1 = -1\nw0 s%= w1"),
    ("sdiv64 by zero is 0", "r0 = -7\nr1 = 0\nr0 s/= r1"),
    ("smod64 by zero leaves dst", "r0 = 0xfffffff900000007 ll\nr1 = 0\nr0 s%= r1"),
    ("smod32 by zero leaves dst, zero-extended", "r0 = 0xfffffff900000007 ll\nw1 = 0\nw0 s%= w1"),
    ("mod32 by zero leaves dst, zero-extended", "r0 = 0xfffffff9fffffff7 ll\nw1 = 0\nw0 %= w1"),
    ("mod64 by zero leaves dst", "r0 = 0xfffffff9fffffff7 ll\nr1 = 0\nr0 %= r1"),
    ("div32 by zero is 0", "r0 = -1\nw1 = 0\nw0 /= w1"),
    ("div64 by zero is 0", "r0 = -1\nr1 = 0\nr0 /= r1"),
    ("sdiv64 truncates toward zero", "r0 = -7\nr0 s/= 2"),
    ("smod64 takes the dividend's sign", "r0 = -7\nr0 s%= 2"),
    ("smod64 positive dividend, negative divisor", "r0 = 7\nr0 s%= -2"),
    ("sdiv64 of wide values", "r0 = 0x8000000000000001 ll\nr1 = 0x100000000 ll\nr0 s/= r1"),
    ("smod64 of wide values", "r0 = 0x8000000000000001 ll\nr1 = 0x100000003 ll\nr0 s%= r1"),
    ("sdiv32 negative", "w0 = -9\nw0 s/= 4"),
    ("div64 unsigned of all ones", "r0 = -1\nr0 /= 3"),
    ("div64 unsigned by a wide divisor", "r0 = -1\nr1 = 0x1234567890 ll\nr0 /= r1"),
    ("mod64 unsigned by a wide divisor", "r0 = -1\nr1 = 0x1234567890 ll\nr0 %= r1"),
    ("div by imm -1 is unsigned 64-bit", "r0 = 0x7fffffffffffffff ll\nr0 /= -1"),
    ("lsh32 by register masks the count (33 -> 1)", "w0 = 1\nw1 = 33\nw0 <<= w1"),
    ("rsh32 by register masks the count (36 -> 4)", "w0 = -1\nw1 = 36\nw0 >>= w1"),
    ("lsh64 by register masks the count (65 -> 1)", "r0 = 1\nr1 = 65\nr0 <<= r1"),
    ("arsh64 by register 127 -> 63", "r0 = 0x8000000000000000 ll\nr1 = 127\nr0 s>>= r1"),
    ("arsh32 sign-fills and zero-extends", "w0 = -2147483648\nw0 s>>= 4"),
    ("rsh64 across the word boundary", "r0 = 0x123456789abcdef0 ll\nr0 >>= 28"),
    ("lsh64 across the word boundary", "r0 = 0x123456789abcdef0 ll\nr0 <<= 36"),
    ("movsx64 s8", "r1 = 0x180 ll\nr0 = (s8)r1"),
    ("movsx64 s16", "r1 = 0x18000 ll\nr0 = (s16)r1"),
    ("movsx64 s32", "r1 = 0x180000000 ll\nr0 = (s32)r1"),
    ("movsx32 s8 zero-extends the 32-bit result", "w1 = 0x80\nw0 = (s8)w1"),
    ("movsx32 s16", "w1 = 0x8000\nw0 = (s16)w1"),
    ("bswap16", "r0 = 0x1122334455667788 ll\nr0 = bswap16 r0"),
    ("bswap32", "r0 = 0x1122334455667788 ll\nr0 = bswap32 r0"),
    ("bswap64", "r0 = 0x1122334455667788 ll\nr0 = bswap64 r0"),
    ("be16", "r0 = 0x1122334455667788 ll\nr0 = be16 r0"),
    ("be32", "r0 = 0x1122334455667788 ll\nr0 = be32 r0"),
    ("be64", "r0 = 0x1122334455667788 ll\nr0 = be64 r0"),
    ("le16 truncates", "r0 = 0x1122334455667788 ll\nr0 = le16 r0"),
    ("le32 truncates", "r0 = 0x1122334455667788 ll\nr0 = le32 r0"),
    ("le64 is a no-op", "r0 = 0x1122334455667788 ll\nr0 = le64 r0"),
    ("neg32 zero-extends", "r0 = 5\nw0 = -w0"),
    ("neg64", "r0 = 5\nr0 = -r0"),
    ("neg64 of zero", "r0 = 0\nr0 = -r0"),
    ("add32 wraps and zero-extends", "r0 = -1\nw0 += 1"),
    ("mov32 imm zero-extends", "r0 = -1\nw0 = -1"),
    ("add64 carries into the high word", "r0 = 0xffffffff\nr0 += 1"),
    ("add64 imm is sign-extended", "r0 = 0x100000000 ll\nr0 += -1"),
    ("sub64 borrows from the high word", "r0 = 0x100000000 ll\nr0 -= 1"),
    ("mul64 wide", "r0 = 0x123456789abcdef0 ll\nr1 = 0xfedcba9876543210 ll\nr0 *= r1"),
    ("mul64 by negative imm", "r0 = 0x123456789 ll\nr0 *= -3"),
    ("mul32 wraps", "w0 = 0x12345678\nw0 *= 0x9abcdef"),
    ("and64 imm sign-extends", "r0 = -1\nr0 &= -16"),
    ("and64 positive imm clears the high word", "r0 = -1\nr0 &= 0x7fffffff"),
    ("or64/xor64", "r0 = 0xf0f0f0f00f0f0f0f ll\nr1 = 0xff00ff00ff00ff00 ll\nr0 ^= r1\nr0 |= 0x100"),
    ("jgt is unsigned 64-bit", "r1 = -1\nr0 = 1\nif r1 > 5 goto +1\nr0 = 2"),
    ("jsgt is signed 64-bit", "r1 = -1\nr0 = 1\nif r1 s> 5 goto +1\nr0 = 2"),
    ("jlt imm -1 compares against all ones", "r1 = 0x7fffffffffffffff ll\nr0 = 1\nif r1 < -1 goto +1\nr0 = 2"),
    ("jslt across the sign of the high word", "r1 = 0x8000000000000000 ll\nr0 = 1\nif r1 s< 0 goto +1\nr0 = 2"),
    ("jeq32 ignores the high word", "r1 = 0x100000000 ll\nr0 = 1\nif w1 == 0 goto +1\nr0 = 2"),
    ("jsgt32 is signed 32-bit", "r1 = 0x80000000\nr0 = 1\nif w1 s> 0 goto +1\nr0 = 2"),
    ("jset64 on the high word", "r1 = 0x100000000 ll\nr2 = 0x100000000 ll\nr0 = 1\nif r1 & r2 goto +1\nr0 = 2"),
    ("jset32 ignores the high word", "r1 = 0x100000000 ll\nr0 = 1\nif w1 & 1 goto +1\nr0 = 2"),
    ("sign-extending load s8", "r1 = 0x80\n*(u8 *)(r10 - 1) = r1\nr0 = *(s8 *)(r10 - 1)"),
    ("sign-extending load s16", "r1 = 0x8001\n*(u16 *)(r10 - 2) = r1\nr0 = *(s16 *)(r10 - 2)"),
    ("sign-extending load s32", "r1 = 0x80000001\n*(u32 *)(r10 - 4) = r1\nr0 = *(s32 *)(r10 - 4)"),
    ("store imm dw sign-extends", "*(u64 *)(r10 - 8) = -2\nr0 = *(u64 *)(r10 - 8)"),
    ("atomic add64", "r1 = 0xffffffff\n*(u64 *)(r10 - 8) = r1\nr1 = 1\nlock *(u64 *)(r10 - 8) += r1\nr0 = *(u64 *)(r10 - 8)"),
    ("atomic fetch_add64 returns the old value", "r1 = 10\n*(u64 *)(r10 - 8) = r1\nr1 = 5\nr1 = atomic_fetch_add((u64 *)(r10 - 8), r1)\nr0 = *(u64 *)(r10 - 8)\nr0 <<= 32\nr0 |= r1"),
    ("atomic fetch_or32 zero-extends the old value", "r1 = -1\n*(u64 *)(r10 - 8) = r1\nr1 = -1\nw1 = 0x10\nw1 = atomic_fetch_or((u32 *)(r10 - 8), w1)\nr0 = r1"),
    ("atomic and32 leaves the upper word in memory", "r1 = -1\n*(u64 *)(r10 - 8) = r1\nw1 = 0xf0\nlock *(u32 *)(r10 - 8) &= w1\nr0 = *(u64 *)(r10 - 8)"),
    ("atomic xor64", "r1 = 0xff\n*(u64 *)(r10 - 8) = r1\nr1 = 0x0f\nlock *(u64 *)(r10 - 8) ^= r1\nr0 = *(u64 *)(r10 - 8)"),
    ("xchg64", "r1 = 7\n*(u64 *)(r10 - 8) = r1\nr1 = 9\nr1 = xchg_64(r10 - 8, r1)\nr0 = *(u64 *)(r10 - 8)\nr0 <<= 32\nr0 |= r1"),
    ("cmpxchg64 success", "r1 = 7\n*(u64 *)(r10 - 8) = r1\nr0 = 7\nr1 = 9\nr0 = cmpxchg_64(r10 - 8, r0, r1)\nr2 = *(u64 *)(r10 - 8)\nr2 <<= 32\nr0 |= r2"),
    ("cmpxchg64 failure loads the old value into r0", "r1 = 7\n*(u64 *)(r10 - 8) = r1\nr0 = 8\nr1 = 9\nr0 = cmpxchg_64(r10 - 8, r0, r1)\nr2 = *(u64 *)(r10 - 8)\nr2 <<= 32\nr0 |= r2"),
    ("cmpxchg32 compares the low word of r0", "r1 = 7\n*(u32 *)(r10 - 8) = r1\nr0 = 0x100000007 ll\nw1 = 9\nw0 = cmpxchg32_32(r10 - 8, w0, w1)\nr2 = *(u32 *)(r10 - 8)\nr2 <<= 32\nr0 |= r2"),
    ("store_release16 then load_acquire16", "r1 = 0x1234\nstore_release((u16 *)(r10 - 2), w1)\nw0 = load_acquire((u16 *)(r10 - 2))"),
    ("load_acquire8 zero-extends", "r1 = -1\n*(u64 *)(r10 - 8) = r1\nw0 = load_acquire((u8 *)(r10 - 8))"),
    ("store_release64 then load_acquire64", "r1 = 0x1122334455667788 ll\nstore_release((u64 *)(r10 - 8), r1)\nr0 = load_acquire((u64 *)(r10 - 8))"),
    ("store_release32 writes only the low word", "r1 = -1\n*(u64 *)(r10 - 8) = r1\nw1 = 0\nstore_release((u32 *)(r10 - 8), w1)\nr0 = *(u64 *)(r10 - 8)"),
    ("gotol jumps by imm", "r0 = 1\nif r0 != 1 goto +1\ngotol +1\nr0 = 2"),
    ("a jump over ld_imm64 counts it as two slots", "r0 = 1\nif r0 != 1 goto +1\ngoto +2\nr0 = 0x1234567890 ll"),
]


def main():
    bundles = []
    asm_cache = {}
    for name, body in CASES:
        for half in ("lo", "hi"):
            text = body + ("\nr0 >>= 32" if half == "hi" else "") + "\nexit\n"
            hexs = subprocess.run([sys.executable, TOOLS + "/bpfasm.py", "asm", "-"], input=text, capture_output=True, text=True, check=True).stdout.strip()
            if half == "lo":
                asm_cache[name] = hexs
            bundles.append({"id": name + "/" + half, "progType": "socket_filter", "insns": hexs, "logLevel": 1,
                            "runs": [{"data": "00" * 64}]})
    out = subprocess.run([sys.executable, TOOLS + "/kbpf.py", "--batch", "-", "--no-log"],
                         input="\n".join(json.dumps(b) for b in bundles), capture_output=True, text=True, check=True).stdout
    results = [json.loads(l) for l in out.splitlines() if l.strip()]
    halves = {}
    for b, r in zip(bundles, results):
        if r.get("verdict") != "accepted":
            sys.exit("kernel rejected %s: %s" % (b["id"], r.get("errorLine")))
        halves[b["id"]] = r["runs"][0]["retval"]
    cases = []
    for name, body in CASES:
        r0 = (halves[name + "/hi"] << 32) | halves[name + "/lo"]
        cases.append({"name": name, "asm": body, "insns": asm_cache[name], "r0": "0x%x" % r0})
    json.dump({"source": "Linux 6.18 BPF_PROG_TEST_RUN (socket_filter), via ../shared/tools/kbpf.py; "
                         "r0 = retval of the case << 32 | retval of the case followed by r0 >>= 32",
               "cases": cases}, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
