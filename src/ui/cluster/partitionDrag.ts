// Partitioning by direct manipulation: where a dragged node is dropped, which group it
// then belongs to, and the groups that result. Pure functions over plain points and id
// lists (no DOM, no store), shared by the pointer drag, the keyboard shortcut and the
// group regions drawn behind the nodes, so what is drawn is what a drop does.
//
// The interaction (see also GroupRegions.tsx and partitionPointer.ts):
//   - A group's region is the convex hull of its nodes grown by `regionPad`.
//   - Dropping a node within `regionPad` of where it was picked up changes nothing.
//   - Dropping it inside another group's region (its own node left out) moves it to that
//     group; inside its own group's region it stays there.
//   - Dropping it anywhere else gives it a group of its own.
//   - When every node ends up in one group the network is healed.

import { clusterGeometry } from '../theme';
import type { Point } from './layout';

/** Groups of node ids; every id in at most one group. */
export type Groups = readonly (readonly number[])[];

/** How far a group's drawn region reaches beyond its nodes' centres (user units). */
export const regionPad = clusterGeometry.nodeRadius + 22;

/** The name of the i-th group: A, B, … Z, then A2, B2, … */
export function groupName(i: number): string {
  const letter = String.fromCharCode(65 + (i % 26));
  return i < 26 ? letter : `${letter}${Math.floor(i / 26) + 1}`;
}

/** Canonical form: ids ascending in each group, no empty group, groups ordered by their smallest id. */
export function normalizeGroups(groups: Groups): number[][] {
  return groups
    .filter((g) => g.length > 0)
    .map((g) => [...g].sort((a, b) => a - b))
    .sort((a, b) => a[0]! - b[0]!);
}

/** A string equal for two group lists exactly when they describe the same partition. */
export function groupsKey(groups: Groups): string {
  return normalizeGroups(groups)
    .map((g) => g.join(','))
    .join('|');
}

/** Index of the group holding id, or -1. */
export function groupIndexOf(groups: Groups, id: number): number {
  return groups.findIndex((g) => g.includes(id));
}

// ---- geometry ----

const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/**
 * Convex hull (Andrew's monotone chain): the corners in order around the hull, without
 * collinear points. One point gives itself; points on a line give the two ends.
 */
