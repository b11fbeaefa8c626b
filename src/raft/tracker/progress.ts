// The leader's view of one follower's replication progress.

import { RaftPanic } from '../errors';
import { Inflights } from './inflights';
import { StateProbe, StateReplicate, StateSnapshot, stateTypeNames, type StateType } from './state';

/** Fields of a Progress; every one is optional in `new Progress(init)`. */
export interface ProgressInit {
  match?: number;
  next?: number;
  sentCommitIndex?: number;
  state?: StateType;
  pendingSnapshot?: number;
  recentActive?: boolean;
  msgAppFlowPaused?: boolean;
  inflights?: Inflights;
  isLearner?: boolean;
}

/**
 * What the leader knows about a follower's log, and how it is replicating to it.
 *
 * Invariants: 0 <= match < next. In StateSnapshot, next == pendingSnapshot + 1
 * and sentCommitIndex == pendingSnapshot.
 */
export class Progress {
  /** The follower's log is known to match the leader's up to this index. */
  match: number;
  /** The index of the next entry to send; entries in (match, next) are in flight. */
  next: number;
  /**
   * The highest commit index sent to the follower. Usually grows, but moves
   * back when the follower is probed again or rejects an append.
   *
   * differs from etcd: etcd names this field sentCommit and its setter
   * SentCommit; in TypeScript both would be `sentCommit`, so the field is
   * `sentCommitIndex` and the setter keeps the method name `sentCommit`.
   */
  sentCommitIndex: number;
  state: StateType;
  /**
   * In StateSnapshot, the leader's last index when it decided a snapshot was
   * needed; appends to the follower stay paused meanwhile.
   */
  pendingSnapshot: number;
  /** Whether the follower was heard from lately (reset each election timeout under CheckQuorum). */
  recentActive: boolean;
  /**
   * Set when the append flow is throttled (a probe was sent, or the window is
   * full); cleared by a heartbeat response or progress. See isPaused.
   */
  msgAppFlowPaused: boolean;
  /** The window of unacknowledged appends. */
  inflights: Inflights;
  isLearner: boolean;

  constructor(init: ProgressInit = {}) {
    this.match = init.match ?? 0;
    this.next = init.next ?? 0;
    this.sentCommitIndex = init.sentCommitIndex ?? 0;
    this.state = init.state ?? StateProbe;
    this.pendingSnapshot = init.pendingSnapshot ?? 0;
    this.recentActive = init.recentActive ?? false;
    this.msgAppFlowPaused = init.msgAppFlowPaused ?? false;
    // differs from etcd: a Progress always has an Inflights; the default one has
    // no limits (etcd's zero Progress has none at all).
    this.inflights = init.inflights ?? new Inflights(Infinity, 0);
    this.isLearner = init.isLearner ?? false;
  }

  /** A copy sharing nothing with this one (etcd's `p := *pr; p.Inflights = pr.Inflights.Clone()`). */
  clone(): Progress {
    const p = this.shallowCopy();
    p.inflights = this.inflights.clone();
    return p;
  }

  /** A copy of the fields that shares the Inflights (etcd's `ppr := *pr`). */
  shallowCopy(): Progress {
    return new Progress({
      match: this.match,
      next: this.next,
      sentCommitIndex: this.sentCommitIndex,
      state: this.state,
      pendingSnapshot: this.pendingSnapshot,
      recentActive: this.recentActive,
      msgAppFlowPaused: this.msgAppFlowPaused,
      inflights: this.inflights,
      isLearner: this.isLearner,
    });
  }

