import { describe, expect, it } from 'vitest';
import { messagePoint, messageProgress, nodePositions, partitionGroups } from './layout';

describe('cluster layout', () => {
  it('places nodes on a circle, the first at the top', () => {
    const p = nodePositions([1, 2, 3, 4]);
    expect(p.size).toBe(4);
    const a = p.get(1)!;
    const c = p.get(3)!;
    expect(a.y).toBeLessThan(c.y);
    expect(a.x).toBeCloseTo(c.x);
  });

  it('message progress runs from send to due time, held messages stop short', () => {
    expect(messageProgress({ sendTime: 1, dueTime: 3, held: false }, 2)).toBeCloseTo(0.5);
    expect(messageProgress({ sendTime: 1, dueTime: 3, held: false }, 9)).toBe(1);
    expect(messageProgress({ sendTime: 1, dueTime: 3, held: true }, 9)).toBe(0.8);
    expect(messageProgress({ sendTime: 1, dueTime: 3, held: false }, 0)).toBe(0);
  });

  it('the two directions of a link use opposite lanes', () => {
    const a = { x: 0, y: 0 };
    const b = { x: 100, y: 0 };
    expect(messagePoint(a, b, 0.5, 10).y).toBeGreaterThan(0);
    expect(messagePoint(b, a, 0.5, 10).y).toBeLessThan(0);
  });

  it('partition groups are the components of links up both ways', () => {
    const down = new Set(['1>3', '3>1', '2>3', '3>2']);
    expect(partitionGroups([1, 2, 3], down)).toEqual([[1, 2], [3]]);
    expect(partitionGroups([1, 2, 3], new Set())).toEqual([[1, 2, 3]]);
    // A one-way cut also separates (the two cannot exchange request and response).
    expect(partitionGroups([1, 2], new Set(['1>2']))).toEqual([[1], [2]]);
  });
});
