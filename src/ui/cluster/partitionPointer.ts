// Dragging a node with a pointer (mouse, pen or touch) to partition the network.
//
// A press on a node starts nothing by itself: only when the pointer has moved further
// than a small threshold (5 px for a mouse, 10 px for touch and pen) does the press
// become a drag, so a click without movement still selects the node and opens its menu.
// While dragging, the node follows the pointer and the drop target is computed on every
// move (partitionDrag.dropTarget) so the view can show it. Release drops the node;
// Escape or a cancelled pointer puts it back. A drag never ends in a click: the click
// the browser sends after the release is swallowed.

import {
  useCallback,
  useEffect,
  useRef,
  useState,
  type PointerEvent as ReactPointerEvent,
  type RefObject,
} from 'react';
import { closeNodeMenu, hoverNode } from '../store';
import { clusterGeometry } from '../theme';
import type { NodePlace, Point } from './layout';
import { bodyRect, labelObstacles, settleFreeNode } from './partitionLabels';
import {
  dropTarget,
  moveToTarget,
  regionPad,
  separate,
  settlesAs,
  type DropTarget,
  type Groups,
} from './partitionDrag';
import { applyGroups, type Pin } from './partitionLayout';

/** A drag in progress. Points are in the scene's coordinates (the view box, before zoom). */
export interface NodeDrag {
  id: number;
  /** Where the node is drawn now. */
  point: Point;
  /** Where it was picked up. */
  origin: Point;
  /** What releasing it here would do. */
  target: DropTarget;
}

export interface NodeDragOptions {
  /** The scene group (the zoomed and panned <g>): pointer positions are mapped into it. */
  sceneRef: RefObject<SVGGElement | null>;
  /** Where each node is drawn when nothing is dragged. */
  positions: ReadonlyMap<number, NodePlace>;
  /** The partition drawn now. */
  groups: Groups;
  /** The view box, which a dropped node stays inside. */
  box: { width: number; height: number };
  /** Text scale (1, or 1.3 in projector mode). */
  scale: number;
}

/** Movement (CSS px) past which a press on a node becomes a drag. */
export function dragThreshold(pointerType: string): number {
  return pointerType === 'mouse' ? 5 : 10;
}

/** The point moved inside the view box, far enough from its edges that a dropped node's whole region shows. */
function clampTo(box: { width: number; height: number }, p: Point): Point {
  const m = regionPad + 4;
  return { x: Math.max(m, Math.min(box.width - m, p.x)), y: Math.max(m, Math.min(box.height - m, p.y)) };
}

/** Swallows the click that follows the release of a drag (it would open the node's menu). */
function swallowNextClick(): void {
  const stop = (e: MouseEvent) => {
    e.stopPropagation();
    e.preventDefault();
  };
  window.addEventListener('click', stop, { capture: true, once: true });
  // The click, if any, comes in the same task as the pointerup.
  setTimeout(() => window.removeEventListener('click', stop, { capture: true }), 0);
}

/** The node (by id) under an event target, if the target is part of a node glyph. */
function nodeIdAt(target: EventTarget | null): number | undefined {
  if (!(target instanceof Element)) return undefined;
  const el = target.closest('[data-testid^="node-"][data-state]');
  const id = Number(el?.getAttribute('data-testid')?.slice(5));
  return Number.isInteger(id) && id > 0 ? id : undefined;
}

/**
 * Dragging nodes of the cluster view. Returns the drag in progress (to draw) and the
 * pointerdown handler to put on the <svg>.
 */
