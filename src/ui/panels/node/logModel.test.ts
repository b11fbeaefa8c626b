import { describe, expect, it } from 'vitest';
import { newEntry } from '../../../raft/raftpb/types';
import { cellAt, cellCount, cellTitle, indexEntries, visibleCells, type LogModel } from './logModel';

function model(over: Partial<LogModel> = {}): LogModel {
  const entries = indexEntries([
    newEntry({ index: 5, term: 2 }),
    newEntry({ index: 6, term: 3 }),
    newEntry({ index: 7, term: 3 }),
  ]);
  return {
    snapshotIndex: 4,
    snapshotTerm: 2,
    firstIndex: 5,
    lastIndex: 8,
    persistedLastIndex: 7,
    commit: 6,
    applied: 5,
    entries,
    ...over,
  };
}

describe('log strip model', () => {
  it('counts the cells from firstIndex to lastIndex', () => {
    expect(cellCount(model())).toBe(4);
    expect(cellCount(model({ firstIndex: 9, lastIndex: 8 }))).toBe(0);
  });

  it('marks each cell persisted, committed and applied by the indices', () => {
    const m = model();
    expect(cellAt(m, 5)).toMatchObject({ persisted: true, committed: true, applied: true });
    expect(cellAt(m, 6)).toMatchObject({ persisted: true, committed: true, applied: false });
    expect(cellAt(m, 7)).toMatchObject({ persisted: true, committed: false, applied: false });
    const unstable = cellAt(m, 8);
    expect(unstable).toMatchObject({ persisted: false, committed: false, entry: undefined });
    expect(cellAt(m, 6).entry?.term).toBe(3);
  });

  it('windows a 10,000-entry log to the visible cells plus overscan', () => {
    expect(visibleCells(10_000, 30, 0, 300, 5)).toEqual({ from: 0, to: 15 });
    expect(visibleCells(10_000, 30, 30 * 5000, 300, 5)).toEqual({ from: 4995, to: 5015 });
    // At the end the window is clamped to the log.
    expect(visibleCells(10_000, 30, 30 * 9995, 300, 5)).toEqual({ from: 9990, to: 10_000 });
    expect(visibleCells(0, 30, 0, 300)).toEqual({ from: 0, to: 0 });
    // Never more cells than fit, whatever the log's length.
    const w = visibleCells(1_000_000, 24, 24 * 123_456, 800, 8);
    expect(w.to - w.from).toBeLessThanOrEqual(Math.ceil(800 / 24) + 16 + 1);
  });

  it('describes a cell in its tooltip', () => {
    const m = model();
    expect(cellTitle(cellAt(m, 7), 'put x=1')).toBe('index 7 · term 3 · put x=1 · persisted · not committed');
    expect(cellTitle(cellAt(m, 8), undefined)).toContain('unstable');
    expect(cellTitle(cellAt(m, 5), undefined)).toContain('applied');
  });
});
