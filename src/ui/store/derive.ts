// From a ClusterObservation to the cluster slice's view model. Pure functions, no React.
//
// Structural sharing: the previous slice is passed in, and any NodeView, id list or
// set that did not change is reused by identity, so selectors comparing with
// Object.is (and memo'd per-node components) skip work when nothing they show moved.

import type { Envelope } from '../../cluster/bus';
import type { ClusterNodeObservation, ClusterObservation } from '../../cluster/cluster';
import type { RecordedAction } from '../../cluster/recorder';
import type { CycleRecord } from '../../cluster/protocol';
import { stateTypeNames } from '../../raft/types';
import type { ClusterSlice, NodeView, StateName } from './state';

export function stateName(role: number): StateName {
  return (stateTypeNames[role] ?? 'StateFollower') as StateName;
}

export function linkKey(from: number, to: number): string {
  return `${from}>${to}`;
}

function toNodeView(n: ClusterNodeObservation, o: ClusterObservation, learners: ReadonlySet<number>): NodeView {
  const ob = n.observation;
  const alive = n.status === 'alive';
  const lastCycle = o.lastCycles[n.id];
  if (ob !== undefined) {
    return {
      id: n.id,
      status: n.status,
      alive,
      paused: n.paused,
      incarnation: n.incarnation,
      panic: n.panic,
      state: stateName(ob.role),
      term: ob.term,
      vote: ob.vote,
      lead: ob.lead,
      commit: ob.commit,
      applied: ob.applied,
      firstIndex: ob.firstIndex,
      lastIndex: ob.lastIndex,
      persistedLastIndex: ob.persistedLastIndex,
      isLearner: ob.confState.learners.includes(n.id) || ob.confState.learnersNext.includes(n.id),
      electionElapsed: ob.electionElapsed,
      randomizedElectionTimeout: ob.randomizedElectionTimeout,
      heartbeatElapsed: ob.heartbeatElapsed,
      leadTransferee: ob.leadTransferee,
      hasReady: ob.hasReady,
      pendingStages: ob.pendingStages,
      observation: ob,
      disk: n.disk,
      lastCycle,
    };
  }
  return {
    id: n.id,
    status: n.status,
    alive,
    paused: n.paused,
    incarnation: n.incarnation,
    panic: n.panic,
    state: undefined,
    term: n.disk.term,
    vote: n.disk.vote,
    lead: 0,
    commit: n.disk.commit,
    applied: 0,
    firstIndex: n.disk.firstIndex,
    lastIndex: n.disk.lastIndex,
    persistedLastIndex: n.disk.lastIndex,
    isLearner: learners.has(n.id),
    electionElapsed: 0,
    randomizedElectionTimeout: 0,
    heartbeatElapsed: 0,
    leadTransferee: 0,
    hasReady: false,
    pendingStages: [],
    observation: undefined,
    disk: n.disk,
    lastCycle,
  };
}

/** Fields whose change must re-render a node (observation/lastCycle compared by content digest). */
function nodeDigest(v: NodeView): string {
  const ob = v.observation;
  const prog =
    ob === undefined ? '' : ob.progress.map((p) => `${p.id}:${p.match}:${p.next}:${p.state}:${p.inflight}`).join(',');
  const cs = ob === undefined ? '' : JSON.stringify(ob.confState);
  const kv = ob === undefined ? '' : Object.keys(ob.kv).length;
  return [
    v.status,
    v.paused,
    v.incarnation,
    v.panic ?? '',
    v.state,
    v.term,
    v.vote,
    v.lead,
    v.commit,
    v.applied,
    v.firstIndex,
    v.lastIndex,
    v.persistedLastIndex,
    v.isLearner,
    v.electionElapsed,
    v.randomizedElectionTimeout,
    v.heartbeatElapsed,
    v.leadTransferee,
    v.hasReady,
    v.pendingStages.join('/'),
    prog,
    cs,
    kv,
    JSON.stringify(v.disk),
    v.lastCycle === undefined ? '' : cycleDigest(v.lastCycle),
  ].join('|');
}

/**
 * What tells one cycle record from the next, without its text form (which a record
 * restored by a seek makes only when read): the Ready's HardState, first and last
 * entries and committed entries, message count, snapshot, and the stages done.
 */
