import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from './App.tsx';
import { createAppStore } from './state/store.ts';
import { assembledReply, memoryStorage, ranReply, scriptedEngine } from './test-support.ts';

// Monaco needs a real browser (the e2e suite covers it); here a textarea stands in.
vi.mock('./editor/MonacoEditor.tsx', () => ({
  default: ({ value, onChange }: { value: string; onChange(v: string): void }) => (
    <textarea aria-label="BPF assembly source" value={value} onChange={(e) => onChange(e.target.value)} />
  ),
}));

afterEach(cleanup);

function setUp(script: Parameters<typeof scriptedEngine>[0] = {}) {
  const storage = memoryStorage();
  const { engine, emit } = scriptedEngine(script);
  const store = createAppStore({ engine, storage });
  render(<App store={store} storage={storage} />);
  return { storage, store, emit };
}

describe('app shell', () => {
  it('has the seven named panel regions and the toolbar buttons', async () => {
    setUp();
    for (const name of ['Editor', 'Verifier', 'Registers', 'Stack', 'Maps', 'Output', 'Packets']) {
      expect(screen.getByRole('region', { name })).toBeTruthy();
    }
    for (const name of ['Verify', 'Run', 'Share']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(await screen.findByRole('textbox', { name: 'BPF assembly source' })).toBeTruthy();
  });

  it('shows what the assembler found, and says there is no verdict yet', async () => {
    setUp({ verify: () => ({ status: 'ok', value: assembledReply(11) }) });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    const verifier = screen.getByRole('region', { name: 'Verifier' });
    expect(await within(verifier).findByText(/Assembled 11 instructions/)).toBeTruthy();
    expect(within(verifier).getByText(/verifier is not implemented yet/)).toBeTruthy();
    expect(within(verifier).queryByText(/accepted/i)).toBeNull();
  });

  it('lists assembly errors with their line', async () => {
    const reply = assembledReply(0);
    reply.assembly = { ...reply.assembly, assembled: false, diagnostics: [{ line: 3, column: 5, severity: 'error', message: "unknown instruction 'frob'" }] };
    setUp({ verify: () => ({ status: 'ok', value: reply }) });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    const problems = await screen.findByRole('list', { name: 'Problems' });
    expect(problems.textContent).toContain('line 3:5');
    expect(problems.textContent).toContain("unknown instruction 'frob'");
  });

  it('shows a verdict and the log when the verifier answers', async () => {
    const reply = {
      ...assembledReply(11),
      verifierAvailable: true,
      verification: { verdict: 'accepted' as const, errorInsn: null, errorLine: null, errorSourceLine: null, log: 'processed 12 insns (limit 1000000)', processedInsns: 12 },
    };
    setUp({ verify: () => ({ status: 'ok', value: reply }) });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    const verifier = screen.getByRole('region', { name: 'Verifier' });
    expect((await within(verifier).findByText('accepted')).tagName).toBe('STRONG');
    expect(within(verifier).getByText(/processed 12 insns/)).toBeTruthy();
  });

  it('shows the return value in decimal and hex with the XDP action', async () => {
    setUp({ run: () => ({ status: 'ok', value: ranReply('2', '0x2', 'XDP_PASS') }) });
    fireEvent.click(screen.getByRole('button', { name: 'Run' }));
    const output = screen.getByRole('region', { name: 'Output' });
    expect((await within(output).findByText('2 (0x2)')).tagName).toBe('OUTPUT');
    expect(within(output).getByText('XDP_PASS')).toBeTruthy();
  });

  it('switches the theme and remembers the choice', () => {
    const { storage } = setUp();
    const before = document.documentElement.dataset.theme;
    expect(before === 'light' || before === 'dark').toBe(true);
    const other = before === 'dark' ? 'light' : 'dark';
    fireEvent.click(screen.getByRole('button', { name: `Switch to ${other} theme` }));
    expect(document.documentElement.dataset.theme).toBe(other);
    expect(storage.data.get('bpfiddle:v1:theme')).toBe(other);
  });

  it('reports a watchdog restart in an alert', () => {
    const { emit } = setUp();
    act(() => emit({ kind: 'restarted', method: 'run', budgetMs: 2000 }));
    expect(screen.getByRole('alert').textContent).toMatch(/restarted: Run took longer than its 2 s budget/);
  });

  it('keeps edits in versioned storage', async () => {
    const { storage } = setUp();
    const editor = await screen.findByRole('textbox', { name: 'BPF assembly source' });
    fireEvent.change(editor, { target: { value: 'r0 = 1\nexit\n' } });
    expect(storage.data.get('bpfiddle:v1:source')).toBe('r0 = 1\nexit\n');
  });
});
