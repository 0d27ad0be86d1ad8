import { describe, expect, it } from 'vitest';
import { XDP_IPV4_ONLY, SAMPLE_PACKETS } from '../examples/index.ts';
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
    expect(store.getState().diagnostics).toEqual([{ line: 4, column: 1, severity: 'error', message: 'R0 !read_ok' }]);
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

  it('runs on the chosen sample packet', async () => {
    const { engine, calls } = scriptedEngine({ run: () => ({ status: 'ok', value: ranReply('1', '0x1', 'XDP_DROP') }) });
    const storage = memoryStorage();
    const store = createAppStore({ engine, storage });
    store.getState().setPacket('arp');
    await store.getState().run();
    const arp = SAMPLE_PACKETS.find((p) => p.id === 'arp')!;
    expect(calls[0].args).toEqual([{ source: XDP_IPV4_ONLY, packetHex: arp.hex }]);
    expect(storage.data.get('bpfiddle:v1:packet')).toBe('arp');
    expect(store.getState().runView).toMatchObject({ state: 'done', reply: { run: { xdpAction: 'XDP_DROP' } } });
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
