// The live cluster as lessons see it: one plain snapshot built from a ClusterObservation
// and the nodes' disks, so that expects, asks and narration placeholders are pure
// functions of it (unit-testable, and the same in Node and in the browser).

import type { Envelope } from '../cluster/bus';
import type { ClientOp } from '../cluster/client';
import type { ClusterObservation } from '../cluster/cluster';
import type { DiskState, ProgressObservation } from '../cluster/protocol';

export type Role = 'follower' | 'candidate' | 'leader' | 'precandidate' | 'none';

/** etcd's StateType numbering: follower, candidate, leader, pre-candidate. */
const roleNames: readonly Role[] = ['follower', 'candidate', 'leader', 'precandidate'];

export interface LiveNode {
  id: number;
  status: 'alive' | 'crashed' | 'removed';
  paused: boolean;
  /** 'none' while the node is not running. */
  role: Role;
  /** For a node that is not running: from its disk. */
  term: number;
  vote: number;
  lead: number;
  commit: number;
  applied: number;
  /** First and last index of the node's log (stable storage and unstable entries). */
  first: number;
  last: number;
  voters: number[];
  outgoing: number[];
  learners: number[];
  /** Leader only: its followers' progress. */
  progress: ProgressObservation[];
  kv: Record<string, string>;
  /** The entries on the node's disk (after its snapshot), as index/term pairs. */
  log: { index: number; term: number }[];
  /** The HardState on the node's disk: what survives a crash. */
  disk: { term: number; vote: number; commit: number };
  /** The disk's snapshot: index and term (0 when none). */
  snap: number;
  snapTerm: number;
  /** Ticks left until the election timer fires (0 for a leader or a stopped node). */
  timeout: number;
}

export interface LiveState {
  /** The running leader with the highest term (0: none). */
  leader: number;
  nodes: Map<number, LiveNode>;
  inFlight: readonly Envelope[];
  history: readonly ClientOp[];
}

/** Builds the lesson view of a cluster from an observation and a way to read each node's disk. */
export function liveState(o: ClusterObservation, disk: (id: number) => DiskState): LiveState {
  const nodes = new Map<number, LiveNode>();
  let leader = 0;
  let leaderTerm = -1;
  for (const n of o.nodes) {
    const ob = n.observation;
    const d = disk(n.id);
    const role: Role = ob === undefined ? 'none' : (roleNames[ob.role] ?? 'none');
    const cs = ob?.confState;
    const node: LiveNode = {
      id: n.id,
      status: n.status,
      paused: n.paused,
      role,
      term: ob?.term ?? n.disk.term,
      vote: ob?.vote ?? n.disk.vote,
      lead: ob?.lead ?? 0,
      commit: ob?.commit ?? n.disk.commit,
      applied: ob?.applied ?? 0,
      first: ob?.firstIndex ?? n.disk.firstIndex,
      last: ob?.lastIndex ?? n.disk.lastIndex,
      voters: [...(cs?.voters ?? [])].sort((a, b) => a - b),
      outgoing: [...(cs?.votersOutgoing ?? [])].sort((a, b) => a - b),
      learners: [...(cs?.learners ?? [])].sort((a, b) => a - b),
      progress: ob?.progress ?? [],
      kv: ob?.kv ?? {},
      log: d.entries.map((e) => ({ index: e.index, term: e.term })),
      disk: { term: n.disk.term, vote: n.disk.vote, commit: n.disk.commit },
      snap: d.snapshot.metadata.index,
      snapTerm: d.snapshot.metadata.term,
      timeout:
        ob === undefined || role === 'leader' ? 0 : Math.max(0, ob.randomizedElectionTimeout - ob.electionElapsed),
    };
    nodes.set(n.id, node);
    if (n.status === 'alive' && role === 'leader' && node.term > leaderTerm) {
      leader = n.id;
      leaderTerm = node.term;
    }
  }
  return { leader, nodes, inFlight: o.inFlight, history: o.history };
}

/** The term of the entry at `index` on a node's disk, or undefined when it has none there. */
export function termAt(n: LiveNode, index: number): number | undefined {
  if (index === n.snap && index > 0) return n.snapTerm;
  const first = n.log[0]?.index;
  if (first === undefined || index < first) return undefined;
  return n.log[index - first]?.term;
}
