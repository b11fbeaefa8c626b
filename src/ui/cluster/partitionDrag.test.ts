import { describe, expect, it } from 'vitest';
import type { Point } from './layout';
import {
  convexHull,
  distanceToHull,
  dropTarget,
  groupName,
  groupsKey,
  moveToTarget,
  nextGroups,
  normalizeGroups,
  regionPad,
  regionPath,
  regionsClear,
  separate,
  settleReach,
  settlesAs,
} from './partitionDrag';

// Five nodes on a circle of radius 200 around (400, 300), 1 at the top, clockwise.
const centre = { x: 400, y: 300 };
const ring = new Map<number, Point>(
  [1, 2, 3, 4, 5].map((id, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / 5;
    return [id, { x: centre.x + 200 * Math.cos(a), y: centre.y + 200 * Math.sin(a) }];
  }),
);
const at = (id: number) => ring.get(id)!;
/** The point `d` further out from the centre than node id. */
const outward = (id: number, d: number): Point => {
  const p = at(id);
  const len = Math.hypot(p.x - centre.x, p.y - centre.y);
  return { x: p.x + ((p.x - centre.x) / len) * d, y: p.y + ((p.y - centre.y) / len) * d };
};
const whole = [[1, 2, 3, 4, 5]];

describe('group names and keys', () => {
  it('names groups A, B, … and compares partitions whatever the order', () => {
    expect([0, 1, 25, 26].map(groupName)).toEqual(['A', 'B', 'Z', 'A2']);
    expect(normalizeGroups([[5, 3], [], [2, 1]])).toEqual([
      [1, 2],
      [3, 5],
    ]);
    expect(groupsKey([[3], [2, 1]])).toBe(groupsKey([[1, 2], [3]]));
    expect(groupsKey([[1], [2, 3]])).not.toBe(groupsKey([[1, 2], [3]]));
  });
});

