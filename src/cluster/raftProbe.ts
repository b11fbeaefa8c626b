// RaftProbe: the facts behind events, measured where they are true — inside the node.
//
// A host (nodeHost.ts, or the harness adapter in src/explain) runs every raft call
// through its probe. The probe reads the node's state before and after the call
// (plain field reads of the raft state machine, no copies of the log) and records
// HostNotes:
//
//   recv     per stepped message of the measured kinds (votes, appends, snapshots,
//            proposals, reads, transfers): the receiver's state before (NodeFacts),
//            the messages raft queued in answer, and its error;
//   ack      per MsgAppResp a leader steps in its term: the follower's progress
//            before and after (the commonest message gets the leanest note);
//   change   after any call that moved the node's role, term, vote, leader, commit
//            index or transfer target: before and after, plus the votes a candidate
//            had counted and, when a leader's commit moved, who stores what;
//   request  per client request (propose, conf change, ReadIndex, transfer): the
//            state before, what raft sent, appended or refused.
//
// Each raft entry point changes the role at most once (ticks are taken one at a
// time), so role changes are never merged. Nothing here changes raft's behaviour.
// Notes cross a structured clone (a worker's postMessage, or the in-process
// runtime's copy), which pays per object property, so their facts are flat arrays of
// numbers (factsCodec.ts); the scheduler's EventSink decodes them.

import { RaftError } from '../raft/errors';
import {
  MsgApp,
  MsgAppResp,
  MsgPreVote,
  MsgPreVoteResp,
  MsgProp,
  MsgReadIndex,
  MsgSnap,
  MsgTimeoutNow,
  MsgTransferLeader,
  MsgVote,
  MsgVoteResp,
  type Message,
  type MessageType,
} from '../raft/raftpb/types';
import type { RawNode } from '../raft/rawNode';
import { StateCandidate, StateLeader, StatePreCandidate } from '../raft/types';
import type { ChangeCause, EntrySummary, ProposalEvent, StateBrief } from './events';
import { roleName, summarizeEntry } from './eventFacts';
import { encodeBrief, encodeFacts, encodeMsg, encodeProgress, type FactsSource } from './factsCodec';
import type { HostNote, StateMachineKind } from './protocol';

/** At most this many newly committed entries are summarised in a change note. */
const maxCommittedSummaries = 4;

/**
 * The messages whose receipt is measured (a recv note): what events say about them
 * needs the receiver's state. Heartbeats and most answers are not: their effects show
 * as changes. (The cost is a structured clone per note; heartbeats are the bulk.)
 */
const measured = new Set<MessageType>([
  MsgVote,
  MsgPreVote,
  MsgApp,
  MsgProp,
  MsgReadIndex,
  MsgTransferLeader,
  MsgTimeoutNow,
  MsgSnap,
]);

/** Of those, the ones whose replies matter (votes and append answers, forwarded or appended proposals). */
const withReplies = new Set<MessageType>([MsgVote, MsgPreVote, MsgApp, MsgProp, MsgReadIndex, MsgTransferLeader]);

