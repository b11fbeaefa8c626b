import { describe, expect, it } from 'vitest';
import { charCount, layoutFeed, rowAt, windowRows, wrappedLines } from './feedLayout';

describe('narration feed layout', () => {
  it('wraps words greedily at a measured width, and breaks a word longer than a line', () => {
    expect(wrappedLines('', 20)).toBe(1);
    expect(wrappedLines('node 2 grants its vote', 40)).toBe(1);
    // "aaaa bbbb cccc" at 9 per line: "aaaa bbbb" / "cccc"
    expect(wrappedLines('aaaa bbbb cccc', 9)).toBe(2);
    expect(wrappedLines('aaaa bbbb cccc', 8)).toBe(3);
    expect(wrappedLines('x'.repeat(25), 10)).toBe(3);
    // Proportional widths: 'W' counts 3, everything else 1 (a space too).
    const m = (t: string) => [...t].reduce((w, c) => w + (c === 'W' ? 3 : 1), 0);
    expect(wrappedLines('WW ii', 8, m)).toBe(2); // 6 + 1 + 2 = 9 > 8
    expect(wrappedLines('Wi ii', 8, m)).toBe(1); // 4 + 1 + 2 = 7
  });

  const m = { width: 10, measure: charCount, lineHeight: 20, pad: 4 };
  const items = [
    { text: 'short', level: 'major' },
    { text: 'a line that wraps twice over', level: 'minor' },
    { text: 'major again', level: 'major' },
  ];

  it('stacks the kept rows with their heights, and extends a growing feed', () => {
    const all = layoutFeed(items, () => true, m);
    // 'short' 1 line, 'a line that wraps twice over' 3 lines ("a line" / "that wraps" / "twice over"), 'major again' 2 lines.
    expect(all.offsets).toEqual([0, 24, 24 + 64, 24 + 64 + 44]);
    const majors = layoutFeed(items, (i) => i.level === 'major', m);
    expect(majors.rows.map((r) => r.text)).toEqual(['short', 'major again']);
    const before = all.offsets.slice();
    const grown = layoutFeed([...items, { text: 'more', level: 'major' }], () => true, m, all);
    expect(grown.offsets).toEqual([...before, before[3]! + 24]);
    expect(grown.scanned).toBe(4);
    // A new width lays everything out again.
    expect(layoutFeed(items, () => true, { ...m, width: 40 }, grown).offsets).toEqual([0, 24, 48, 72]);
  });

  it('finds the rows in view', () => {
    const offsets = [0, 10, 20, 30, 40, 50];
    expect(rowAt(offsets, 0)).toBe(0);
    expect(rowAt(offsets, 25)).toBe(2);
    expect(rowAt(offsets, 999)).toBe(4);
    expect(windowRows(offsets, 20, 15, 0)).toEqual({ first: 2, last: 4 });
    expect(windowRows(offsets, 20, 15, 1)).toEqual({ first: 1, last: 5 });
    expect(windowRows([0], 0, 100)).toEqual({ first: 0, last: 0 });
  });
});
