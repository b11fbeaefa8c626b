import { describe, expect, it } from 'vitest';
import {
  freePlace,
  groupedRingPositions,
  messagePoint,
  messageProgress,
  nodePositions,
  partitionGroups,
  ringFrame,
} from './layout';

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

  it('a node off the ring points its label away from the centre, back inside at the edges', () => {
    const box = { width: 800, height: 600, scale: 1 };
    const { cx, cy } = ringFrame(5, box);
    // Right of the centre with room: label to the right (angle near 0).
    expect(Math.cos(freePlace({ x: cx + 150, y: cy }, 5, box).angle)).toBeGreaterThan(0.9);
    // At the right edge: the label turns to the left.
    expect(Math.cos(freePlace({ x: 780, y: cy }, 5, box).angle)).toBeLessThan(-0.9);
    // Near the bottom edge below the centre: the label goes up.
    expect(Math.sin(freePlace({ x: cx, y: 590 }, 5, box).angle)).toBeLessThan(-0.9);
    const p = freePlace({ x: 123, y: 45 }, 5, box);
    expect([p.x, p.y]).toEqual([123, 45]);
  });

  it('the ring is centred on the frame', () => {
    const box = { width: 800, height: 600, scale: 1 };
    const ps = [...nodePositions([1, 2, 3, 4], box).values()];
    const f = ringFrame(4, box);
    expect(ps.reduce((s, p) => s + p.x, 0) / 4).toBeCloseTo(f.cx);
    expect(ps.reduce((s, p) => s + p.y, 0) / 4).toBeCloseTo(f.cy);
  });

  it('a partitioned ring puts each group on its own arc, a free slot between groups', () => {
    const box = { width: 800, height: 600, scale: 1 };
    const p = groupedRingPositions([[1, 2, 4, 5, 6, 8, 9], [3], [7]], box);
    const slot = (id: number) => Math.round(((p.get(id)!.angle + Math.PI / 2) / (2 * Math.PI)) * 12);
    expect([1, 2, 4, 5, 6, 8, 9, 3, 7].map(slot)).toEqual([0, 1, 2, 3, 4, 5, 6, 8, 10]);
  });
});
