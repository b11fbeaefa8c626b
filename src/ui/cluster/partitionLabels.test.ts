import { describe, expect, it } from 'vitest';
import { labelBox, type Rect } from './layout';
import { labelObstacles, placeFreeNode, placeRegionLabels, settleFreeNode, textRect } from './partitionLabels';

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
