// Event-level safety monitor for the deterministic simulation fuzzer.
//
// It taps the scheduler hooks of a live Cluster (every Ready cycle and every raft log
// line, in execution order) and checks, as things happen:
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
// It also records, for each put request id, the log index it was committed at: the
// write order the history check uses.

import type { Cluster } from '../cluster';
import { FNV32_OFFSET, fnv1a32 } from '../fnv';
import { decodePut } from '../stateMachines/kv';
import type { CycleRecord, LogLine } from '../protocol';
import type { Scheduler } from '../scheduler';
import type { Entry } from '../../raft/raftpb/types';
import { StateLeader } from '../../raft/types';

export interface MonitorViolation {
  check: string;
  time: number;
  message: string;
}

interface Committed {
  term: number;
  hash: number;
}

function entryHash(e: Entry): number {
  return fnv1a32(e.data, (FNV32_OFFSET ^ e.type) >>> 0);
}

const roleLine = /^([0-9a-f]+) became (follower|candidate|pre-candidate|leader) at term (\d+)$/;

/** The scheduler inside a Cluster (private there; the fuzzer taps its hooks). */
export function schedulerOf(c: Cluster): Scheduler {
  return (c as unknown as { world: { sched: Scheduler } }).world.sched;
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
  private readonly sched: Scheduler;
  /** Per node: the term of each entry it persisted (newest write wins). */
  private readonly logTerms = new Map<number, Map<number, number>>();
  /** Per node: role, term and commit as of its last Ready (reset by a restart). */
  private readonly roles = new Map<number, { inc: number; leader: boolean; term: number; commit: number }>();
  private readonly max: number;

  constructor(cluster: Cluster, opts: { maxViolations?: number } = {}) {
    this.max = opts.maxViolations ?? 20;
    this.sched = schedulerOf(cluster);
    const h = this.sched.hooks;
    this.sched.hooks = {
      ...h,
      onLogLines: (lines) => {
        h.onLogLines?.(lines);
        this.onLines(lines);
      },
      onCycle: (n, rec) => {
        this.onCycle(n, rec);
        h.onCycle?.(n, rec);
      },
      onPanic: (n, msg) => {
        this.add('no-panic', `node ${n}: ${msg}`);
        h.onPanic?.(n, msg);
      },
    };
  }

  private add(check: string, message: string): void {
    if (this.violations.length < this.max) this.violations.push({ check, time: this.sched.now, message });
  }

  private onLines(lines: readonly LogLine[]): void {
    for (const l of lines) {
      // Cheap prefilter: only role changes matter here.
      if (l.text.indexOf(' became ') < 0) continue;
      const m = roleLine.exec(l.text);
      if (m === null) continue;
      const role = m[2]!;
      const term = Number(m[3]);
      if (role === 'candidate') {
        this.campaigned.add(term);
        continue;
      }
      if (term > 1 && !this.campaigned.has(term))
        this.add(
          'term-witness',
          `node ${l.node} became ${role} at term ${term}, but nobody campaigned at term ${term}`,
        );
      if (role === 'leader') {
        const prev = this.leaders.get(term);
        if (prev !== undefined && prev !== l.node)
          this.add('election-safety', `two leaders in term ${term}: ${prev} and ${l.node}`);
        else this.leaders.set(term, l.node);
      }
    }
  }

  private onCycle(n: number, rec: CycleRecord): void {
    const rd = rec.ready;
    this.leaderCommitRule(n, rec);
    for (const e of rd.committedEntries) {
      const h = entryHash(e);
      const c = this.committed.get(e.index);
      if (c === undefined) {
        this.committed.set(e.index, { term: e.term, hash: h });
        if (e.index > this.maxCommitted) this.maxCommitted = e.index;
        if (e.type === 0 && e.data.length > 0) {
          const p = decodePut(e.data);
          if (p !== undefined && p.requestId !== '' && !this.putIndex.has(p.requestId))
            this.putIndex.set(p.requestId, e.index);
        }
      } else if (c.term !== e.term || c.hash !== h) {
        this.add(
          'committed-agreement',
          `node ${n} committed entry ${e.index} term ${e.term}, another node committed term ${c.term}${c.term === e.term ? ' with other data' : ''}`,
        );
      }
    }
    for (const e of rec.persisted?.entries ?? []) {
      const c = this.committed.get(e.index);
      // (A later-term entry over a committed one may still come from a stale leader
      // whose term is below the committing leader's; only same-term clashes are sure.)
      if (c === undefined || c.term !== e.term) continue;
      if (c.hash !== entryHash(e))
        this.add(
          'log-matching',
          `node ${n} persisted entry ${e.index} term ${e.term} unlike the committed one with that term`,
        );
    }
    for (const a of rec.applied) {
      const c = this.committed.get(a.index);
      if (c === undefined || c.term !== a.term)
        this.add('applied-committed', `node ${n} applied entry ${a.index} term ${a.term}, which is not committed`);
    }
  }

  /**
   * Raft's commit rule (§5.4.2): a leader advances its commit index only to an entry
   * of its own term (older entries commit indirectly). Judged between two Readys of
   * one incarnation that both show the node leader at the same term.
   */
  private leaderCommitRule(n: number, rec: CycleRecord): void {
    const rd = rec.ready;
    let log = this.logTerms.get(n);
    if (log === undefined) this.logTerms.set(n, (log = new Map()));
    for (const e of rec.persisted?.entries ?? []) log.set(e.index, e.term);
    const inc = this.sched.slot(n).incarnation;
    let st = this.roles.get(n);
    if (st === undefined || st.inc !== inc) this.roles.set(n, (st = { inc, leader: false, term: -1, commit: -1 }));
    const wasLeader = st.leader;
    const prevTerm = st.term;
    const prevCommit = st.commit;
    if (rd.softState !== undefined) st.leader = rd.softState.raftState === StateLeader;
    const hs = rd.hardState;
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
