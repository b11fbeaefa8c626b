import { describe, expect, it } from 'vitest';
import { newPanics, panicNotice } from './panics';

describe('panic notices', () => {
  it('say which node stopped, why, and how to recover', () => {
    const t = panicNotice(3, 'node 3 panicked: tocommit(9) is out of range [lastIndex(4)]');
    expect(t).toContain('Node 3 stopped');
    expect(t).toContain('tocommit(9) is out of range');
    expect(t).toContain('Restart it');
  });

  it('announce each panic once, and a panic after a restart again', () => {
    const seen = new Set<string>();
    const ok = { id: 1, incarnation: 1 };
    const boom = { id: 2, incarnation: 1, panic: 'node 2 panicked: x' };
    expect(newPanics([ok, boom], seen)).toEqual([panicNotice(2, 'node 2 panicked: x')]);
    // The next observations repeat it: nothing new.
    expect(newPanics([ok, boom], seen)).toEqual([]);
    // Restarted (incarnation 2) and panicked again: a new notice.
    expect(newPanics([ok, { ...boom, incarnation: 2 }], seen)).toHaveLength(1);
    expect(newPanics([ok], seen)).toEqual([]);
  });
});
