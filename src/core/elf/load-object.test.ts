/**
 * Golden test against what libbpf 1.1 (Debian 12) did with the same objects on
 * Linux 6.18: program sections, names and types, the map list, and the final
 * instructions libbpf handed to BPF_PROG_LOAD (map fds turned back into map
 * indices by scripts/record-elf-goldens.c). Recorded into
 * test-data/elf/kernel-results.json; no kernel needed here.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, encodeInsns } from '../isa/insn.ts';
import { loadObject } from './load-object.ts';
import { fixture, fixtureNames, golden } from './fixtures.test-util.ts';
import type { ObjectSpec } from './object-spec.ts';

function load(name: string): ObjectSpec {
  const r = loadObject(fixture(name), { fileName: name });
  if (!r.ok) throw new Error(`${name}: ${r.error}`);
  return r.object;
}

/**
 * Rejected programs: libbpf closed the maps before we could read their fds, so
 * the recorded map imm is -1; every other bit must still match.
 */
function sameInsns(ours: string, theirs: string): boolean {
  if (ours.length !== theirs.length) return false;
  for (let i = 0; i < ours.length; i += 16) {
    const a = ours.slice(i, i + 16);
    const b = theirs.slice(i, i + 16);
    if (a === b) continue;
    const mapLoad = b.startsWith('18') && (b[2] === '1' || b[2] === '2') && b.slice(8) === 'ffffffff';
    if (!mapLoad || a.slice(0, 8) !== b.slice(0, 8)) return false;
  }
  return true;
}

const objects = golden().filter((g) => !g.openError);

describe('loadObject against libbpf + kernel ground truth', () => {
  it('has ground truth for every fixture libbpf can open', () => {
    const names = fixtureNames();
    expect(objects.length).toBeGreaterThanOrEqual(10);
    for (const g of objects) expect(names).toContain(g.object);
  });

  for (const g of objects) {
    describe(g.object, () => {
      const obj = load(g.object);

      it('finds every program with libbpf\'s section, name and type, in order', () => {
        expect(obj.programs.map((p) => [p.section, p.name, p.progType])).toEqual(
          (g.programs ?? []).map((p) => [p.section, p.name, p.progType]),
        );
      });

      it('lists the maps as libbpf does', () => {
        expect(obj.maps.map((m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags, mapExtra: m.mapExtra ?? 0 }))).toEqual(g.maps);
      });

      for (const gp of g.programs ?? []) {
        if (!gp.insns) continue;
        it(`relocates ${gp.name} exactly as libbpf (${gp.verdict})`, () => {
          const p = obj.programs.find((x) => x.name === gp.name);
          expect(p).toBeDefined();
          const ours = bytesToHex(encodeInsns(p!.insns));
          if (!sameInsns(ours, gp.insns!)) expect(ours).toBe(gp.insns);
        });
      }
    });
  }
});

describe('object details libbpf leaves implicit', () => {
  it('reads license and every program shares the object\'s maps array', () => {
    const obj = load('globals.o');
    expect(obj.license).toBe('Dual BSD/GPL');
    for (const p of obj.programs) {
      expect(p.maps).toBe(obj.maps);
      expect(p.license).toBe('Dual BSD/GPL');
    }
  });

  it('makes .data/.rodata initial values from the section and freezes .rodata', () => {
    const obj = load('globals.o');
    const ro = obj.maps.find((m) => m.name === 'globals.rodata')!;
    expect(ro.frozen).toBe(true);
    // const volatile __u32 drop_len = 60 is the first .rodata variable (little-endian)
    expect(Array.from(ro.init![0].value.slice(0, 4))).toEqual([60, 0, 0, 0]);
    const data = obj.maps.find((m) => m.name === 'globals.data')!;
    expect(data.frozen).toBeUndefined();
    // __u32 last_len = 0xffffffff; static __u32 seen_big = 3
    expect(Array.from(data.init![0].value)).toEqual([0xff, 0xff, 0xff, 0xff, 3, 0, 0, 0]);
    const str = obj.maps.find((m) => m.name === '.rodata.str1.1')!;
    expect(new TextDecoder().decode(str.init![0].value)).toBe('tc len %d\n\0');
    expect(obj.maps.find((m) => m.name === 'globals.bss')!.init).toBeUndefined();
  });

  it('describes map-in-map: inner template and the initialised slot', () => {
    const obj = load('map_kinds.o');
    const outer = obj.maps.find((m) => m.name === 'outer')!;
    expect(outer.innerMap).toMatchObject({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 1 });
    const inner0 = obj.maps.findIndex((m) => m.name === 'inner0');
    expect(outer.initMaps).toEqual([{ key: 0, map: inner0 }]);
    expect(obj.maps.find((m) => m.name === 'bloom')!.mapExtra).toBe(3);
  });

  it('appends static and global subprograms and a bpf_loop callback after the caller', () => {
    const obj = load('loops.o');
    const p = obj.programs.find((x) => x.name === 'xdp_loops')!;
    expect(p.subprograms.map((s) => s.name).sort()).toEqual(['add_step', 'checksum_bytes', 'square']);
    // r1 = &add_step (LD_IMM64 src_reg 4) must point at add_step's first instruction
    const at = p.insns.findIndex((i) => i.code === 0x18 && i.src === 4);
    expect(at).toBeGreaterThanOrEqual(0);
    const target = at + p.insns[at].imm + 1;
    expect(p.subprograms.find((s) => s.name === 'add_step')!.insn).toBe(target);
    // the program that only calls square gets only square
    expect(obj.programs.find((x) => x.name === 'xdp_square_only')!.subprograms.map((s) => s.name)).toEqual(['square']);
  });

  it('reads the legacy "maps" section and the version section (libbpf 1.x refuses these)', () => {
    const obj = load('legacy_maps.o');
    // values from test-data/elf/src/legacy_maps.c
    expect(obj.maps.map((m) => [m.name, m.type, m.keySize, m.valueSize, m.maxEntries, m.flags, m.origin])).toEqual([
      ['legacy_counts', 'array', 4, 8, 2, 0, 'legacy'],
      ['legacy_hash', 'hash', 4, 4, 8, 0, 'legacy'],
    ]);
    expect(obj.version).toBe(0x060c00);
    const p = obj.programs[0];
    const refs = p.insns.filter((i) => i.code === 0x18 && i.src === 1).map((i) => i.imm);
    expect(refs.sort()).toEqual([0, 1]);
  });

  it('fills prog_array slots named in `.values` with programs of the object', () => {
    const obj = load('prog_array_init.o');
    expect(obj.maps[0].initProgs).toEqual([{ key: 1, program: 'xdp_second' }]);
  });

  it('derives xdp.frags flags and tp_btf attach data from the section name', () => {
    const obj = load('sections.o');
    const frags = obj.programs.find((p) => p.section === 'xdp.frags')!;
    expect(frags.progFlags).toBe(32); // BPF_F_XDP_HAS_FRAGS
    const tp = obj.programs.find((p) => p.section === 'tp_btf/sched_switch')!;
    expect(tp.expectedAttachType).toBe(23); // BPF_TRACE_RAW_TP
    expect(tp.attachTo).toBe('sched_switch');
    expect(obj.programs.find((p) => p.section === 'cgroup_skb/egress')!.expectedAttachType).toBe(1);
  });
});
