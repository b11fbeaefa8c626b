// Labels around partitions, placed so they cover nothing: where the label of a group's
// region goes ("group A: 1 2"), which side of a dragged node its text block goes, and
// where a dropped node settles.
// Pure geometry, no DOM.

import { clusterGeometry } from '../theme';
import { freePlace, labelBox, type NodePlace, type Point, type Rect, type ViewBox } from './layout';
import { distanceToHull } from './partitionDrag';

/** The rectangle a label's text covers, centred on its anchor (an estimate from its length). */
export function textRect(at: Point, text: string, scale: number): Rect {
  const width = (text.length * 7.6 + 8) * scale;
  const height = 18 * scale;
  return { x: at.x - width / 2, y: at.y - height / 2, width, height };
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** The rectangle a node's body covers, with its timer ring and its crown. */
export function bodyRect(q: Point): Rect {
  const r = clusterGeometry.nodeRadius;
  return { x: q.x - r - 12, y: q.y - r - 28, width: 2 * r + 24, height: 2 * r + 40 };
}

/** What a region label must not cover: each node (with its timer ring and crown) and its text block. */
export function labelObstacles(places: Iterable<NodePlace>, count: number, scale: number): Rect[] {
  const out: Rect[] = [];
  for (const p of places) {
    out.push(bodyRect(p));
    out.push(labelBox(p, count, scale));
  }
  return out;
}

/** How much of `rect` leaves the view or covers the obstacles (area, in square units). */
function clash(rect: Rect, obstacles: readonly Rect[], view: { width: number; height: number }): number {
  const inside = overlap(rect, { x: 0, y: 0, width: view.width, height: view.height });
  return rect.width * rect.height - inside + obstacles.reduce((s, o) => s + overlap(rect, o), 0);
}

/**
 * A node off the ring (dragged or dropped): its text block goes on the side freePlace
 * prefers (away from the ring's centre) unless that side leaves the view or covers
 * another node or text block; then on the side, among eight, that clashes least.
 */
export function placeFreeNode(p: Point, count: number, view: ViewBox, obstacles: readonly Rect[]): NodePlace {
  const preferred = freePlace(p, count, view).angle;
  const q = Math.PI / 4;
  let best: { place: NodePlace; cost: number } | undefined;
  for (const angle of [preferred, 0, 4 * q, 2 * q, -2 * q, q, 3 * q, -q, -3 * q]) {
    const place = { x: p.x, y: p.y, angle };
    const cost = clash(labelBox(place, count, view.scale), obstacles, view);
    if (best === undefined || cost < best.cost) best = { place, cost };
    if (cost === 0) break;
  }
  return best!.place;
}

/**
 * Spots around `p` on rings of growing radius, nearest first: every `step` units out to
 * `reach`, with points along each ring about twice `step` apart (at least 16 per ring).
 */
function* ringSpots(p: Point, step: number, reach: number): Generator<Point> {
  yield p;
  for (let radius = step; radius <= reach; radius += step) {
    const n = Math.max(16, Math.ceil((2 * Math.PI * radius) / (2 * step)));
    for (let k = 0; k < n; k++) {
      const a = (2 * Math.PI * k) / n;
      yield { x: p.x + radius * Math.cos(a), y: p.y + radius * Math.sin(a) };
    }
  }
}

/** What settleFreeNode may also be told. */
export interface SettleOptions {
  /** Only spots this allows (they must mean the same drop). */
  accept?: (q: Point) => boolean;
  /** How far the fine search goes before the coarse one takes over. */
  reach?: number;
  /** What the node's body must never cover, even when nothing is clear: the other nodes' bodies. */
  solid?: readonly Rect[];
}

/**
 * Where a dropped node settles: the spot nearest the drop point where the node covers
 * no other node or text block, stays in view, and its own text block fits somewhere
 * (placeFreeNode); only spots `accept` allows. Spots are tried on rings of growing
 * radius, first finely within `reach`, then across the whole view, so on a crowded view
 * a node moves as far as it must rather than cover a label. When no spot anywhere is
 * clear: the accepted spot, in view and off every `solid` rectangle, where body and text
 * together cover the least (text over a solid rectangle weighing ten times as much),
 * nearest first among equals; when there is none, the drop point.
 */
export function settleFreeNode(
  p: Point,
  count: number,
  view: ViewBox,
  obstacles: readonly Rect[],
  { accept = () => true, reach = 120, solid = [] }: SettleOptions = {},
): NodePlace {
  let least: { place: NodePlace; cost: number } | undefined;
  const near = ringSpots(p, 12, reach);
  const rest = ringSpots(p, 24, Math.hypot(view.width, view.height));
  for (const spots of [near, rest]) {
    for (const q of spots) {
      // The second pass starts where the first one stopped.
      if (spots === rest && Math.hypot(q.x - p.x, q.y - p.y) <= reach) continue;
      const body = bodyRect(q);
      const bodyCost = clash(body, obstacles, view);
      if (clash(body, solid, view) > 0 || (least !== undefined && bodyCost >= least.cost) || !accept(q)) continue;
      const place = placeFreeNode(q, count, view, obstacles);
      const text = labelBox(place, count, view.scale);
      // Text over another node hides more than text over text: it counts ten times.
      const cost = bodyCost + clash(text, obstacles, view) + 9 * solid.reduce((sum, o) => sum + overlap(text, o), 0);
      if (cost === 0) return place;
      if (least === undefined || cost < least.cost) least = { place, cost };
    }
  }
  return least?.place ?? placeFreeNode(p, count, view, obstacles);
}

export interface RegionLabel {
  text: string;
  /** The centres of the group's nodes. */
  points: readonly Point[];
}

/**
 * Anchors (text centres) for the labels, in order; each placed label becomes an obstacle
 * for the next, and no label goes inside another label's region or nearer to it than
 * to its own. `pad` is how far the regions reach beyond their nodes.
 */
export function placeRegionLabels(
  labels: readonly RegionLabel[],
  obstacles: readonly Rect[],
  view: { width: number; height: number },
  pad: number,
  scale: number,
): Point[] {
  const taken = [...obstacles];
  return labels.map(({ text, points }) => {
    if (points.length === 0) return { x: 0, y: 0 };
    const xs = points.map((p) => p.x);
    const ys = points.map((p) => p.y);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const half = textRect({ x: 0, y: 0 }, text, scale).width / 2;
    const gap = 12 * scale;
    // Outside above or below; then, for three or more nodes, in the middle of the region
    // (between its nodes, not beside it where it could be read as another group's); then
    // beside it, or just inside its top or bottom edge.
    const middle = { x: xs.reduce((s, v) => s + v, 0) / xs.length, y: ys.reduce((s, v) => s + v, 0) / ys.length };
    const candidates: Point[] = [
      { x: cx, y: y0 - pad - gap },
      { x: cx, y: y1 + pad + gap },
      ...(points.length >= 3 ? [middle] : []),
      { x: x0 - pad - half - 4, y: cy },
      { x: x1 + pad + half + 4, y: cy },
      { x: cx, y: y0 - pad + gap },
      { x: cx, y: y1 + pad - gap },
    ];
    // A label inside another group's region, or nearer to it than to its own, would
    // read as that group's.
    const others = labels.filter((l) => l.points !== points);
    const misread = (at: Point) => {
      const own = distanceToHull(at, points);
      return others.some((o) => {
        const d = distanceToHull(at, o.points);
        return d < pad + 4 || d < own;
      });
    };
    let best: { at: Point; cost: number } | undefined;
    for (const at of candidates) {
      // Leaving the view costs like covering something: as much as the part outside.
      const rect = textRect(at, text, scale);
      const cost = clash(rect, taken, view) + (misread(at) ? rect.width * rect.height : 0);
      if (best === undefined || cost < best.cost) best = { at, cost };
      if (cost === 0) break;
    }
    taken.push(textRect(best!.at, text, scale));
    return best!.at;
  });
}