describe('geometry', () => {
  it('the convex hull drops inner and collinear points', () => {
    const square = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(convexHull([...square, { x: 5, y: 5 }, { x: 5, y: 0 }])).toHaveLength(4);
    expect(
      convexHull([
        { x: 0, y: 0 },
        { x: 1, y: 1 },
        { x: 2, y: 2 },
      ]),
    ).toEqual([
      { x: 0, y: 0 },
      { x: 2, y: 2 },
    ]);
    expect(convexHull([{ x: 3, y: 4 }])).toEqual([{ x: 3, y: 4 }]);
  });

  it('distance to a hull is 0 inside, to the nearest edge or point outside', () => {
    const tri = [
      { x: 0, y: 0 },
      { x: 100, y: 0 },
      { x: 0, y: 100 },
    ];
    expect(distanceToHull({ x: 10, y: 10 }, tri)).toBe(0);
    expect(distanceToHull({ x: 50, y: -20 }, tri)).toBeCloseTo(20);
    expect(distanceToHull({ x: 100, y: 100 }, tri)).toBeCloseTo(Math.SQRT1_2 * 100);
    expect(distanceToHull({ x: 3, y: 4 }, [{ x: 0, y: 0 }])).toBeCloseTo(5);
    expect(
      distanceToHull({ x: 50, y: 30 }, [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ]),
    ).toBeCloseTo(30);
    expect(distanceToHull({ x: 0, y: 0 }, [])).toBe(Infinity);
  });

  it('a region is the hull grown by the pad: a disc, a stadium, a rounded polygon', () => {
    expect(regionPath([{ x: 10, y: 20 }], 5)).toBe('M5,20A5,5 0 1 1 15,20A5,5 0 1 1 5,20Z');
    const stadium = regionPath(
      [
        { x: 0, y: 0 },
        { x: 100, y: 0 },
      ],
      10,
    );
    // Two straight sides 10 above and below, two half-circle ends.
    expect(stadium.match(/A10,10 0 0 1/g)).toHaveLength(2);
    expect(stadium).toContain('L100,-10');
    expect(stadium).toContain('L0,10');
    const tri = regionPath([at(1), at(2), at(4)], regionPad);
    expect(tri.match(/A/g)).toHaveLength(3);
    expect(tri.endsWith('Z')).toBe(true);
    // Every corner of the path is regionPad away from the hull, outside it.
    const corners = [...tri.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    for (const c of corners) expect(distanceToHull(c, [at(1), at(2), at(4)])).toBeCloseTo(regionPad, 0);
    expect(regionPath([], 10)).toBe('');
  });
});

describe('where a dragged node lands', () => {
  const drop = (id: number, point: Point, groups: number[][] = whole) =>
    dropTarget({ id, point, origin: at(id), groups, positions: ring });

  it('dropped near where it was picked up: no change', () => {
    expect(drop(3, { x: at(3).x + 20, y: at(3).y - 10 })).toEqual({ kind: 'stay', near: 'origin' });
  });

  it('dragged away from the others: a group of its own', () => {
    const target = drop(3, outward(3, regionPad + 40));
    expect(target).toEqual({ kind: 'alone' });
    expect(moveToTarget(whole, 3, target)).toEqual([[1, 2, 4, 5], [3]]);
  });

  it('dropped inside its own group (away from its place): it stays in it', () => {
    expect(drop(3, centre)).toEqual({ kind: 'stay', near: 'group' });
    expect(moveToTarget(whole, 3, { kind: 'stay', near: 'group' })).toEqual(whole);
  });

  it('dropped in another group’s region: it joins that group', () => {
    const groups = [[1, 2], [3], [4, 5]];
    // Next to node 4, from node 3's group of one.
    const target = drop(3, { x: at(4).x + 10, y: at(4).y - regionPad + 5 }, groups);
    expect(target).toEqual({ kind: 'join', group: 2 });
    expect(moveToTarget(groups, 3, target)).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it('a node alone dropped away from everyone stays alone', () => {
    expect(drop(3, outward(3, 150), [[1, 2, 4, 5], [3]])).toEqual({ kind: 'stay', near: 'group' });
  });

  it('dragged back into the others’ region: one group again (a heal)', () => {
    const groups = [[1, 2, 4, 5], [3]];
    const target = drop(3, centre, groups);
    expect(target).toEqual({ kind: 'join', group: 0 });
    expect(moveToTarget(groups, 3, target)).toEqual(whole);
  });

  it('where regions overlap, the one whose hull is nearest wins', () => {
    // Groups [1,3] and [2,4,5] on the ring: their regions cross. Node 5 dropped on the
    // chord 1–3 is about 43 units from the chord 2–4, inside both regions.
    const groups = [
      [1, 3],
      [2, 4, 5],
    ];
    const mid13 = { x: (at(1).x + at(3).x) / 2, y: (at(1).y + at(3).y) / 2 };
    const t = dropTarget({ id: 5, point: mid13, origin: { x: 0, y: 0 }, groups, positions: ring });
    expect(t).toEqual({ kind: 'join', group: 0 });
  });
});

describe('the keyboard’s next group', () => {
  it('from a whole cluster the node goes alone, and back (a heal)', () => {
    const split = nextGroups(whole, 3);
    expect(split).toEqual([[1, 2, 4, 5], [3]]);
    expect(nextGroups(split, 3)).toEqual(whole);
    expect(nextGroups(split, 3, -1)).toEqual(whole);
  });

  it('cycles through every other group, then alone', () => {
    let g = normalizeGroups([
      [1, 4, 5],
      [2, 3],
    ]);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      g = nextGroups(g, 2);
      seen.push(groupsKey(g));
    }
    expect(seen).toEqual([
      groupsKey([[1, 4, 5], [2], [3]]),
      groupsKey([[1, 2, 4, 5], [3]]),
      groupsKey([
        [1, 4, 5],
        [2, 3],
      ]),
    ]);
  });

  it('backwards walks the same cycle the other way', () => {
    const g = [
      [1, 4, 5],
      [2, 3],
    ];
    expect(nextGroups(nextGroups(g, 2), 2, -1)).toEqual(normalizeGroups(g));
  });

  it('an unknown node or a lone node in a one-node cluster changes nothing', () => {
    expect(nextGroups(whole, 9)).toEqual(whole);
    expect(nextGroups([[7]], 7)).toEqual([[7]]);
  });
});

describe('where a dropped node settles', () => {
  it('stays where dropped when no node is near', () => {
    expect(separate({ x: 10, y: 10 }, [{ x: 200, y: 200 }], 72)).toEqual({ x: 10, y: 10 });
  });

  it('is pushed out of every node it would cover', () => {
    const others = [
      { x: 100, y: 100 },
      { x: 160, y: 100 },
    ];
    const p = separate({ x: 130, y: 110 }, others, 72);
    for (const o of others) expect(Math.hypot(p.x - o.x, p.y - o.y)).toBeGreaterThanOrEqual(72 - 1e-6);
    expect(separate({ x: 100, y: 100 }, [{ x: 100, y: 100 }], 72)).toEqual({ x: 172, y: 100 });
  });

  it('settles only where the drop does the same, no closer to another group', () => {
    const groups = [[1, 2, 4, 5], [3]];
    const drop = outward(3, 150);
    const target = dropTarget({ id: 3, point: drop, origin: at(3), groups, positions: ring });
    expect(target).toEqual({ kind: 'stay', near: 'group' });
    const spot = (point: Point) => settlesAs({ id: 3, point, origin: at(3), groups, positions: ring }, drop, target);
    expect(spot(outward(3, 170))).toBe(true);
    // Closer to the other group: refused, even where it would still be alone.
    expect(spot(outward(3, 130))).toBe(false);
    // Inside the other group's region: a different drop, refused.
    expect(spot(centre)).toBe(false);
  });
});

describe('settling beside a lone node it joins', () => {
  it('may go beyond the region, up to settleReach, and never nearer to another group', () => {
    // Node 3 alone; node 2 is dragged next to it (just outside it, away from the centre).
    const groups = [[1, 2, 4, 5], [3]];
    const drop = outward(3, 40);
    const target = dropTarget({ id: 2, point: drop, origin: at(2), groups, positions: ring });
    expect(target).toEqual({ kind: 'join', group: 1 });
    const spot = (point: Point) => settlesAs({ id: 2, point, origin: at(2), groups, positions: ring }, drop, target);
    // Further out than a drop could join from, but within settleReach: a place to settle.
    expect(regionPad).toBeLessThan(100);
    expect(spot(outward(3, 100))).toBe(true);
    expect(spot(outward(3, settleReach + 10))).toBe(false);
    // Towards the other group (the centre of the ring): refused.
    expect(spot(outward(3, -30))).toBe(false);
  });
});

describe('whether the drawing shows the groups plainly', () => {
  it('a ring node alone beside the others is clear; one between two of another group is not', () => {
    expect(regionsClear([[1, 2, 4, 5], [3]], ring)).toBe(true);
    // Node 3 alone, with its neighbours 2 and 4 in one group and close together.
    const tight = new Map(ring);
    tight.set(3, { x: (at(2).x + at(4).x) / 2, y: (at(2).y + at(4).y) / 2 + 40 });
    expect(regionsClear([[1, 2, 4, 5], [3]], tight)).toBe(false);
  });
});