export function convexHull(points: readonly Point[]): Point[] {
  const ps = [...points].sort((a, b) => a.x - b.x || a.y - b.y);
  const unique = ps.filter((p, i) => i === 0 || p.x !== ps[i - 1]!.x || p.y !== ps[i - 1]!.y);
  if (unique.length <= 2) return unique;
  const half = (list: Point[]) => {
    const out: Point[] = [];
    for (const p of list) {
      while (out.length >= 2 && cross(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  const hull = [...half(unique), ...half([...unique].reverse())];
  return hull.length > 0 ? hull : [unique[0]!, unique[unique.length - 1]!];
}

function segmentDistance(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Distance from p to the convex hull of the points: 0 inside it, Infinity for no points. */
export function distanceToHull(p: Point, points: readonly Point[]): number {
  const hull = convexHull(points);
  if (hull.length === 0) return Infinity;
  if (hull.length === 1) return Math.hypot(p.x - hull[0]!.x, p.y - hull[0]!.y);
  if (hull.length >= 3) {
    // Inside a convex polygon: on the same side of every edge.
    let pos = 0;
    let neg = 0;
    hull.forEach((a, i) => {
      const c = cross(a, hull[(i + 1) % hull.length]!, p);
      if (c > 0) pos++;
      else if (c < 0) neg++;
    });
    if (pos === 0 || neg === 0) return 0;
  }
  let d = Infinity;
  hull.forEach((a, i) => {
    d = Math.min(d, segmentDistance(p, a, hull[(i + 1) % hull.length]!));
  });
  return d;
}

const fmt = (v: number) => String(Math.round(v * 10) / 10);

/**
 * The region of a group as an SVG path: the convex hull of its points grown by pad, so
 * straight sides parallel to the hull's edges joined by arcs of radius pad around its
 * corners (a disc for one point, a stadium for two).
 */
export function regionPath(points: readonly Point[], pad: number): string {
  const hull = convexHull(points);
  if (hull.length === 0) return '';
  if (hull.length === 1) {
    const { x, y } = hull[0]!;
    return `M${fmt(x - pad)},${fmt(y)}A${pad},${pad} 0 1 1 ${fmt(x + pad)},${fmt(y)}A${pad},${pad} 0 1 1 ${fmt(x - pad)},${fmt(y)}Z`;
  }
  // Walk the hull so that the normal (dy, -dx) of each edge points outwards; each turn
  // is then the same way round, which SVG draws with sweep-flag 1.
  const cx = hull.reduce((s, p) => s + p.x, 0) / hull.length;
  const cy = hull.reduce((s, p) => s + p.y, 0) / hull.length;
  const normal = (a: Point, b: Point) => {
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    return { x: (b.y - a.y) / len, y: -(b.x - a.x) / len };
  };
  let ring = hull;
  if (hull.length >= 3) {
    const n = normal(hull[0]!, hull[1]!);
    const mx = (hull[0]!.x + hull[1]!.x) / 2 - cx;
    const my = (hull[0]!.y + hull[1]!.y) / 2 - cy;
    if (n.x * mx + n.y * my < 0) ring = [...hull].reverse();
  }
  const k = ring.length;
  let d = '';
  for (let i = 0; i < k; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % k]!;
    const n = normal(a, b);
    const start = { x: a.x + n.x * pad, y: a.y + n.y * pad };
    const end = { x: b.x + n.x * pad, y: b.y + n.y * pad };
    d += i === 0 ? `M${fmt(start.x)},${fmt(start.y)}` : `A${pad},${pad} 0 0 1 ${fmt(start.x)},${fmt(start.y)}`;
    d += `L${fmt(end.x)},${fmt(end.y)}`;
  }
  const first = ring[0]!;
  const n0 = normal(first, ring[1]!);
  return `${d}A${pad},${pad} 0 0 1 ${fmt(first.x + n0.x * pad)},${fmt(first.y + n0.y * pad)}Z`;
}

// ---- where a drop lands ----

/** What dropping a dragged node does. */
export type DropTarget =
  /** Nothing changes: dropped where it was picked up, or inside its own group. */
  | { kind: 'stay'; near: 'origin' | 'group' }
  /** It joins groups[group]. */
  | { kind: 'join'; group: number }
  /** It leaves its group for a group of its own. */
  | { kind: 'alone' };

export interface Drop {
  /** The dragged node. */
  id: number;
  /** Where it is dropped. */
  point: Point;
  /** Where it was picked up. */
  origin: Point;
  /** The current partition (every node in exactly one group). */
  groups: Groups;
  /** Where every other node is. */
  positions: ReadonlyMap<number, Point>;
  /** How far a region reaches beyond its nodes (regionPad). */
  reach?: number;
}

/** The nodes of each group as drop targets: the dragged node left out, empty groups skipped. */
export function dropRegions(
  groups: Groups,
  id: number,
  positions: ReadonlyMap<number, Point>,
): { group: number; points: Point[] }[] {
  const out: { group: number; points: Point[] }[] = [];
  groups.forEach((g, i) => {
    const points = g.filter((m) => m !== id).flatMap((m) => positions.get(m) ?? []);
    if (points.length > 0) out.push({ group: i, points });
  });
  return out;
}

/**
 * Where a drop lands (see the top of this file). Among regions that overlap at the drop
 * point the nearest hull wins, then the one with the nearest node.
 */
export function dropTarget({ id, point, origin, groups, positions, reach = regionPad }: Drop): DropTarget {
  if (Math.hypot(point.x - origin.x, point.y - origin.y) <= reach) return { kind: 'stay', near: 'origin' };
  const own = groupIndexOf(groups, id);
  let best: { group: number; hull: number; node: number } | undefined;
  for (const r of dropRegions(groups, id, positions)) {
    const hull = distanceToHull(point, r.points);
    if (hull > reach) continue;
    const node = Math.min(...r.points.map((p) => Math.hypot(point.x - p.x, point.y - p.y)));
    if (best === undefined || hull < best.hull - 1e-9 || (Math.abs(hull - best.hull) <= 1e-9 && node < best.node))
      best = { group: r.group, hull, node };
  }
  if (best !== undefined)
    return best.group === own ? { kind: 'stay', near: 'group' } : { kind: 'join', group: best.group };
  const ownGroup = groups[own];
  // Already alone: a group of its own is where it is.
  if (ownGroup !== undefined && ownGroup.length === 1) return { kind: 'stay', near: 'group' };
  return { kind: 'alone' };
}

/**
 * How far from the hull of the group it joins a dropped node may settle. A drop must
 * land within `regionPad` of a group to join it, but nothing fits that close to a lone
 * node (their bodies would touch), so settling may go up to three times as far.
 */
export const settleReach = 3 * regionPad;

/**
 * Whether a dropped node may settle at `drop.point` instead of where it was dropped
 * (`at`), without blurring which group it is in:
 *   - it comes no closer to any group it is not in after the drop;
 *   - joining a group (or staying in its own, with others in it), it stays within
 *     `settleReach` of that group and nearer to it than to any other;
 *   - otherwise (a group of its own), the drop would do the same at the new spot.
 */
export function settlesAs(drop: Drop, at: Point, target: DropTarget): boolean {
  const regions = dropRegions(drop.groups, drop.id, drop.positions);
  const joined =
    target.kind === 'join' ? target.group : target.kind === 'stay' ? groupIndexOf(drop.groups, drop.id) : -1;
  const fair = regions.every(
    (r) => r.group === joined || distanceToHull(drop.point, r.points) >= distanceToHull(at, r.points) - 1e-6,
  );
  if (!fair) return false;
  const home = target.kind === 'stay' && target.near === 'origin' ? undefined : regions.find((r) => r.group === joined);
  if (home !== undefined) {
    const d = distanceToHull(drop.point, home.points);
    return d <= settleReach && regions.every((r) => r === home || distanceToHull(drop.point, r.points) > d);
  }
  const here = dropTarget(drop);
  return here.kind === target.kind && !(here.kind === 'join' && target.kind === 'join' && here.group !== target.group);
}

/** The partition after the drop (normalized). 'stay' returns the groups unchanged. */
export function moveToTarget(groups: Groups, id: number, target: DropTarget): number[][] {
  if (target.kind === 'stay') return normalizeGroups(groups);
  const dest = target.kind === 'join' ? groups[target.group] : undefined;
  const rest = groups.map((g) => g.filter((m) => m !== id));
  if (dest !== undefined) {
    const i = groups.indexOf(dest);
    rest[i] = [...rest[i]!, id];
  } else {
    rest.push([id]);
  }
  return normalizeGroups(rest);
}

/**
 * The keyboard's move: the node goes to its next destination in the cycle "each other
 * group in order (by smallest id), then a group of its own" (dir -1 walks it backwards).
 * From a single group it first goes alone; pressed again it comes back (a heal).
 */
export function nextGroups(groups: Groups, id: number, dir: 1 | -1 = 1): number[][] {
  const own = groups[groupIndexOf(groups, id)];
  if (own === undefined) return normalizeGroups(groups);
  const others = normalizeGroups(groups.map((g) => g.filter((m) => m !== id)));
  const slots = others.length + 1; // the last slot is "alone"
  const companions = own.filter((m) => m !== id);
  const current = companions.length === 0 ? others.length : others.findIndex((g) => g.includes(companions[0]!));
  const next = (current + dir + slots) % slots;
  if (next === others.length) return normalizeGroups([...others, [id]]);
  return normalizeGroups(others.map((g, i) => (i === next ? [...g, id] : g)));
}

/**
 * Where a dropped node settles: at the drop point, pushed away from any node closer than
 * `gap` (centre to centre) so that no two nodes cover each other. A few passes settle a
 * drop among several close nodes; a node dropped exactly on another moves right of it.
 */
export function separate(point: Point, others: readonly Point[], gap: number): Point {
  let p = { ...point };
  for (let pass = 0; pass < 6; pass++) {
    let moved = false;
    for (const o of others) {
      const dx = p.x - o.x;
      const dy = p.y - o.y;
      const d = Math.hypot(dx, dy);
      if (d >= gap - 1e-6) continue;
      p = d < 1e-6 ? { x: o.x + gap, y: o.y } : { x: o.x + (dx / d) * gap, y: o.y + (dy / d) * gap };
      moved = true;
    }
    if (!moved) break;
  }
  return p;
}

/**
 * Whether every node lies outside the regions of the groups it is not in (its centre
 * further than `reach` from their hulls): then the drawing shows plainly who is with whom.
 */
export function regionsClear(groups: Groups, positions: ReadonlyMap<number, Point>, reach = regionPad): boolean {
  return groups.every((g) =>
    g.every((id) => {
      const p = positions.get(id);
      if (p === undefined) return true;
      return groups.every(
        (other) =>
          other === g ||
          distanceToHull(
            p,
            other.flatMap((m) => positions.get(m) ?? []),
          ) > reach,
      );
    }),
  );
}

/** A one-line description for notices and labels: "[1,2] [3]". */
export function describeGroups(groups: Groups): string {
  return normalizeGroups(groups)
    .map((g) => `[${g.join(',')}]`)
    .join(' ');
}
