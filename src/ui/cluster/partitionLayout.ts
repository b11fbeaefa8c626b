// Partitions made in the cluster view (by dragging a node, or with the keyboard), and the
// layout memory that goes with them: where dragged nodes were dropped.
//
// The partition itself is the cluster's: it is applied through the controller (a
// recorded action, so seek, fork and export see it like the dialog's), and the groups
// drawn are always derived from the cluster's cut links. The layout memory is only a
// view preference, outside the store and outside the run: after a drop every node keeps
// the place it had (and the dropped one its new place) while the partition holds. When the partition changes any other
// way (heal, the dialog, a link click, time travel, a new run) every node goes back to
// its place on the ring.

import { useSyncExternalStore } from 'react';
import { controller, getState, pushNotice } from '../store';
import { partitionGroups } from './layout';
import {
  describeGroups,
  groupIndexOf,
  groupName,
  groupsKey,
  nextGroups,
  normalizeGroups,
  type Groups,
} from './partitionDrag';

/** Where a node is drawn after a drag, as fractions of the view box (so it follows a resize). */
export interface Pin {
  fx: number;
  fy: number;
  /** The side of its text block (NodePlace.angle); undefined: chosen where it covers nothing. */
  angle?: number;
}

interface Memory {
  /** Dropped nodes' places. Invariant: empty unless the partition is `expected` (or one is pending). */
  pins: ReadonlyMap<number, Pin>;
  /** groupsKey of the partition the pins were made for. */
  expected: string | undefined;
  /** Partitions asked of the controller and not yet done. */
  pending: number;
}

const noPins: ReadonlyMap<number, Pin> = new Map();
let memory: Memory = { pins: noPins, expected: undefined, pending: 0 };
const listeners = new Set<() => void>();

function update(next: Partial<Memory>): void {
  memory = { ...memory, ...next };
  listeners.forEach((l) => l());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getPinsSnapshot = () => memory.pins;

/** The dropped nodes' places (identity changes only when they change). */
export function usePins(): ReadonlyMap<number, Pin> {
  return useSyncExternalStore(subscribe, getPinsSnapshot);
}

export function getPins(): ReadonlyMap<number, Pin> {
  return memory.pins;
}

/** Every node back on the ring. */
export function forgetLayout(): void {
  if (memory.pins.size > 0 || memory.expected !== undefined) update({ pins: noPins, expected: undefined });
}

/** The partition drawn now: the groups of nodes that the cluster's links still join. */
export function currentGroups(): number[][] {
  const c = getState().cluster;
  return partitionGroups(c.nodeIds, c.downLinks);
}

/** To be called when the drawn partition changes: keeps the pins only for the partition they were made for. */
export function syncLayout(groups: Groups): void {
  if (memory.pending > 0) return;
  if (groups.length <= 1 || groupsKey(groups) !== memory.expected) forgetLayout();
}

/**
 * Makes `next` the partition: heals when one group is left, else partitions through the
 * controller (links between groups cut both ways, links inside a group restored).
 * `moved` is the node that moved and where it is to be drawn (no pin: its ring place);
 * `frozen`, where every other node is to stay (a drag keeps the picture as it was).
 */
export async function applyGroups(
  next: Groups,
  moved: { id: number; pin?: Pin },
  frozen?: ReadonlyMap<number, Pin>,
): Promise<void> {
  const current = currentGroups();
  const key = groupsKey(next);
  const pins = new Map(frozen ?? memory.pins);
  if (moved.pin === undefined) pins.delete(moved.id);
  else pins.set(moved.id, moved.pin);
  if (key === groupsKey(current)) {
    // The same partition, the node only has a new place; one group is drawn as the ring.
    if (current.length > 1) update({ pins, expected: key });
    return;
  }
  if (normalizeGroups(next).length <= 1) {
    forgetLayout();
    await controller.heal();
    return;
  }
  update({ pins, expected: key, pending: memory.pending + 1 });
  try {
    await controller.partition(normalizeGroups(next));
  } finally {
    update({ pending: memory.pending - 1 });
    // A refused partition leaves the old one, and the nodes go back to their places.
    syncLayout(currentGroups());
  }
}

/**
 * The keyboard's way to partition: moves node `id` to its next group (see nextGroups:
 * each other group in turn, then a group of its own), with every node back in the
 * view's own layout, and says what happened in a notice (read out by screen readers).
 */
export function moveToNextGroup(id: number, dir: 1 | -1 = 1): Promise<void> {
  const groups = currentGroups();
  if (groupIndexOf(groups, id) < 0) return Promise.resolve();
  const next = nextGroups(groups, id, dir);
  const text =
    next.length <= 1
      ? `Node ${id} rejoined the others: the network is healed.`
      : `Node ${id} → group ${groupName(groupIndexOf(next, id))}. Partition ${describeGroups(next)}.`;
  pushNotice('info', text, { ttlMs: 3500 });
  // The keyboard places no node: the view lays every group out by itself.
  forgetLayout();
  return applyGroups(next, { id });
}
