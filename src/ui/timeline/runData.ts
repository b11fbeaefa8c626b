// The live sources behind the timeline, the space-time diagram and the safety panel,
// shared so that each is computed once:
//
// - `runHistory`: per-step summaries, fed by a store subscription installed when this
//   module is first imported (so no observation is missed once the app is up);
// - `readTrace()`: the cluster's event trace (sends, deliveries, drops, faults). It is
//   not part of the observation (it grows by thousands of lines), so it is read from
//   the controller's cluster when an observation says it changed;
// - `seekTo(step)`: seeking, coalesced: while a seek replays, further requests only
//   move the target, so holding an arrow key does not queue dozens of replays.

import { useSyncExternalStore } from 'react';
import type { TraceEvent } from '../../cluster/recorder';
import { controller, getState, raftStore } from '../store';
import { RunHistory } from './runHistory';

export const runHistory = new RunHistory();

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  const feed = (): void => {
    const c = getState().cluster;
    if (c.observation !== undefined) runHistory.ingest(c.observation, c.actions, c.branches);
  };
  feed();
  raftStore.subscribe((s, prev) => {
    // While an etcd script is shown, the observations are the script's, not the run's.
    if (s.cluster.observation !== prev.cluster.observation && !s.script.active) feed();
  });
}
install();

/** Re-renders the caller whenever a step summary was added (returns the version). */
export function useRunHistoryVersion(): number {
  return useSyncExternalStore(runHistory.subscribe, runHistory.getVersion);
}

const emptyTrace: readonly TraceEvent[] = [];

/** The current world's event trace (empty while booting). */
export function readTrace(): readonly TraceEvent[] {
  return controller.cluster?.events ?? emptyTrace;
}

// ---- coalesced seeking ----

let seeking = false;
let target: number | undefined;
const seekListeners = new Set<() => void>();
function notifySeek(): void {
  for (const l of seekListeners) l();
}

/** The step a seek is heading to (undefined when none is under way). */
export function seekTarget(): number | undefined {
  return seeking ? target : undefined;
}

/** Re-renders the caller when a seek starts or ends. */
export function useSeekTarget(): number | undefined {
  return useSyncExternalStore((l) => {
    seekListeners.add(l);
    return () => seekListeners.delete(l);
  }, seekTarget);
}

/** Seeks to `step` (clamped to the branch); later calls during a replay replace the target. */
export async function seekTo(step: number): Promise<void> {
  const total = getState().cluster.actions.length;
  target = Math.max(0, Math.min(total, Math.round(step)));
  if (seeking) {
    notifySeek();
    return;
  }
  seeking = true;
  notifySeek();
  try {
    while (target !== undefined && target !== getState().cluster.step) {
      const t = target;
      await controller.seek(t);
      if (getState().cluster.step !== t) break; // the seek failed (a notice says why)
    }
  } finally {
    seeking = false;
    target = undefined;
    notifySeek();
  }
}

/** Steps from the current position (or from where a seek is heading). */
export function seekBy(delta: number): Promise<void> {
  const from = seekTarget() ?? getState().cluster.step;
  return seekTo(from + delta);
}
