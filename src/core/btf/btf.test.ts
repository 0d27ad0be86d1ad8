/**
 * BTF and BTF.ext read from the fixtures: line info round trip against the C
 * sources, func info names, CO-RE results against the running kernel's
 * layouts (facts from `bpftool btf dump file /sys/kernel/btf/vmlinux` on Linux
 * 6.18), and typed value formatting with hand-built bytes.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadObject } from '../elf/load-object.ts';
import { ELF_DIR, fixture, fixtureNames, fixtureSource } from '../elf/fixtures.test-util.ts';
import type { ObjectSpec } from '../elf/object-spec.ts';
import { formatValue } from './format-value.ts';
import { findType, sizeOf, typeName } from './inspect.ts';
import { sourceLineAt, sourceLinesFor } from './line-info.ts';

function load(name: string): ObjectSpec {
  const r = loadObject(fixture(name), { fileName: name });
  if (!r.ok) throw new Error(r.error);
  return r.object;
}

describe('line info', () => {
  for (const name of fixtureNames()) {
    it(`${name}: every record's text is that line of the C source`, () => {
      const obj = load(name);
      let checked = 0;
      for (const p of obj.programs) {
        expect(p.lineInfo.length).toBeGreaterThan(0);
        for (const li of p.lineInfo) {
          const file = li.file.split('/').pop()!;
          // lines of inlined library helpers (bpf_endian.h, ...) point at system headers
          if (!li.file.includes('test-data/elf/src') || !existsSync(ELF_DIR + 'src/' + file)) continue;
          // line 0 is DWARF's "compiler-generated, no source line"
          if (li.line === 0) {
            expect(li.text).toBe('');
            continue;
          }
          const src = fixtureSource(file);
          // clang stores the whole source line; compare ignoring surrounding whitespace
          expect(li.text.trim(), `${p.name} insn ${li.insn} -> ${file}:${li.line}`).toBe(src[li.line - 1].trim());
          expect(li.insn).toBeLessThan(p.insns.length);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it('attributes every instruction, including appended subprograms, to a line', () => {
    const p = load('loops.o').programs.find((x) => x.name === 'xdp_loops')!;
    const lines = sourceLinesFor(p.lineInfo, p.insns.length);
    expect(lines.every((l) => l !== null)).toBe(true);
    const src = fixtureSource('loops.c');
    const square = p.subprograms.find((s) => s.name === 'square')!.insn;
    const at = sourceLineAt(p.lineInfo, square)!;
    expect(src[at.line - 1]).toContain('square(__u64 x)');
    const body = p.lineInfo.filter((l) => l.insn >= square).map((l) => src[l.line - 1]);
    expect(body.some((l) => l.includes('return x * x;'))).toBe(true);
    const cb = p.subprograms.find((s) => s.name === 'add_step')!.insn;
    expect(src[sourceLineAt(p.lineInfo, cb)!.line - 1]).toMatch(/lc|add_step/);
  });

  it('has func info naming the program and each appended subprogram at its start', () => {
    const p = load('loops.o').programs.find((x) => x.name === 'xdp_loops')!;
    const byInsn = new Map(p.funcInfo.map((f) => [f.insn, f.name]));
    expect(byInsn.get(0)).toBe('xdp_loops');
    for (const s of p.subprograms) expect(byInsn.get(s.insn)).toBe(s.name);
  });
});

describe('CO-RE', () => {
  it('resolves task_struct fields to the kernel layout and reports missing ones', () => {
    const p = load('core_task.o').programs.find((x) => x.name === 'kprobe_task')!;
    const byKind = p.coreRelocs.map((r) => [r.kind, r.spec.split('::')[1], r.value]);
    expect(byKind).toEqual([
      ['field_byte_offset', 'pid', 1264],
      ['field_byte_offset', 'tgid', 1268],
      ['field_byte_offset', 'comm', 1752],
      ['field_exists', 'no_such_field_in_kernel', 0],
      ['field_byte_size', 'comm', 16],
    ]);
    expect(p.coreRelocs.every((r) => r.error === undefined)).toBe(true);
  });

  it('matches a ___flavor local type to the kernel type and patches the load offset', () => {
    const p = load('core_task.o').programs.find((x) => x.name === 'xdp_core_ctx')!;
    expect(p.coreRelocs).toHaveLength(1);
    expect(p.coreRelocs[0].value).toBe(12); // xdp_md.ingress_ifindex
    expect(p.insns[p.coreRelocs[0].insn].off).toBe(12);
  });
});

describe('type graph and formatting', () => {
  it('formats a struct value field by field', () => {
    const obj = load('core_task.o');
    const btf = obj.btf!;
    const info = findType(btf, 'struct', 'info');
    expect(sizeOf(btf, info)).toBe(32);
    const bytes = new Uint8Array(32);
    const dv = new DataView(bytes.buffer);
    dv.setInt32(0, 4242, true);
    dv.setInt32(4, -1, true);
    bytes.set(new TextEncoder().encode('bash'), 8);
    dv.setInt32(24, 1, true);
    dv.setInt32(28, 16, true);
    expect(formatValue(btf, info, bytes)).toBe('{ pid = 4242, tgid = -1, comm = "bash", has_missing = 1, comm_size = 16 }');
  });

  it('the map value type of a BTF map is its declared type', () => {
    const obj = load('core_task.o');
    const m = obj.maps.find((x) => x.name === 'infos')!;
    expect(typeName(obj.btf!, m.btfValueTypeId)).toBe('struct info');
    expect(typeName(obj.btf!, m.btfKeyTypeId)).toBe('__u32');
  });

  it('formats global data through its DATASEC, with sizes and offsets fixed up from the ELF', () => {
    const obj = load('globals.o');
    const data = obj.maps.find((x) => x.name === 'globals.data')!;
    expect(formatValue(obj.btf!, data.btfValueTypeId, data.init![0].value)).toBe('{ last_len = 4294967295, seen_big = 3 }');
  });

  it('marks short buffers instead of throwing', () => {
    const obj = load('core_task.o');
    const ev = findType(obj.btf!, 'struct', 'info');
    expect(ev).toBeGreaterThan(0);
    expect(formatValue(obj.btf!, ev, new Uint8Array(3))).toContain('<short>');
  });
});
