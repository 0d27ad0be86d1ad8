/** Panel sizes, as fractions, persisted so the layout survives a reload. */
export interface LayoutSizes {
  /** the editor's share of the width */
  editor: number;
  /** the verifier's share of the right column's height */
  verifier: number;
}

export const DEFAULT_LAYOUT: LayoutSizes = { editor: 0.52, verifier: 0.42 };

const inRange = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0.1 && x <= 0.9;

/** Anything unreadable falls back to the defaults, field by field. */
export function parseLayout(stored: string | null): LayoutSizes {
  if (!stored) return DEFAULT_LAYOUT;
  try {
    const raw: unknown = JSON.parse(stored);
    if (typeof raw !== 'object' || raw === null) return DEFAULT_LAYOUT;
    const r = raw as Record<string, unknown>;
    return {
      editor: inRange(r.editor) ? r.editor : DEFAULT_LAYOUT.editor,
      verifier: inRange(r.verifier) ? r.verifier : DEFAULT_LAYOUT.verifier,
    };
  } catch {
    return DEFAULT_LAYOUT;
  }
}
