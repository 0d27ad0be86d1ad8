/**
 * A draggable divider between two panes (pointer or arrow keys). It reports a
 * fraction in [min, max] of its container; the parent owns the layout.
 */
import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

export interface SplitterProps {
  orientation: 'vertical' | 'horizontal';
  /** first pane's share of the container, 0..1 */
  value: number;
  onChange(value: number): void;
  label: string;
  min?: number;
  max?: number;
}

export function clampFraction(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function Splitter({ orientation, value, onChange, label, min = 0.15, max = 0.85 }: SplitterProps) {
  const ref = useRef<HTMLDivElement>(null);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    const container = ref.current?.parentElement;
    if (!container) return;
    e.preventDefault();
    const rect = container.getBoundingClientRect();
    const move = (ev: globalThis.PointerEvent) => {
      const f = orientation === 'vertical' ? (ev.clientX - rect.left) / rect.width : (ev.clientY - rect.top) / rect.height;
      onChange(clampFraction(f, min, max));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      document.body.classList.remove('resizing');
    };
    document.body.classList.add('resizing');
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const back = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
    const forward = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
    if (e.key === back || e.key === forward) {
      e.preventDefault();
      onChange(clampFraction(value + (e.key === forward ? 0.02 : -0.02), min, max));
    }
  };

  return (
    <div
      ref={ref}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuemin={Math.round(min * 100)}
      aria-valuemax={Math.round(max * 100)}
      aria-valuenow={Math.round(value * 100)}
      tabIndex={0}
      className={`splitter splitter-${orientation}`}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
