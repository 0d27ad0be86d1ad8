import { describe, expect, it } from 'vitest';
import { XDP_IPV4_ONLY } from '../examples/index.ts';
import { assembledReply, memoryStorage, ranReply, scriptedEngine } from '../test-support.ts';
import { createAppStore } from './store.ts';

describe('app store', () => {
  it('starts with the XDP example on a first visit and with the saved buffer afterwards', () => {
    const { engine } = scriptedEngine({});
    expect(createAppStore({ engine, storage: memoryStorage() }).getState().source).toBe(XDP_IPV4_ONLY);
    const saved = memoryStorage({ 'bpfiddle:v1:source': 'r0 = 0\nexit\n' });
    expect(createAppStore({ engine, storage: saved }).getState().source).toBe('r0 = 0\nexit\n');
  });

  it('a share link wins over the saved buffer', () => {
    const { engine } = scriptedEngine({});
    const saved = memoryStorage({ 'bpfiddle:v1:source': 'saved' });
    expect(createAppStore({ engine, storage: saved, initialSource: 'shared' }).getState().source).toBe('shared');
  });

  it('persists edits under a versioned key, and survives storage that throws', () => {
    const { engine } = scriptedEngine({});
    const storage = memoryStorage();
    createAppStore({ engine, storage }).getState().setSource('exit');
    expect(storage.data.get('bpfiddle:v1:source')).toBe('exit');
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('quota'); } };
    const store = createAppStore({ engine, storage: broken });
    expect(() => store.getState().setSource('x')).not.toThrow();
    expect(store.getState().source).toBe('x');
  });

  it('verify sends the current source and shows the reply with its diagnostics', async () => {
    const diag = { line: 2, column: 5, severity: 'error' as const, message: 'bad' };
    const reply = { ...assembledReply(0), assembly: { ...assembledReply(0).assembly, assembled: false, diagnostics: [diag] } };
    const { engine, calls } = scriptedEngine({ verify: () => ({ status: 'ok', value: reply }) });
    const store = createAppStore({ engine, storage: memoryStorage() });
    store.getState().setSource('exit\nfoo');
    await store.getState().verify();
    expect(calls).toEqual([{ method: 'verify', args: [{ source: 'exit\nfoo' }] }]);
    expect(store.getState().verifyView).toEqual({ state: 'done', reply });
    expect(store.getState().diagnostics).toEqual([diag]);
  });

  it('pins a verifier rejection to its source line as a diagnostic', async () => {
    const reply = {
      ...assembledReply(3),
      verifierAvailable: true,
      verification: { verdict: 'rejected' as const, errorInsn: 2, errorLine: 'R0 !read_ok', errorSourceLine: 4, log: '', processedInsns: 3 },
    };
    const { engine } = scriptedEngine({ verify: () => ({ status: 'ok', value: reply }) });
    const store = createAppStore({ engine, storage: memoryStorage() });
    await store.getState().verify();
    expect(store.getState().diagnostics).toEqual([{ line: 4, column: 1, severity: 'error', message: expect.stringMatching(/^R0 !read_ok\n.*\nHint: /) }]);
  });

  it('ignores a stale reply and explains a timeout', async () => {
    let answer: 'stale' | 'timeout' = 'stale';
    const { engine } = scriptedEngine({
      verify: () => (answer === 'stale' ? { status: 'stale' } : { status: 'timeout', budgetMs: 2000 }),
    });
    const store = createAppStore({ engine, storage: memoryStorage() });
    await store.getState().verify();
    // A stale reply changes nothing: the newer request owns the panel.
    expect(store.getState().verifyView.state).toBe('busy');
    answer = 'timeout';
    await store.getState().verify();
    const view = store.getState().verifyView;
    expect(view.state === 'failed' && view.message).toMatch(/longer than 2 s.*restarted/);
  });

  it('shows an engine failure as a failed request', async () => {
    const { engine } = scriptedEngine({ run: () => ({ status: 'ok', value: { ok: false, error: 'assemble: boom' } }) });
    const store = createAppStore({ engine, storage: memoryStorage() });
    await store.getState().run();
    expect(store.getState().runView).toEqual({ state: 'failed', message: 'assemble: boom' });
  });

  it('runs on every packet of the list, with the map seeds, and keeps both across reloads', async () => {
    const { engine, calls } = scriptedEngine({ run: () => ({ status: 'ok', value: ranReply('1', '0x1', 'XDP_DROP') }) });
    const storage = memoryStorage();
    const store = createAppStore({ engine, storage });
    const first = store.getState().packets;
    expect(first).toHaveLength(1); // a default packet, so Run works at once
    store.getState().addPacket({ label: 'ARP', hex: 'ffffffffffff02000000000108060001' });
    store.getState().addSeed({ map: 'counts', keyHex: '01000000', valueHex: '0a00000000000000' });
    await store.getState().run();
    expect(calls[0].args).toEqual([
      {
        source: XDP_IPV4_ONLY,
        packets: [first[0]!.hex, 'ffffffffffff02000000000108060001'],
        mapSeeds: [{ map: 'counts', keyHex: '01000000', valueHex: '0a00000000000000' }],
      },
    ]);
    expect(store.getState().runView).toMatchObject({ state: 'done', reply: { run: { xdpAction: 'XDP_DROP' } } });
    const again = createAppStore({ engine, storage }).getState();
    expect(again.packets.map((p) => p.label)).toEqual([first[0]!.label, 'ARP']);
    expect(again.mapSeeds).toHaveLength(1);
  });

  it('edits, selects and removes packets; a damaged saved list falls back to the default', () => {
    const { engine } = scriptedEngine({});
    const store = createAppStore({ engine, storage: memoryStorage() });
    const id = store.getState().addPacket({ label: 'a', hex: '00' })!;
    expect(store.getState().selectedPacketId).toBe(id);
    store.getState().updatePacket(id, { hex: '0102' });
    expect(store.getState().packets[1]!.hex).toBe('0102');
    store.getState().removePacket(id);
    expect(store.getState().packets).toHaveLength(1);
    expect(store.getState().selectedPacketId).toBe(store.getState().packets[0]!.id);
    const damaged = memoryStorage({ 'bpfiddle:v1:packets': '[{"label":"x","hex":"<script>"}]' });
    expect(createAppStore({ engine, storage: damaged }).getState().packets.map((p) => p.label)).toEqual([store.getState().packets[0]!.label]);
  });

  it('an opened ELF object replaces the source for Verify and Run until closed', async () => {
    const view = {
      name: 'prog',
      license: 'GPL',
      hasBtf: true,
      warnings: [],
      maps: [{ name: 'counters', type: 'array', keySize: 4, valueSize: 8, maxEntries: 7 }],
      programs: [
        { name: 'a', section: 'xdp', progType: 'xdp', insnCount: 2, listing: 'r0 = 2\nexit\n' },
        { name: 'b', section: 'tc', progType: 'sched_cls', insnCount: 2, listing: 'r0 = 0\nexit\n' },
      ],
    };
    const { engine, calls } = scriptedEngine({
      openObject: () => ({ status: 'ok', value: { ok: true, object: view } }),
      verify: () => ({ status: 'ok', value: assembledReply(2) }),
    });
    const store = createAppStore({ engine, storage: memoryStorage() });
    const bytes = new Uint8Array([0x7f, 0x45, 0x4c, 0x46]);
    await store.getState().openObject(bytes, 'prog.o');
    expect(store.getState().object).toMatchObject({ fileName: 'prog.o', program: 'a' });
    expect(store.getState().declaredMaps).toEqual(view.maps);
    store.getState().selectObjectProgram('b');
    await store.getState().verify();
    expect(calls[1]).toEqual({ method: 'verify', args: [{ source: XDP_IPV4_ONLY, object: { bytes, fileName: 'prog.o', program: 'b' } }] });
    store.getState().closeObject();
    await store.getState().verify();
    expect(calls[2]).toEqual({ method: 'verify', args: [{ source: XDP_IPV4_ONLY }] });
  });

  it('says why an object could not be opened', async () => {
    const { engine } = scriptedEngine({ openObject: () => ({ status: 'ok', value: { ok: false, error: 'load object: x.o: not an ELF file' } }) });
    const store = createAppStore({ engine, storage: memoryStorage() });
    await store.getState().openObject(new Uint8Array(4), 'x.o');
    expect(store.getState().object).toBeNull();
    expect(store.getState().notice?.text).toMatch(/Could not open x\.o: .*not an ELF file/);
  });

  it('verifies as you type, once typing pauses', async () => {
    const { engine, calls } = scriptedEngine({ verify: () => ({ status: 'ok', value: assembledReply(1) }) });
    const store = createAppStore({ engine, storage: memoryStorage(), autoVerifyMs: 20 });
    store.getState().setSource('r0 = 1');
    store.getState().setSource('r0 = 1\nexit');
    expect(calls).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 60));
    expect(calls).toEqual([{ method: 'verify', args: [{ source: 'r0 = 1\nexit' }] }]);
  });

  it('turns a watchdog restart into a notice', () => {
    const { engine, emit } = scriptedEngine({});
    const store = createAppStore({ engine, storage: memoryStorage() });
    emit({ kind: 'restarted', method: 'run', budgetMs: 2000 });
    expect(store.getState().notice).toEqual({ tone: 'warning', text: expect.stringMatching(/restarted: Run took longer than its 2 s budget/) });
  });

  it('persists the theme choice', () => {
    const { engine } = scriptedEngine({});
    const storage = memoryStorage();
    createAppStore({ engine, storage }).getState().setTheme('dark');
    expect(storage.data.get('bpfiddle:v1:theme')).toBe('dark');
    expect(createAppStore({ engine, storage }).getState().theme).toBe('dark');
    expect(createAppStore({ engine, storage: memoryStorage({ 'bpfiddle:v1:theme': 'purple' }) }).getState().theme).toBe('system');
  });
});

describe('verify-as-you-type pause', () => {
  it('is the minimum for fast programs and grows with slow verifications, up to 1 s', async () => {
    const { autoVerifyPause } = await import('./store.ts');
    expect(autoVerifyPause(20, 5)).toBe(20);
    expect(autoVerifyPause(20, 100)).toBe(150);
    expect(autoVerifyPause(20, 5000)).toBe(1000);
  });
});