  /** Enters `state`, unpausing the flow, dropping any pending snapshot and emptying the window. */
  resetState(state: StateType): void {
    this.msgAppFlowPaused = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  /**
   * Switches to probing from just after match; coming from StateSnapshot, the
   * snapshot is assumed delivered, so probing starts after it.
   */
  becomeProbe(): void {
    if (this.state === StateSnapshot) {
      const pendingSnapshot = this.pendingSnapshot;
      this.resetState(StateProbe);
      this.next = Math.max(this.match + 1, pendingSnapshot + 1);
    } else {
      this.resetState(StateProbe);
      this.next = this.match + 1;
    }
    this.sentCommitIndex = Math.min(this.sentCommitIndex, this.next - 1);
  }

  /** Switches to streaming appends from just after match. */
  becomeReplicate(): void {
    this.resetState(StateReplicate);
    this.next = this.match + 1;
  }

  /** Switches to waiting for a snapshot at index snapshoti. */
  becomeSnapshot(snapshoti: number): void {
    this.resetState(StateSnapshot);
    this.pendingSnapshot = snapshoti;
    this.next = snapshoti + 1;
    this.sentCommitIndex = snapshoti;
  }

  /**
   * Accounts for a MsgApp just sent carrying `entries` entries of `bytes`
   * payload bytes: advances next and fills the window (StateReplicate), or
   * pauses the flow after a non-empty probe (StateProbe).
   */
  sentEntries(entries: number, bytes: number): void {
    switch (this.state) {
      case StateReplicate:
        if (entries > 0) {
          this.next += entries;
          this.inflights.add(this.next - 1, bytes);
        }
        // A full (or overfull) window turns this message into a probe: pause.
        this.msgAppFlowPaused = this.inflights.full();
        break;
      case StateProbe:
        if (entries > 0) this.msgAppFlowPaused = true;
        break;
      default:
        throw new RaftPanic(`sending append in unhandled state ${stateTypeNames[this.state] ?? String(this.state)}`);
    }
  }

  /**
   * Whether sending commit index `index` could still move the follower's commit
   * forward: it must exceed what was sent, and what was sent must not already
   * cover everything up to next-1.
   */
  canBumpCommit(index: number): boolean {
    return index > this.sentCommitIndex && this.sentCommitIndex < this.next - 1;
  }

  /** Records that commit index `commit` was sent to the follower. */
  sentCommit(commit: number): void {
    this.sentCommitIndex = commit;
  }

  /**
   * Handles an acknowledgement up to index n. Returns false if it is stale
   * (n <= match); otherwise raises match (and next if needed) and unpauses.
   */
  maybeUpdate(n: number): boolean {
    if (n <= this.match) return false;
    this.match = n;
    this.next = Math.max(this.next, n + 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  /**
   * Handles a rejection of the append at index `rejected`, where the follower
   * hinted that its log may match up to `matchHint`. Returns false if the
   * rejection is stale; otherwise moves next back and returns true.
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === StateReplicate) {
      // A rejection at or below match must be stale.
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      this.sentCommitIndex = Math.min(this.sentCommitIndex, this.next - 1);
      return true;
    }
    // Outside StateReplicate one probe is in flight at a time, at next-1; a
    // rejection of anything else is stale.
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.sentCommitIndex = Math.min(this.sentCommitIndex, this.next - 1);
    this.msgAppFlowPaused = false;
    return true;
  }

  /**
   * Whether appends to this follower are held back: in StateSnapshot always,
   * otherwise while the flow is paused.
   */
  isPaused(): boolean {
    switch (this.state) {
      case StateProbe:
      case StateReplicate:
        return this.msgAppFlowPaused;
      case StateSnapshot:
        return true;
      default:
        throw new RaftPanic('unexpected state');
    }
  }

  /** etcd's text, e.g. "StateReplicate match=10 next=11 inflight=2". */
  toString(): string {
    let s = `${stateTypeNames[this.state] ?? String(this.state)} match=${this.match} next=${this.next}`;
    if (this.isLearner) s += ' learner';
    if (this.isPaused()) s += ' paused';
    if (this.pendingSnapshot > 0) s += ` pendingSnap=${this.pendingSnapshot}`;
    if (!this.recentActive) s += ' inactive';
    const n = this.inflights.count();
    if (n > 0) {
      s += ` inflight=${n}`;
      if (this.inflights.full()) s += '[full]';
    }
    return s;
  }
}

/**
 * The progress of every tracked peer, by id.
 *
 * differs from etcd: a Map subclass rather than a bare map, so that it prints
 * as etcd's ProgressMap does and keeps its ids sorted for in-order visits.
 */
export class ProgressMap extends Map<number, Progress> {
  /** Ascending ids; undefined when stale. Replaced, never mutated, when rebuilt. */
  private sortedIds: number[] | undefined;

  override set(id: number, pr: Progress): this {
    if (this.sortedIds !== undefined && !this.has(id)) this.sortedIds = undefined;
    return super.set(id, pr);
  }

  override delete(id: number): boolean {
    const had = super.delete(id);
    if (had) this.sortedIds = undefined;
    return had;
  }

  override clear(): void {
    super.clear();
    this.sortedIds = undefined;
  }

  /** The ids in ascending order. The array is shared: do not modify it. */
  ids(): readonly number[] {
    let s = this.sortedIds;
    if (s === undefined) {
      s = Array.from(this.keys()).sort((a, b) => a - b);
      this.sortedIds = s;
    }
    return s;
  }

  /** One line per peer in id order: "1: StateReplicate match=10 next=11\n". */
  override toString(): string {
    let out = '';
    for (const id of this.ids()) out += `${id}: ${this.get(id)!.toString()}\n`;
    return out;
  }
}
