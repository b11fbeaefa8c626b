// The run as the timeline draws it: one small summary per recorder step.
//
// The store holds only the latest observation, but the timeline paints the whole
// branch (terms, leaders, crashes, partitions), including the steps after the cursor
// when the user has sought back. So every observation that arrives is summarized here
// by its step. A summary stays valid while the action that produced it is still in
// the branch: it remembers that action's time and kind, and a fork or an import that
// replaced the action makes the summary stale (it is then ignored and overwritten when
// the step is observed again).
//
// Fork points are remembered too: the recorder keeps the abandoned tails but the store
// only counts them, so the step where each fork happened is taken from the cursor.

import type { ClusterObservation } from '../../cluster/cluster';
import type { RecordedAction } from '../../cluster/recorder';
import { StateLeader } from '../../raft/types';

/** What the timeline needs to know about the state after one step. */
export interface StepSummary {
  step: number;
  time: number;
  /** Kind of the action that led here ('' for step 0), to detect a replaced action. */
  actionKind: string;
  /** Highest term any node holds (running nodes, or the disk of crashed ones). */
  maxTerm: number;
  /** Running leader at the highest term, 0 when none. */
  leader: number;
  /** Nodes not running (crashed or removed). */
  down: number[];
  /** Number of directed links that are cut. */
  cutLinks: number;
  /** Highest commit index of any running node. */
  commit: number;
}

export function summarize(o: ClusterObservation, actionKind: string): StepSummary {
  let maxTerm = 0;
  let leader = 0;
  let leaderTerm = -1;
  let commit = 0;
  const down: number[] = [];
  for (const n of o.nodes) {
    const ob = n.observation;
    const term = ob?.term ?? n.disk.term;
    if (term > maxTerm) maxTerm = term;
    if (n.status !== 'alive') down.push(n.id);
    if (ob === undefined || n.status !== 'alive') continue;
    if (ob.commit > commit) commit = ob.commit;
    if (ob.role === StateLeader && ob.term > leaderTerm) {
      leader = n.id;
      leaderTerm = ob.term;
    }
  }
  return {
    step: o.step,
    time: o.time,
    actionKind,
    maxTerm,
    leader,
    down,
    cutLinks: o.links.filter((l) => !l.up).length,
    commit,
  };
}

/** How many updates `RunHistory.changedRange` can look back over. */
const maxEdits = 4096;

/** One fork: the step the new branch started from. */
export interface ForkPoint {
  step: number;
  /** The branch number this fork created (1 for the first fork). */
  branch: number;
}

/**
 * Per-step summaries of the current run. Plain data plus a version counter that
 * changes on every update (React reads it through useSyncExternalStore).
 */
export class RunHistory {
  private readonly steps = new Map<number, StepSummary>();
  forks: ForkPoint[] = [];
  version = 0;
  private lastStep = 0;
  private lastBranches = 0;
  private lastObservation: ClusterObservation | undefined;
  private readonly listeners = new Set<() => void>();
  /**
   * The steps each update touched, for incremental readers (see `changedRange`):
   * entry i, [from, to), belongs to version `editBase + i + 1`. Trimmed to the latest
   * `maxEdits`; a reader older than that rebuilds from step 0.
   */
  private edits: [number, number][] = [];
  private editBase = 0;

  /** Takes one observation with the recorder's action list and branch count. */
  ingest(o: ClusterObservation, actions: readonly RecordedAction[], branches: number): void {
    if (o === this.lastObservation) return;
    this.lastObservation = o;
    let lowest = Infinity;
    let highest = 0;
    if (branches < this.lastBranches || (o.step === 0 && actions.length === 0)) {
      // A new cluster (reset or import): nothing of the old run holds.
      if (this.steps.size > 1 || this.forks.length > 0) {
        this.clear();
        lowest = 0;
        highest = Infinity;
      }
    } else if (branches > this.lastBranches) {
      // A fork: seek(s) then an action gives step s + 1; fork(s) gives step s. Both
      // keep steps <= s and replace everything after.
      const at = Math.min(this.lastStep, o.step);
      for (const s of [...this.steps.keys()]) if (s > at) this.steps.delete(s);
      this.forks = [...this.forks.filter((f) => f.step < at), { step: at, branch: branches }];
      lowest = at + 1;
      highest = Infinity;
    }
    this.lastBranches = branches;
    this.lastStep = o.step;
    const kind = o.step === 0 ? '' : (actions[o.step - 1]?.kind ?? '');
    const sum = summarize(o, kind);
    const had = this.get(o.step, actions);
    // Seeking back to a step already summarized, with nothing else changed: no update.
    if (lowest === Infinity && had !== undefined && sameSummary(had, sum)) return;
    this.steps.set(o.step, sum);
    this.bump(Math.min(lowest, o.step), Math.max(highest, o.step + 1));
    for (const l of this.listeners) l();
  }

  clear(): void {
    this.steps.clear();
    this.forks = [];
    this.lastStep = 0;
    this.lastBranches = 0;
    this.bump(0, Infinity);
  }

  /** A new version whose changes lie in steps [from, to). */
  private bump(from: number, to: number): void {
    this.version++;
    this.edits.push([from, to]);
    if (this.edits.length > maxEdits) {
      const drop = this.edits.length - maxEdits / 2;
      this.edits = this.edits.slice(drop);
      this.editBase += drop;
    }
  }

  /**
   * The steps whose summaries may differ from what they were at `version`, as one range
   * [from, to): from is Infinity when nothing changed since, and the range is [0, Infinity)
   * when that version is too old to tell.
   */
  changedRange(version: number): { from: number; to: number } {
    if (version >= this.version) return { from: Infinity, to: 0 };
    if (version < this.editBase) return { from: 0, to: Infinity };
    let from = Infinity;
    let to = 0;
    for (let i = version - this.editBase; i < this.edits.length; i++) {
      const [f, t] = this.edits[i]!;
      if (f < from) from = f;
      if (t > to) to = t;
    }
    return { from, to };
  }

  /** The summary of `step`, if it was observed and the action behind it is still the same. */
  get(step: number, actions: readonly RecordedAction[]): StepSummary | undefined {
    const s = this.steps.get(step);
    if (s === undefined) return undefined;
    if (step === 0) return s;
    const a = actions[step - 1];
    if (a === undefined || a.kind !== s.actionKind || a.time !== s.time) return undefined;
    return s;
  }

  get size(): number {
    return this.steps.size;
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getVersion = (): number => this.version;
}

function sameSummary(a: StepSummary, b: StepSummary): boolean {
  return (
    a.step === b.step &&
    a.time === b.time &&
    a.actionKind === b.actionKind &&
    a.maxTerm === b.maxTerm &&
    a.leader === b.leader &&
    a.cutLinks === b.cutLinks &&
    a.commit === b.commit &&
    a.down.length === b.down.length &&
    a.down.every((d, i) => d === b.down[i])
  );
}
