// Geometry of the cluster view: pure functions, no DOM.

import type { Envelope } from '../../cluster/bus';
import { clusterGeometry } from '../theme';

export interface Point {
  x: number;
  y: number;
}

/** A node on the ring: its centre and its angle (radians, 0 = east, clockwise). */
export interface NodePlace extends Point {
  angle: number;
}

/** Where a node's text block (term badge, role, indices) goes: on the outer side of the ring. */
export interface LabelPlacement {
  /** Anchor point, relative to the node centre. */
  dx: number;
  dy: number;
  anchor: 'start' | 'middle' | 'end';
  /** The block hangs below the anchor, sits above it, or is centred on it. */
  grow: 'down' | 'up' | 'center';
}

/** Whether the top node's label sits beside it (few nodes) rather than above it. */
export function topLabelBeside(count: number): boolean {
  return count <= 7;
}

/** Height of a node's text block, in user units (badge + two lines). */
export const labelBlockHeight = 62;

/**
 * Labels point away from the centre, so the links (which run inwards) and the
 * messages on them never cross a node's text. Top nodes leave room for the crown.
 */
export function labelPlacement(angle: number, radius: number, alone = false, count = 5): LabelPlacement {
  if (alone) return { dx: 0, dy: radius + 14, anchor: 'middle', grow: 'down' };
  // With few nodes the top node's neighbours are far: its label goes beside it, which
  // saves the height of a label block for the ring.
  if (topLabelBeside(count) && Math.sin(angle) < -0.95)
    return { dx: radius + 14, dy: 0, anchor: 'start', grow: 'center' };
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const anchor = c > 0.3 ? 'start' : c < -0.3 ? 'end' : 'middle';
  const grow = s > 0.3 ? 'down' : s < -0.3 ? 'up' : 'center';
  const gap = 14;
  const dx = anchor === 'middle' ? 0 : c * (radius + gap);
  let dy = grow === 'center' ? 0 : s * (radius + gap);
  if (grow === 'up' && anchor === 'middle') dy -= 26; // above the crown
  return { dx, dy, anchor, grow };
}

/** An axis-aligned rectangle. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Width of a node's text block, in user units (its longest line, "c12 a12 · last 12"). */
export const labelBlockWidth = 112;

/** The rectangle a node's text block covers (labelPlacement), in scene coordinates. */
export function labelBox(place: NodePlace, count: number, scale: number): Rect {
  const r = clusterGeometry.nodeRadius;
  const pl = labelPlacement(place.angle, r, count === 1, count);
  const w = labelBlockWidth * scale;
  const h = labelBlockHeight * scale;
  const top = pl.grow === 'down' ? pl.dy : pl.grow === 'up' ? pl.dy - h : pl.dy - h / 2;
  const left = pl.anchor === 'start' ? pl.dx : pl.anchor === 'end' ? pl.dx - w : pl.dx - w / 2;
  return { x: place.x + left, y: place.y + top, width: w, height: h };
}

/** The drawing area, in CSS pixels (the SVG is drawn 1:1, so text keeps its size). */
export interface ViewBox {
  width: number;
  height: number;
  /** Text scale (1, or 1.3 in projector mode). */
  scale: number;
}

/** The ellipse the nodes sit on: its centre, its radii, and the share k of them used. */
export interface RingFrame {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  k: number;
}

/**
 * The ellipse fitted to the view. It leaves room outside it for each node's label
 * block (beside side nodes, above and below the top and bottom ones).
 */
export function ringFrame(count: number, box: ViewBox): RingFrame {
  const r0 = clusterGeometry.nodeRadius;
  const labelW = 120 * box.scale;
  const labelH = labelBlockHeight * box.scale;
  const cx = box.width / 2;
  // The top node carries its crown and label above; the bottom ones only a label below.
  const top = topLabelBeside(count) ? r0 + 14 + 26 + 8 : r0 + 14 + 26 + labelH + 8;
  const bottom = r0 + 14 + labelH + 8;
  const cy = top + (box.height - top - bottom) / 2;
  let ry = Math.max(50, (box.height - top - bottom) / 2);
  let rx = Math.max(50, box.width / 2 - r0 - 14 - labelW - 8);
  rx = Math.min(rx, ry * 1.5);
  ry = Math.min(ry, rx * 1.2);
  // Fewer nodes: a smaller ring keeps them close enough to read as one cluster.
  const k = count <= 1 ? 0 : count <= 3 ? 0.8 : 1;
  return { cx, cy, rx, ry, k };
}

const defaultBox: ViewBox = { width: clusterGeometry.width, height: clusterGeometry.height, scale: 1 };

