// A bounded history of recent Ready cycles per node, collected from the store.
//
// The cluster's observation carries only the most recent cycle record of each node
// (lastCycles). This module watches the store outside React and keeps the last
// `ringSize` distinct records per node, so the Ready inspector can show a few cycles
// back even if it was not on screen when they ran. In manual mode every stage produces
// its own record of the same Ready; consecutive stage records of one Ready are merged
// into one entry (what each stage persisted, sent and applied, accumulated).
//
// A seek backwards, a reset or a new cluster clears the history (it would describe a
// future that no longer exists).

import type { AppliedEntry, CycleRecord, DiskWrite, ReadyStage } from '../../../cluster/protocol';
import type { Message } from '../../../raft/raftpb/types';
import type { Ready, ReadState } from '../../../raft/types';
import { raftStore, type RaftlabState } from '../../store';

/** One Ready as the inspector shows it: the Ready and what its stages did so far. */
export interface CycleView {
  /** Per-node sequence number (1 = the first cycle seen), a stable React key. */
  seq: number;
  node: number;
  ready: Ready;
  readyText: string;
  stagesDone: readonly ReadyStage[];
  persisted: DiskWrite | undefined;
  sent: readonly Message[];
  applied: readonly AppliedEntry[];
  readStates: readonly ReadState[];
  /** Cluster time and recorder step at which the latest stage of it was observed. */
  time: number;
  step: number;
}

export const ringSize = 40;

function isStrictPrefix(a: readonly ReadyStage[], b: readonly ReadyStage[]): boolean {
  return a.length < b.length && a.every((s, i) => b[i] === s);
}

/**
 * Adds a record to a node's ring (returns a new array): merged into the newest entry
 * when it is a later stage of the same Ready, else appended; at most `max` kept.
 */
export function addCycle(
  ring: readonly CycleView[],
  rec: CycleRecord,
  time: number,
  step: number,
  max = ringSize,
): CycleView[] {
  const last = ring[ring.length - 1];
  // The stages first: the text comparison is the costly part (a record restored by a
  // seek makes its text on first read, see the scheduler's withLazyText).
  if (last !== undefined && isStrictPrefix(last.stagesDone, rec.stagesDone) && last.readyText === rec.readyText) {
    const merged: CycleView = {
      ...last,
      stagesDone: rec.stagesDone.slice(),
      persisted: rec.persisted ?? last.persisted,
      sent: [...last.sent, ...rec.sent],
      applied: [...last.applied, ...rec.applied],
      readStates: [...last.readStates, ...rec.readStates],
      time,
      step,
    };
    return [...ring.slice(0, -1), merged];
  }
  const next: CycleView = {
    seq: (last?.seq ?? 0) + 1,
    node: rec.node,
    ready: rec.ready,
    readyText: '',
    stagesDone: rec.stagesDone.slice(),
    persisted: rec.persisted,
    sent: rec.sent.slice(),
    applied: rec.applied.slice(),
    readStates: rec.readStates.slice(),
    time,
    step,
  };
  // Read from the record when shown (the inspector), not now.
  Object.defineProperty(next, 'readyText', { enumerable: true, configurable: true, get: () => rec.readyText });
  const out = [...ring, next];
  return out.length > max ? out.slice(out.length - max) : out;
}

// ---- the collector (module level; one per page) ----

const empty: readonly CycleView[] = [];
let rings = new Map<number, readonly CycleView[]>();
let seen = new Map<number, CycleRecord>();
let lastStep = -1;
let lastObservation: unknown;
/** The cluster's cycles, put aside while an etcd script is shown (script mode has its own). */
let parked: { rings: typeof rings; seen: typeof seen; lastStep: number } | undefined;
const listeners = new Set<() => void>();
let started = false;

function clear(): void {
  rings = new Map();
  seen.clear();
}

function onState(s: RaftlabState): void {
  if (s.script.active !== (parked !== undefined)) {
    if (s.script.active) {
      parked = { rings, seen, lastStep };
      rings = new Map();
      seen = new Map();
      lastStep = -1;
      lastObservation = undefined;
    } else {
      ({ rings, seen, lastStep } = parked!);
      parked = undefined;
      lastObservation = s.cluster.observation;
    }
    notify();
    if (!s.script.active) return;
  }
  const o = s.cluster.observation;
  if (o === lastObservation) return;
  lastObservation = o;
  if (o === undefined || s.cluster.status === 'booting') {
    if (rings.size > 0 || seen.size > 0) {
      clear();
      notify();
    }
    lastStep = -1;
    return;
  }
  let changed = false;
  if (o.step < lastStep) {
    clear();
    changed = true;
  }
  lastStep = o.step;
  for (const [key, rec] of Object.entries(o.lastCycles)) {
    const node = Number(key);
    if (seen.get(node) === rec) continue;
    seen.set(node, rec);
    rings.set(node, addCycle(rings.get(node) ?? empty, rec, o.time, o.step));
    changed = true;
  }
  if (changed) notify();
}

function notify(): void {
  for (const l of listeners) l();
}

/** Starts collecting (idempotent). Called when the Ready panel module loads. */
export function startCycleTracking(): void {
  if (started) return;
  started = true;
  onState(raftStore.getState());
  raftStore.subscribe(onState);
}

export function subscribeCycles(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The recent cycles of a node, oldest first (identity changes only when they change). */
export function cyclesOf(node: number): readonly CycleView[] {
  return rings.get(node) ?? empty;
}