function cycleDigest(c: CycleRecord): string {
  const r = c.ready;
  const ends = (es: readonly { index: number; term: number }[]): string =>
    es.length === 0 ? '-' : `${es[0]!.index}.${es[0]!.term}-${es[es.length - 1]!.index}.${es[es.length - 1]!.term}`;
  const hs = r.hardState === undefined ? '-' : `${r.hardState.term}.${r.hardState.vote}.${r.hardState.commit}`;
  return [
    hs,
    ends(r.entries),
    ends(r.committedEntries),
    r.messages.length,
    r.snapshot?.metadata.index ?? '-',
    c.stagesDone.join('/'),
    c.sent.length,
  ].join(':');
}

const digests = new WeakMap<NodeView, string>();
function digestOf(v: NodeView): string {
  let d = digests.get(v);
  if (d === undefined) {
    d = nodeDigest(v);
    digests.set(v, d);
  }
  return d;
}

/**
 * Cheap check before the digest: the cluster hands out the same observation and cycle
 * objects for a node that has not run since, so identity of those plus the few slot
 * fields means nothing shown can differ.
 */
function unchanged(old: NodeView, n: ClusterNodeObservation, o: ClusterObservation): boolean {
  return (
    n.observation !== undefined &&
    old.observation === n.observation &&
    old.lastCycle === o.lastCycles[n.id] &&
    old.status === n.status &&
    old.paused === n.paused &&
    old.incarnation === n.incarnation &&
    old.panic === n.panic &&
    sameDisk(old.disk, n.disk)
  );
}

function sameDisk(a: NodeView['disk'], b: NodeView['disk']): boolean {
  return (
    a.term === b.term &&
    a.vote === b.vote &&
    a.commit === b.commit &&
    a.snapshotIndex === b.snapshotIndex &&
    a.snapshotTerm === b.snapshotTerm &&
    a.firstIndex === b.firstIndex &&
    a.lastIndex === b.lastIndex
  );
}

/** Same elements, by identity. */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The leader as the views show it: a running, unpaused-or-paused node in StateLeader at the highest term. */
function findLeader(nodes: Iterable<NodeView>): number {
  let best = 0;
  let bestTerm = -1;
  for (const n of nodes) {
    if (!n.alive || n.state !== 'StateLeader') continue;
    if (n.term > bestTerm) {
      best = n.id;
      bestTerm = n.term;
    }
  }
  return best;
}

/**
 * Builds the cluster slice's view model from an observation, reusing what did not
 * change from `prev`. `actions` and `branches` come from the recorder (not part of
 * the observation).
 */
export function deriveClusterView(
  prev: ClusterSlice,
  o: ClusterObservation,
  actions: readonly RecordedAction[],
  branches: number,
): Partial<ClusterSlice> {
  // Learners known to any running node (for nodes that are not running).
  const learners = new Set<number>();
  for (const n of o.nodes) {
    const cs = n.observation?.confState;
    if (cs === undefined) continue;
    for (const l of cs.learners) learners.add(l);
  }
  const nodesById = new Map<number, NodeView>();
  let maxTerm = 0;
  for (const n of o.nodes) {
    const old = prev.nodesById.get(n.id);
    let v: NodeView;
    if (old !== undefined && unchanged(old, n, o)) v = old;
    else {
      v = toNodeView(n, o, learners);
      if (old !== undefined && digestOf(old) === digestOf(v)) v = old;
    }
    nodesById.set(n.id, v);
    if (v.term > maxTerm) maxTerm = v.term;
  }
  const ids = o.nodes.map((n) => n.id).sort((a, b) => a - b);
  const inFlight = [...o.inFlight].sort((a, b) => a.id - b.id);
  const inFlightById = new Map<number, Envelope>(inFlight.map((e) => [e.id, e]));
  const inFlightIds = inFlight.map((e) => e.id);
  const downLinks = new Set(o.links.filter((l) => !l.up).map((l) => linkKey(l.from, l.to)));
  return {
    status: 'ready',
    observation: o,
    nodeIds: sameItems(prev.nodeIds, ids) ? prev.nodeIds : ids,
    nodesById,
    leader: findLeader(nodesById.values()),
    maxTerm,
    inFlight,
    inFlightById,
    inFlightIds: sameItems(prev.inFlightIds, inFlightIds) ? prev.inFlightIds : inFlightIds,
    links: o.links,
    downLinks: sameSet(prev.downLinks, downLinks) ? prev.downLinks : downLinks,
    history: sameItems(prev.history, o.history) ? prev.history : o.history,
    logLines: o.logLines,
    time: o.time,
    step: o.step,
    actions,
    branches,
  };
}