/** Runs a step; returns raft's refusal (RaftError) as its message, rethrows anything else. */
function runStep(run: () => void): string | undefined {
  try {
    run();
  } catch (e) {
    if (!(e instanceof RaftError)) throw e;
    return e.message;
  }
  return undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

interface Mark {
  msgs: Message[];
  n: number;
  after: Message[];
  k: number;
}

export class RaftProbe {
  private notes: HostNote[] = [];
  private last: StateBrief;
  /** A (pre-)candidate's votes, read before the call that may end its election. */
  private votesBefore: Map<number, boolean> | undefined;

  constructor(
    private readonly rn: RawNode,
    private readonly smKind: StateMachineKind,
  ) {
    this.last = this.brief();
  }

  /** The notes recorded since the last take (undefined when none). */
  take(): HostNote[] | undefined {
    if (this.notes.length === 0) return undefined;
    const n = this.notes;
    this.notes = [];
    return n;
  }

  brief(): StateBrief {
    const r = this.rn.raft;
    return {
      role: roleName(r.state),
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      commit: r.raftLog.committed,
      leadTransferee: r.leadTransferee,
    };
  }

  /** The node's state now, as NodeFacts fields (termAtIndex for a MsgApp; the conf scan only when asked). */
  private source(m: Message | undefined, withConfScan: boolean): FactsSource {
    const r = this.rn.raft;
    const log = r.raftLog;
    const last = log.lastEntryID();
    const f: FactsSource = {
      state: r.state,
      term: r.term,
      vote: r.vote,
      lead: r.lead,
      committed: log.committed,
      applied: log.applied,
      lastIndex: last.index,
      lastTerm: last.term,
      electionElapsed: r.electionElapsed,
      electionTimeout: r.electionTimeout,
      randomizedElectionTimeout: r.randomizedElectionTimeout,
      checkQuorum: r.checkQuorum,
      preVote: r.preVote,
      isLearner: r.isLearner,
      inConfig: r.trk.progress.has(r.id),
      disableProposalForwarding: r.disableProposalForwarding,
      pendingConfIndex: r.pendingConfIndex,
      leadTransferee: r.leadTransferee,
      uncommittedSize: r.uncommittedSize,
      maxUncommittedSize: r.maxUncommittedSize,
    };
    if (withConfScan) f.unappliedConfChange = r.hasUnappliedConfChanges();
    if (m !== undefined && m.type === MsgApp) f.termAtIndex = log.zeroTermOnOutOfBounds(() => log.term(m.index));
    return f;
  }

  /**
   * Steps one message (index i of its batch) through `run`, recording a recv note (for
   * measured types) and any change. Returns raft's error message when it refused the
   * message (RaftError); any other exception propagates (a panic).
   */
  step(m: Message, i: number, run: () => void): string | undefined {
    this.noteVotes();
    if (m.type === MsgAppResp) return this.stepAck(m, i, run);
    if (!measured.has(m.type)) {
      const error = runStep(run);
      this.check('step', i, m);
      return error;
    }
    const f: number[] = [];
    encodeFacts(f, this.source(m, m.type === MsgTimeoutNow));
    f.push(0); // no progress block
    const mark = this.mark();
    const error = runStep(run);
    if (withReplies.has(m.type)) this.pushReplies(f, mark);
    else f.push(0);
    const note: HostNote = { kind: 'recv', msg: i, f };
    if (error !== undefined) note.error = error;
    this.notes.push(note);
    this.check('step', i, m);
    return error;
  }

  /** A MsgAppResp: at a leader of its term, the follower's progress before and after. */
  private stepAck(m: Message, i: number, run: () => void): string | undefined {
    const r = this.rn.raft;
    const pr0 =
      r.state === StateLeader && m.term === r.term && m.from !== r.id ? r.trk.progress.get(m.from) : undefined;
    let p: number[] | undefined;
    if (pr0 !== undefined) {
      p = [];
      encodeProgress(p, pr0);
    }
    const error = runStep(run);
    if (p !== undefined) {
      // The same peer's progress after (a new object if the configuration changed).
      encodeProgress(p, r.trk.progress.get(m.from) ?? pr0!);
      this.notes.push({ kind: 'ack', msg: i, p });
    }
    this.check('step', i, m);
    return error;
  }

  /** Runs a client request (propose, conf change, ReadIndex, transfer), recording what raft did; rethrows its error. */
  request(request: ProposalEvent['request'], cause: ChangeCause, run: () => void): void {
    const r = this.rn.raft;
    const src = this.source(undefined, false);
    const f: number[] = [];
    encodeFacts(f, src);
    f.push(0);
    const mark = this.mark();
    let failure: unknown;
    try {
      run();
    } catch (e) {
      failure = e;
    }
    this.pushReplies(f, mark);
    const note: Extract<HostNote, { kind: 'request' }> = { kind: 'request', request, f };
    if (failure !== undefined) note.error = errorText(failure);
    const lastIndex = r.raftLog.lastIndex();
    if (lastIndex > src.lastIndex) note.appended = { first: src.lastIndex + 1, last: lastIndex, term: r.term };
    this.notes.push(note);
    this.check(cause);
    if (failure !== undefined) throw failure;
  }

  /** Runs a call that may change the node's state (tick, campaign, advance...), then records the change. */
  run<T>(cause: ChangeCause, fn: () => T): T {
    this.noteVotes();
    const out = fn();
    this.check(cause);
    return out;
  }

  /** Records a change note if the brief state moved since the last one. */
  check(cause: ChangeCause, msg?: number, m?: Message): void {
    const r = this.rn.raft;
    const l = this.last;
    const log = r.raftLog;
    if (
      r.term === l.term &&
      r.vote === l.vote &&
      r.lead === l.lead &&
      log.committed === l.commit &&
      r.leadTransferee === l.leadTransferee &&
      roleName(r.state) === l.role
    )
      return;
    const after = this.brief();
    const note: Extract<HostNote, { kind: 'change' }> = {
      kind: 'change',
      cause,
      before: encodeBrief(l),
      after: encodeBrief(after),
    };
    if (msg !== undefined) note.msg = msg;
    if (after.role !== l.role && (l.role === 'candidate' || l.role === 'pre-candidate')) {
      note.votes = this.votesAfter(m, after.role === 'leader');
    }
    if (
      (after.role === 'candidate' || after.role === 'pre-candidate') &&
      (after.role !== l.role || after.term !== l.term)
    ) {
      const lastID = log.lastEntryID();
      const voters = [...r.trk.config.voters.ids()].sort((a, b) => a - b);
      note.campaign = { voters, lastIndex: lastID.index, lastTerm: lastID.term };
    }
    if (after.commit !== l.commit) {
      const count = after.commit - l.commit;
      if (after.role === 'leader' && count > 0) {
        const match: { id: number; match: number }[] = [];
        for (const id of r.trk.progress.ids()) match.push({ id, match: r.trk.progress.get(id)!.match });
        const cs = r.trk.confState();
        note.quorum = { voters: cs.voters, outgoing: cs.votersOutgoing, learners: cs.learners, match };
        const hi = Math.min(after.commit, l.commit + maxCommittedSummaries);
        let entries: EntrySummary[] = [];
        try {
          entries = log.slice(l.commit + 1, hi + 1, Infinity).map((e) => summarizeEntry(e, this.smKind));
        } catch {
          // Compacted away (a snapshot): the range is still reported below.
        }
        note.committed = { entries, more: count - entries.length };
      } else if (count > 0) {
        note.committed = { entries: [], more: count };
      }
    }
    this.last = after;
    this.votesBefore = undefined;
    this.notes.push(note);
  }

  /** Before a call that may end an election: the votes counted so far. */
  private noteVotes(): void {
    const s = this.rn.raft.state;
    this.votesBefore = s === StateCandidate || s === StatePreCandidate ? new Map(this.rn.raft.trk.votes) : undefined;
  }

  /**
   * The votes of the election that just ended: those counted before the call, plus the
   * answer being stepped. Raft resets its tally when it becomes leader, so it is read
   * before; a candidate's own vote is counted when its vote is durable (at advance),
   * and a leader always had it.
   */
  private votesAfter(m: Message | undefined, won: boolean): { granted: number[]; rejected: number[] } {
    const r = this.rn.raft;
    const votes = new Map(this.votesBefore ?? r.trk.votes);
    if (m !== undefined && (m.type === MsgVoteResp || m.type === MsgPreVoteResp) && !votes.has(m.from))
      votes.set(m.from, !m.reject);
    if (won && !votes.has(r.id)) votes.set(r.id, true);
    const granted: number[] = [];
    const rejected: number[] = [];
    for (const [id, v] of votes) (v ? granted : rejected).push(id);
    granted.sort((a, b) => a - b);
    rejected.sort((a, b) => a - b);
    return { granted, rejected };
  }

  private mark(): Mark {
    const r = this.rn.raft;
    return { msgs: r.msgs, n: r.msgs.length, after: r.msgsAfterAppend, k: r.msgsAfterAppend.length };
  }

  /** Appends the count and the fields of the messages to other nodes raft queued since mark. */
  private pushReplies(f: number[], mark: Mark): void {
    const r = this.rn.raft;
    const at = f.length;
    f.push(0);
    let n = 0;
    const add = (list: Message[], from: number) => {
      for (let i = from; i < list.length; i++) {
        const m = list[i]!;
        if (m.to === r.id) continue; // its own acknowledgements
        encodeMsg(f, m);
        n++;
      }
    };
    add(r.msgs, r.msgs === mark.msgs ? mark.n : 0);
    add(r.msgsAfterAppend, r.msgsAfterAppend === mark.after ? mark.k : 0);
    f[at] = n;
  }
}
