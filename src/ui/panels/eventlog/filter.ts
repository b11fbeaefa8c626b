// Filtering and windowing for the event log (pure, so it can be tested without a DOM).

import type { LogLine } from '../../../cluster/protocol';

/** etcd's level names, most verbose first. */
export const levels = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'PANIC', 'FATAL'] as const;

export interface LogFilter {
  /** Nodes hidden (empty: all shown). */
  hiddenNodes: ReadonlySet<number>;
  /** Levels hidden. */
  hiddenLevels: ReadonlySet<string>;
  /** Case-insensitive substring; '' matches everything. */
  text: string;
}

export const noFilter: LogFilter = { hiddenNodes: new Set(), hiddenLevels: new Set(), text: '' };

/** Indices (into `lines`) of the lines the filter keeps, in order. */
export function filterLines(lines: readonly LogLine[], f: LogFilter): number[] {
  const q = f.text.trim().toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (f.hiddenNodes.has(l.node)) continue;
    if (f.hiddenLevels.has(l.level)) continue;
    if (q !== '' && !l.text.toLowerCase().includes(q)) continue;
    out.push(i);
  }
  return out;
}

/**
 * The rows to render for a scroll position: [first, last) of `count` rows of height
 * `rowHeight` in a viewport of `viewport` pixels scrolled by `scrollTop`, with
 * `overscan` extra rows on each side.
 */
export function visibleRange(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewport: number,
  overscan = 6,
): { first: number; last: number } {
  if (count === 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + Math.max(0, viewport)) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

/** Distinct node ids and levels present, sorted (for the filter chips). */
export function facets(lines: readonly LogLine[]): { nodes: number[]; levels: string[] } {
  const nodes = new Set<number>();
  const lv = new Set<string>();
  for (const l of lines) {
    nodes.add(l.node);
    lv.add(l.level);
  }
  const order = (x: string) => {
    const i = (levels as readonly string[]).indexOf(x);
    return i < 0 ? levels.length : i;
  };
  return {
    nodes: [...nodes].sort((a, b) => a - b),
    levels: [...lv].sort((a, b) => order(a) - order(b) || a.localeCompare(b)),
  };
}