/**
 * Nodes on an ellipse fitted to the view (ringFrame), ascending ids clockwise from the
 * top (one node sits in the centre).
 */
export function nodePositions(ids: readonly number[], box: ViewBox = defaultBox): Map<number, NodePlace> {
  const out = new Map<number, NodePlace>();
  const { cx, cy, rx, ry, k } = ringFrame(ids.length, box);
  const n = ids.length;
  ids.forEach((id, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, n);
    out.set(id, { x: cx + k * rx * Math.cos(a), y: cy + k * ry * Math.sin(a), angle: a });
  });
  return out;
}

/**
 * A partitioned cluster on the same ellipse, each group on its own arc: the groups in
 * order, each group's nodes in order, and one empty slot after each group, so that
 * groups never interleave and neighbouring groups keep a slot's distance apart.
 */
export function groupedRingPositions(
  groups: readonly (readonly number[])[],
  box: ViewBox = defaultBox,
): Map<number, NodePlace> {
  const out = new Map<number, NodePlace>();
  const n = groups.reduce((s, g) => s + g.length, 0);
  const { cx, cy, rx, ry, k } = ringFrame(n, box);
  const slots = n + groups.length;
  let slot = 0;
  for (const g of groups) {
    for (const id of g) {
      const a = -Math.PI / 2 + (2 * Math.PI * slot) / slots;
      out.set(id, { x: cx + k * rx * Math.cos(a), y: cy + k * ry * Math.sin(a), angle: a });
      slot++;
    }
    slot++;
  }
  return out;
}

/**
 * The place of a node drawn away from the ring (dragged, or dropped): its label points
 * away from the ring's centre like the others', but turns back towards the inside where
 * it would leave the view.
 */
export function freePlace(p: Point, count: number, box: ViewBox): NodePlace {
  const { cx, cy } = ringFrame(count, box);
  let dx = p.x - cx;
  let dy = p.y - cy;
  if (Math.hypot(dx, dy) < 1) dy = 1;
  const a = Math.atan2(dy, dx);
  const reachX = clusterGeometry.nodeRadius + 14 + 120 * box.scale;
  const reachY = clusterGeometry.nodeRadius + 14 + labelBlockHeight * box.scale;
  if ((Math.cos(a) > 0.3 && p.x + reachX > box.width) || (Math.cos(a) < -0.3 && p.x - reachX < 0)) dx = -dx;
  if ((Math.sin(a) > 0.3 && p.y + reachY > box.height) || (Math.sin(a) < -0.3 && p.y - reachY < 0)) dy = -dy;
  return { x: p.x, y: p.y, angle: Math.atan2(dy, dx) };
}

/** How far along its link a message is at virtual time t: 0 at sendTime, 1 at dueTime. */
export function messageProgress(env: Pick<Envelope, 'sendTime' | 'dueTime' | 'held'>, t: number): number {
  const span = env.dueTime - env.sendTime;
  const p = span <= 0 ? 1 : (t - env.sendTime) / span;
  // A held message waits on the wire short of its destination.
  const cap = env.held ? 0.8 : 1;
  return Math.min(cap, Math.max(0, p));
}

/**
 * Where a message is drawn: along the segment between the two nodes' rims, shifted
 * sideways so that the two directions of a link use two lanes.
 */
export function messagePoint(from: Point, to: Point, progress: number, rim: number, lane = 9): Point {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const start = Math.min(rim, len / 2);
  const travel = Math.max(0, len - 2 * start);
  const d = start + travel * progress;
  // The normal (-uy, ux) flips with the direction, so a->b and b->a get opposite lanes.
  return { x: from.x + ux * d - uy * lane, y: from.y + uy * d + ux * lane };
}

/**
 * Groups of nodes that can still talk to each other: connected components of the
 * graph whose edges are the links up in both directions. One group = no partition.
 */
export function partitionGroups(ids: readonly number[], downLinks: ReadonlySet<string>): number[][] {
  const parent = new Map<number, number>(ids.map((id) => [id, id]));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  for (const a of ids)
    for (const b of ids) {
      if (a >= b) continue;
      if (downLinks.has(`${a}>${b}`) || downLinks.has(`${b}>${a}`)) continue;
      parent.set(find(a), find(b));
    }
  const groups = new Map<number, number[]>();
  for (const id of ids) {
    const r = find(id);
    const g = groups.get(r) ?? [];
    g.push(id);
    groups.set(r, g);
  }
  return [...groups.values()].sort((x, y) => x[0]! - y[0]!);
}
