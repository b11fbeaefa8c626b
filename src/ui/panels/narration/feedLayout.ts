// Windowing for the narrated feed (pure, so it is tested without a DOM). Lines wrap, so
// rows have different heights: each row's height comes from a greedy word wrap of its
// text at the text column's width, with each word's width measured (the panel measures
// them with a canvas in the row's font; tests count characters), and the rows in view
// are found by binary search over the running offsets. The layout of a growing feed is
// extended in place, not rebuilt.

/** What a row needs for its height. */
export interface Wrappable {
  text: string;
}

/** How wide a piece of text is (any unit: pixels in the panel, characters in tests). */
export type Measure = (text: string) => number;

/** Counts characters: a monospace measure. */
export const charCount: Measure = (t) => t.length;

/** Lines `text` takes when wrapped at `width` (at least 1); a word wider than a line breaks anywhere. */
export function wrappedLines(text: string, width: number, measure: Measure = charCount): number {
  const space = measure(' ');
  let lines = 1;
  let x = 0;
  for (const word of text.split(' ')) {
    let w = measure(word);
    if (x > 0 && x + space + w > width) {
      lines++;
      x = 0;
    }
    while (w > width && width > 0) {
      w -= width;
      lines++;
    }
    x += (x > 0 ? space : 0) + w;
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
  /** The metrics it was laid out with (another object lays it out again). */
  metrics: RowMetrics;
}

export interface RowMetrics {
  /** Width of the text column, in the measure's unit. */
  width: number;
  measure: Measure;
  lineHeight: number;
  /** Vertical padding of a row. */
  pad: number;
}

export function emptyLayout<T>(metrics: RowMetrics): FeedLayout<T> {
  return { rows: [], offsets: [0], scanned: 0, metrics };
}

/**
 * Lays out `items`: rows kept by `keep`, each `pad + lineHeight * wrappedLines` tall.
 * Given `prev` (built from a prefix of the same items, with the same filter), extends
 * and returns it, changed in place; other metrics start again.
 */
export function layoutFeed<T extends Wrappable>(
  items: readonly T[],
  keep: (item: T) => boolean,
  m: RowMetrics,
  prev?: FeedLayout<T>,
): FeedLayout<T> {
  const base = prev !== undefined && prev.metrics === m && prev.scanned <= items.length ? prev : emptyLayout<T>(m);
  let top = base.offsets[base.offsets.length - 1]!;
  for (let i = base.scanned; i < items.length; i++) {
    const it = items[i]!;
    if (!keep(it)) continue;
    base.rows.push(it);
    top += m.pad + m.lineHeight * wrappedLines(it.text, m.width, m.measure);
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
