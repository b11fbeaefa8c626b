import { describe, expect, it } from 'vitest';
import { labelBox, type Rect } from './layout';
import {
  bodyRect,
  labelObstacles,
  placeFreeNode,
  placeRegionLabels,
  settleFreeNode,
  textRect,
} from './partitionLabels';

const view = { width: 800, height: 600, scale: 1 };
const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inView = (r: Rect) => r.x >= 0 && r.y >= 0 && r.x + r.width <= view.width && r.y + r.height <= view.height;

describe('labels around partitions', () => {
  it('a free node’s text block goes away from the centre when nothing is in the way', () => {
    const p = placeFreeNode({ x: 600, y: 300 }, 5, view, []);
    expect(Math.cos(p.angle)).toBeGreaterThan(0.9);
  });

  it('it turns to a side that is free and in view', () => {
    // Right of the node is taken.
    const taken: Rect = { x: 640, y: 200, width: 150, height: 200 };
    const p = placeFreeNode({ x: 600, y: 300 }, 5, view, [taken]);
    const box = labelBox(p, 5, 1);
    expect(overlaps(box, taken)).toBe(false);
    expect(inView(box)).toBe(true);
  });

  it('region labels go where they cover no obstacle and no other label', () => {
    const points = [{ x: 400, y: 300 }];
    // Above the region is taken.
    const taken: Rect = { x: 300, y: 150, width: 200, height: 100 };
    const [a, b] = placeRegionLabels(
      [
        { text: 'group A: 1', points },
        { text: 'group B: 2', points },
      ],
      [taken],
      view,
      60,
      1,
    );
    const ra = textRect(a!, 'group A: 1', 1);
    const rb = textRect(b!, 'group B: 2', 1);
    expect(overlaps(ra, taken)).toBe(false);
    expect(overlaps(rb, taken)).toBe(false);
    expect(overlaps(ra, rb)).toBe(false);
    expect(inView(ra) && inView(rb)).toBe(true);
  });

  it('a node dropped on another settles nearby, covering no node and no text', () => {
    const other = { x: 400, y: 300, angle: 0 };
    const obstacles = labelObstacles([other], 2, 1);
    const p = settleFreeNode({ x: 410, y: 305 }, 2, view, obstacles);
    expect(Math.hypot(p.x - 410, p.y - 305)).toBeLessThanOrEqual(120);
    const body: Rect = { x: p.x - 42, y: p.y - 58, width: 84, height: 100 };
    for (const o of obstacles) {
      expect(overlaps(body, o)).toBe(false);
      expect(overlaps(labelBox(p, 2, 1), o)).toBe(false);
    }
    // A clear drop point is kept.
    expect(settleFreeNode({ x: 100, y: 500 }, 2, view, obstacles)).toMatchObject({ x: 100, y: 500 });
  });
});

describe('settling on a crowded view', () => {
  const body = (p: { x: number; y: number }): Rect => ({ x: p.x - 42, y: p.y - 58, width: 84, height: 100 });
  const clear = (p: { x: number; y: number; angle: number }, obstacles: readonly Rect[]) =>
    obstacles.every((o) => !overlaps(body(p), o) && !overlaps(labelBox(p, 9, 1), o)) &&
    inView(body(p)) &&
    inView(labelBox(p, 9, 1));

  // Nodes on a grid filling the left two thirds of the view, 150 apart.
  const grid = [];
  for (let x = 60; x <= 500; x += 150) for (let y = 60; y <= 560; y += 150) grid.push({ x, y, angle: 0 });
  const obstacles = labelObstacles(grid, 9, 1);

  it('a node dropped in the middle of a crowd moves beyond the near reach rather than cover a label', () => {
    const drop = { x: 260, y: 300 };
    const p = settleFreeNode(drop, 9, view, obstacles);
    expect(clear(p, obstacles)).toBe(true);
    expect(Math.hypot(p.x - drop.x, p.y - drop.y)).toBeGreaterThan(120);
  });

  it('the far search still only takes spots that mean the same drop', () => {
    const drop = { x: 260, y: 300 };
    // Only spots in the lower right quarter are allowed.
    const accept = (q: { x: number; y: number }) => q.x > 550 && q.y > 350;
    const p = settleFreeNode(drop, 9, view, obstacles, { accept });
    expect(accept(p)).toBe(true);
    expect(clear(p, obstacles)).toBe(true);
  });

  it('with no clear spot anywhere, it covers as little as it can, and less than at the drop point', () => {
    // A view packed with text everywhere except one narrow strip at the bottom left.
    const wall: Rect[] = [
      { x: 0, y: 0, width: 800, height: 450 },
      { x: 200, y: 450, width: 600, height: 150 },
    ];
    const drop = { x: 400, y: 200 };
    const p = settleFreeNode(drop, 9, view, wall);
    const covered = (q: { x: number; y: number; angle: number }) =>
      wall.reduce((s, o) => s + area(body(q), o) + area(labelBox(q, 9, 1), o), 0);
    const atDrop = placeFreeNode(drop, 9, view, wall);
    expect(covered(p)).toBeLessThan(covered(atDrop));
    expect(p.x).toBeLessThan(300);
    expect(p.y).toBeGreaterThan(400);
  });
});

describe('settling with no clear spot', () => {
  it('never puts the node on another node, and covers less text than the drop point would', () => {
    // Columns of nodes 180 apart, text to their right: a body fits between two columns,
    // but every spot in view covers some text block.
    const packed = [];
    for (let x = 60; x <= 780; x += 180) for (let y = 60; y <= 560; y += 110) packed.push({ x, y, angle: 0 });
    const obstacles = labelObstacles(packed, 9, 1);
    const bodies = packed.map(bodyRect);
    const drop = { x: 350, y: 250 };
    const near = (q: { x: number; y: number }) => Math.hypot(q.x - drop.x, q.y - drop.y) < 200;
    const p = settleFreeNode(drop, 9, view, obstacles, { accept: near, solid: bodies });
    expect(near(p)).toBe(true);
    for (const b of bodies) expect(overlaps(bodyRect(p), b)).toBe(false);
    const covered = (q: { x: number; y: number; angle: number }) =>
      obstacles.reduce((s, o) => s + area(bodyRect(q), o) + area(labelBox(q, 9, 1), o), 0);
    expect(covered(p)).toBeGreaterThan(0);
    expect(covered(p)).toBeLessThan(covered(placeFreeNode(drop, 9, view, obstacles)));
  });
});

function area(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}
