// Windowing for the narrated feed (pure, so it is tested without a DOM). Lines wrap, so
// rows have different heights: each row's height is estimated from its text by a greedy
// word wrap at a conservative characters-per-line (a row may get a little spare room,
// never too little), and the rows in view are found by binary search over the running
// offsets. The layout of a growing feed is extended in place, not rebuilt.

/** What a row needs for its height. */
export interface Wrappable {
  text: string;
}

/** Lines of text `text` takes when wrapped at `cpl` characters (at least 1). */
export function wrappedLines(text: string, cpl: number): number {
  const width = Math.max(8, Math.floor(cpl));
  let lines = 1;
  let col = 0;
  for (const word of text.split(' ')) {
    let w = word.length;
    if (col > 0 && col + 1 + w > width) {
      lines++;
      col = 0;
    }
    // A word longer than a line breaks anywhere (CSS overflow-wrap: anywhere).
    while (w > width) {
      w -= width;
      lines++;
    }
    col += (col > 0 ? 1 : 0) + w;
  }
  return lines;
}

export interface FeedLayout<T> {
  /** The rows kept by the filter, in order. */
  rows: T[];
  /** offsets[i]: top of row i; offsets[rows.length]: total height. */
  offsets: number[];
  /** How many source items were scanned (the layout can be extended from there). */
  scanned: number;
  cpl: number;
}

export interface RowMetrics {
  /** Characters per line of the text column. */
  cpl: number;
  lineHeight: number;
  /** Vertical padding of a row. */
  pad: number;
}

export function emptyLayout<T>(cpl: number): FeedLayout<T> {
  return { rows: [], offsets: [0], scanned: 0, cpl };
}

/**
 * Lays out `items`: rows kept by `keep`, each `pad + lineHeight * wrappedLines` tall.
 * Given `prev` (built from a prefix of the same items, with the same filter), extends
 * and returns it, changed in place; a different width starts again.
 */
export function layoutFeed<T extends Wrappable>(
  items: readonly T[],
  keep: (item: T) => boolean,
  m: RowMetrics,
  prev?: FeedLayout<T>,
): FeedLayout<T> {
  const base = prev !== undefined && prev.cpl === m.cpl && prev.scanned <= items.length ? prev : emptyLayout<T>(m.cpl);
  let top = base.offsets[base.offsets.length - 1]!;
  for (let i = base.scanned; i < items.length; i++) {
    const it = items[i]!;
    if (!keep(it)) continue;
    base.rows.push(it);
    top += m.pad + m.lineHeight * wrappedLines(it.text, m.cpl);
    base.offsets.push(top);
  }
  base.scanned = items.length;
  return base;
}

/** Index of the row at height y (clamped to the rows). */
export function rowAt(offsets: readonly number[], y: number): number {
  let lo = 0;
  let hi = offsets.length - 2;
  if (hi < 0) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[mid]! <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Rows [first, last) to render for a scroll position, with `overscan` rows each side. */
export function windowRows(
  offsets: readonly number[],
  scrollTop: number,
  viewport: number,
  overscan = 4,
): { first: number; last: number } {
  const n = offsets.length - 1;
  if (n <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, rowAt(offsets, scrollTop) - overscan);
  const last = Math.min(n, rowAt(offsets, scrollTop + Math.max(0, viewport)) + 1 + overscan);
  return { first, last };
}
