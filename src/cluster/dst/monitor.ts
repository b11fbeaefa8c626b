// Event-level safety monitor for the deterministic simulation fuzzer.
//
// It reads a live Cluster's typed event stream (src/cluster/events.ts: role changes as
// the nodes' hosts measured them, every Ready cycle's record, crashes, restarts and
// panics, in execution order) and checks, as things happen:
//
//   election-safety      at most one node becomes leader in any term;
//   term-witness         no node reaches a term > 1 unless some node campaigned
//                        (became candidate) at that term — terms are never invented,
//                        in particular pre-votes never raise anyone's term;
//   committed-agreement  every entry a node hands out as committed equals the entry
//                        any other node committed at that index (log matching on the
//                        committed prefix, state machine safety);
//   log-matching         no node persists, at a committed index, a different entry
//                        of the same term;
//   leader-commit-term   a leader moves its commit index only onto an entry of its
//                        own term (Raft §5.4.2; the Figure 8 hazard);
//   applied-committed    a node applies only entries that were committed;
//   no-panic             no node panics (raft's own assertions).
//
// It also records, for each put request id, the log index it was committed at (as
// applied entries report it): the write order the history check uses.

import type { Cluster } from '../cluster';
import type { ApplyEvent, ClusterEvent, CycleEvent, RoleEvent } from '../events';

export interface MonitorViolation {
  check: string;
  time: number;
  message: string;
}

interface Committed {
  term: number;
  hash: number;
}

export class Monitor {
  readonly violations: MonitorViolation[] = [];
  /** Term -> the node that became leader in it. */
  readonly leaders = new Map<number, number>();
  /** Terms some node campaigned at. */
  private readonly campaigned = new Set<number>();
  /** Index -> the committed entry there. */
  private readonly committed = new Map<number, Committed>();
  /** Put request id -> committed index. */
  readonly putIndex = new Map<string, number>();
  /** Highest committed index seen anywhere. */
  maxCommitted = 0;
  /** Per node: the term of each entry it persisted (newest write wins). */
  private readonly logTerms = new Map<number, Map<number, number>>();
  /** Per node: role, term and commit as of its last Ready (forgotten when it crashes). */
  private readonly roles = new Map<number, { leader: boolean; term: number; commit: number }>();
  private readonly max: number;
  /** Virtual time of the event being checked. */
  private now = 0;

  constructor(cluster: Cluster, opts: { maxViolations?: number } = {}) {
    this.max = opts.maxViolations ?? 20;
    cluster.subscribeEvents((u) => {
      for (const ev of u.events) this.onEvent(ev);
    }, 0);
  }

  private add(check: string, message: string): void {
    if (this.violations.length < this.max) this.violations.push({ check, time: this.now, message });
  }

  /** Checks one event of the stream (events arrive in execution order). */
  onEvent(ev: ClusterEvent): void {
    this.now = ev.time;
    switch (ev.kind) {
      case 'role':
        this.onRole(ev);
        break;
      case 'cycle':
        this.onCycle(ev);
        break;
      case 'apply':
        this.onApply(ev);
        break;
      case 'panic':
        this.add('no-panic', `node ${ev.node}: ${ev.message}`);
        break;
      case 'crash':
        // Its volatile state is gone: the commit rule starts over with its next Ready.
        this.roles.delete(ev.node);
        break;
      default:
        break;
    }
  }

  /** A node's role or term changed (every change; a host measures each raft call). */
  private onRole(ev: RoleEvent): void {
    const { role, term, node } = ev;
    if (role === 'candidate') {
      this.campaigned.add(term);
      return;
    }
    if (ev.term === ev.prev.term && ev.role === ev.prev.role) return; // only the leader it knows changed
    if (term > 1 && !this.campaigned.has(term))
      this.add('term-witness', `node ${node} became ${role} at term ${term}, but nobody campaigned at term ${term}`);
    if (role === 'leader') {
      const prev = this.leaders.get(term);
      if (prev !== undefined && prev !== node)
        this.add('election-safety', `two leaders in term ${term}: ${prev} and ${node}`);
      else this.leaders.set(term, node);
    }
  }

  /** A Ready: what it hands out as committed, and what it persisted. */
  private onCycle(ev: CycleEvent): void {
    const n = ev.node;
    this.leaderCommitRule(ev);
    const cids = ev.committedIds;
    for (let i = 0; i < cids.length; i += 3) {
      const index = cids[i]!;
      const term = cids[i + 1]!;
      const h = cids[i + 2]!;
      const c = this.committed.get(index);
      if (c === undefined) {
        this.committed.set(index, { term, hash: h });
        if (index > this.maxCommitted) this.maxCommitted = index;
      } else if (c.term !== term || c.hash !== h) {
        this.add(
          'committed-agreement',
          `node ${n} committed entry ${index} term ${term}, another node committed term ${c.term}${c.term === term ? ' with other data' : ''}`,
        );
      }
    }
    const pids = ev.persistedIds;
    for (let i = 0; i < pids.length; i += 3) {
      const index = pids[i]!;
      const term = pids[i + 1]!;
      const c = this.committed.get(index);
      // (A later-term entry over a committed one may still come from a stale leader
      // whose term is below the committing leader's; only same-term clashes are sure.)
      if (c === undefined || c.term !== term) continue;
      if (c.hash !== pids[i + 2]!)
        this.add(
          'log-matching',
          `node ${n} persisted entry ${index} term ${term} unlike the committed one with that term`,
        );
    }
  }

  /** Entries applied: only committed ones may be; a put's request id gets its committed index. */
  private onApply(ev: ApplyEvent): void {
    for (const a of ev.entries) {
      const c = this.committed.get(a.index);
      if (c === undefined || c.term !== a.term) {
        this.add(
          'applied-committed',
          `node ${ev.node} applied entry ${a.index} term ${a.term}, which is not committed`,
        );
        continue;
      }
      if (a.kind === 'normal' && a.requestId !== undefined && !this.putIndex.has(a.requestId))
        this.putIndex.set(a.requestId, a.index);
    }
  }

  /**
   * Raft's commit rule (§5.4.2): a leader advances its commit index only to an entry
   * of its own term (older entries commit indirectly). Judged between two Readys of
   * one incarnation (no crash between them) that both show the node leader at the
   * same term.
   */
  private leaderCommitRule(ev: CycleEvent): void {
    const n = ev.node;
    let log = this.logTerms.get(n);
    if (log === undefined) this.logTerms.set(n, (log = new Map()));
    const pids = ev.persistedIds;
    for (let i = 0; i < pids.length; i += 3) log.set(pids[i]!, pids[i + 1]!);
    let st = this.roles.get(n);
    if (st === undefined) this.roles.set(n, (st = { leader: false, term: -1, commit: -1 }));
    const wasLeader = st.leader;
    const prevTerm = st.term;
    const prevCommit = st.commit;
    if (ev.softState !== undefined) st.leader = ev.softState.role === 'leader';
    const hs = ev.hardState;
    if (hs === undefined) return;
    if (wasLeader && st.leader && hs.term === prevTerm && prevCommit >= 0 && hs.commit > prevCommit) {
      const t = log.get(hs.commit);
      if (t !== undefined && t !== hs.term)
        this.add(
          'leader-commit-term',
          `leader ${n} at term ${hs.term} committed index ${hs.commit}, an entry of term ${t}`,
        );
    }
    st.term = hs.term;
    st.commit = hs.commit;
  }

  /** The committed term at index, if known. */
  committedTerm(index: number): number | undefined {
    return this.committed.get(index)?.term;
  }
}
