/**
 * The debugger's controls, above the editor while a debug session is open:
 * Step back, Step, Continue (to the next breakpoint), Restart, Stop, and
 * where the recorded run is. Keys as in common debuggers: F10 step, Shift+F10
 * step back, F5 continue.
 */
import { useEffect } from 'react';
import { useApp } from '../AppContext.tsx';
import { lastPosition, statusText } from './session.ts';

export function DebugBar() {
  const debug = useApp((s) => s.debug);
  const step = useApp((s) => s.debugStep);
  const cont = useApp((s) => s.debugContinue);
  const restart = useApp((s) => s.debugRestart);
  const stop = useApp((s) => s.stopDebug);
  const packets = useApp((s) => s.packets);
  const breakpoints = useApp((s) => s.breakpointLines.length);
  const active = debug.state === 'ready';
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F10') step(e.shiftKey ? -1 : 1);
      else if (e.key === 'F5' && !e.shiftKey && !e.ctrlKey && !e.metaKey) cont();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, step, cont]);
  if (debug.state === 'off') return null;
  const ready = debug.state === 'ready' ? debug : null;
  const atStart = !ready || ready.position === 0;
  const atEnd = !ready || ready.position >= lastPosition(ready.trace);
  const ended = ready !== null && atEnd ? ready.trace.end.kind : null;
  return (
    <div className="debug-bar" role="toolbar" aria-label="Debugger" data-testid="debug-bar">
      <strong className="debug-title">Debug</strong>
      <button type="button" onClick={() => step(-1)} disabled={atStart} title="Step back one instruction (Shift+F10)">
        ◀ Step back
      </button>
      <button type="button" onClick={() => step(1)} disabled={atEnd} title="Execute one instruction (F10)">
        Step ▶
      </button>
      <button type="button" onClick={cont} disabled={atEnd} title={breakpoints ? 'Run to the next breakpoint (F5)' : 'Run to the end; no breakpoints set (F5)'}>
        Continue ▶▶
      </button>
      <button type="button" onClick={restart} disabled={atStart} title="Back to the first instruction">
        Restart ⟲
      </button>
      <button type="button" onClick={stop} title="Leave the debugger">
        Stop ■
      </button>
      <span className={`debug-status ${ended === 'fault' || ended === 'truncated' ? 'debug-status-bad' : ''}`} role="status" data-testid="debug-status">
        {debug.state === 'busy' && 'Recording the run…'}
        {debug.state === 'failed' && debug.message}
        {ready && `${packets[ready.packetIndex]?.label ?? `packet ${ready.packetIndex + 1}`} · ${statusText(ready)}`}
      </span>
    </div>
  );
}