export function useNodeDrag(opts: NodeDragOptions): {
  drag: NodeDrag | undefined;
  onPointerDown: (e: ReactPointerEvent<SVGSVGElement>) => void;
} {
  const [drag, setDrag] = useState<NodeDrag | undefined>(undefined);
  const latest = useRef(opts);
  latest.current = opts;
  // Ends the gesture in progress (removes its listeners).
  const endGesture = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => endGesture.current?.(), []);

  const onPointerDown = useCallback((e: ReactPointerEvent<SVGSVGElement>) => {
    if (!e.isPrimary || e.button !== 0) return;
    const id = nodeIdAt(e.target);
    const origin = id === undefined ? undefined : latest.current.positions.get(id);
    if (id === undefined || origin === undefined) return;
    endGesture.current?.();

    const toScene = (clientX: number, clientY: number): Point => {
      const m = latest.current.sceneRef.current?.getScreenCTM();
      if (m == null) return { x: clientX, y: clientY };
      const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
      return { x: p.x, y: p.y };
    };
    const pointerId = e.pointerId;
    const start = { x: e.clientX, y: e.clientY };
    const grab = toScene(e.clientX, e.clientY);
    const offset = { x: grab.x - origin.x, y: grab.y - origin.y };
    const threshold = dragThreshold(e.pointerType);
    let phase: 'press' | 'drag' | 'cancelled' = 'press';
    let last: NodeDrag | undefined;

    const place = (clientX: number, clientY: number): NodeDrag => {
      const { box, groups, positions } = latest.current;
      const s = toScene(clientX, clientY);
      const point = clampTo(box, { x: s.x - offset.x, y: s.y - offset.y });
      return { id, point, origin, target: dropTarget({ id, point, origin, groups, positions }) };
    };
    const onMove = (ev: PointerEvent) => {
      if (ev.pointerId !== pointerId || phase === 'cancelled') return;
      if (phase === 'press') {
        if (Math.hypot(ev.clientX - start.x, ev.clientY - start.y) < threshold) return;
        phase = 'drag';
        closeNodeMenu();
        hoverNode(0);
      }
      ev.preventDefault();
      last = place(ev.clientX, ev.clientY);
      setDrag(last);
    };
    const onUp = (ev: PointerEvent) => {
      if (ev.pointerId !== pointerId) return;
      const dropped = phase === 'drag' ? last : undefined;
      if (phase !== 'press') swallowNextClick();
      stop();
      if (dropped === undefined) return;
      setDrag(undefined);
      const { box, groups, positions, scale } = latest.current;
      const t = dropped.target;
      // Put back where it was picked up: nothing to do.
      if (t.kind === 'stay' && t.near === 'origin') return;
      // It settles clear of the other nodes and their text (what it joins was decided by
      // the drop point); where nothing is clear, off the other nodes, covering as little
      // of their text as it can.
      const others = [...positions].filter(([other]) => other !== id).map(([, p]) => p);
      const view = { width: box.width, height: box.height, scale };
      const clear = settleFreeNode(dropped.point, positions.size, view, labelObstacles(others, positions.size, scale), {
        accept: (q) => settlesAs({ id, point: q, origin, groups, positions }, dropped.point, t),
        solid: others.map(bodyRect),
      });
      const at = clampTo(
        box,
        clear.x === dropped.point.x && clear.y === dropped.point.y
          ? separate(clear, others, 2 * clusterGeometry.nodeRadius + 16)
          : clear,
      );
      // Every other node stays where it is drawn now.
      const frozen = new Map<number, Pin>();
      for (const [other, p] of positions)
        frozen.set(other, { fx: p.x / box.width, fy: p.y / box.height, angle: p.angle });
      void applyGroups(
        moveToTarget(groups, id, t),
        { id, pin: { fx: at.x / box.width, fy: at.y / box.height } },
        frozen,
      );
    };
    const onCancel = (ev: PointerEvent) => {
      if (ev.pointerId !== pointerId) return;
      stop();
      setDrag(undefined);
    };
    const onKey = (ev: KeyboardEvent) => {
      if (ev.key !== 'Escape' || phase !== 'drag') return;
      // Escape puts the node back; the shortcuts (clear selection…) do not see it.
      ev.stopPropagation();
      ev.preventDefault();
      phase = 'cancelled';
      setDrag(undefined);
    };
    const stop = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', onCancel);
      window.removeEventListener('keydown', onKey, { capture: true });
      endGesture.current = undefined;
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onCancel);
    window.addEventListener('keydown', onKey, { capture: true });
    endGesture.current = () => {
      stop();
      setDrag(undefined);
    };
  }, []);

  return { drag, onPointerDown };
}
