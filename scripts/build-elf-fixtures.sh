#!/bin/sh
# Builds the ELF fixtures in test-data/elf/ from test-data/elf/src/*.c the way
# libbpf users do: clang -O2 -g --target=bpf. The .o files are committed, so tests
# never need clang; rerun this only when a .c changes.
# Needs (Debian 12): apt-get install clang-16 llvm-16 libbpf-dev libc6-dev-i386
#                    and clang-19 for the -mcpu=v4 fixture.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
src="$here/test-data/elf/src"
out="$here/test-data/elf"
CLANG=${CLANG:-clang-16}
CLANG_V4=${CLANG_V4:-clang-19}
# <asm/types.h> and friends live under the host multiarch include directory.
INC="-I/usr/include/$(uname -m)-linux-gnu -I$src"
FLAGS="-O2 -g --target=bpf -Wall -Wno-unused-function"

for c in "$src"/*.c; do
  name=$(basename "$c" .c)
  case "$name" in
    v4_*)
      if command -v "$CLANG_V4" >/dev/null 2>&1; then
        "$CLANG_V4" $FLAGS -mcpu=v4 $INC -c "$c" -o "$out/$name.o"
      else
        echo "skip $name: $CLANG_V4 not installed" >&2
        continue
      fi ;;
    *) "$CLANG" $FLAGS $INC -c "$c" -o "$out/$name.o" ;;
  esac
  echo "built $name.o"
done
