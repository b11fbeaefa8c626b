// A flat numeric encoding of the facts a host returns with its results (HostNote).
//
// Results cross a structured clone (postMessage to a worker, or the in-process
// runtime's clone), which pays per object property; a dense array of numbers costs a
// fraction of that. So the host writes NodeFacts, message fields and progress as
// numbers (encode*), and the scheduler's event sink rebuilds the plain objects the
// events carry (decode*). Layouts are fixed; the *Slots constants give their sizes.

import type { Message } from '../raft/raftpb/types';
import { messageTypeNames, MsgPreVote, MsgVote } from '../raft/raftpb/types';
import type { Progress } from '../raft/tracker/progress';
import type { MsgInfo, NodeFacts, ProgressFacts, ProgressStateName, RecvFacts, RoleName, StateBrief } from './events';
import { isTransferContext } from './eventFacts';

const roles: readonly RoleName[] = ['follower', 'candidate', 'leader', 'pre-candidate'];
const progressStates: readonly ProgressStateName[] = ['StateProbe', 'StateReplicate', 'StateSnapshot'];

/** The raft state facts are read from (the fields of etcd's raft struct a host can see). */
export interface FactsSource {
  state: number;
  term: number;
  vote: number;
  lead: number;
  committed: number;
  applied: number;
  lastIndex: number;
  lastTerm: number;
  electionElapsed: number;
  electionTimeout: number;
  randomizedElectionTimeout: number;
  checkQuorum: boolean;
  preVote: boolean;
  isLearner: boolean;
  inConfig: boolean;
  disableProposalForwarding: boolean;
  pendingConfIndex: number;
  leadTransferee: number;
  uncommittedSize: number;
  maxUncommittedSize: number;
  unappliedConfChange?: boolean;
  termAtIndex?: number;
}

export const factsSlots = 17;

/** Appends NodeFacts to out (factsSlots numbers). */
export function encodeFacts(out: number[], f: FactsSource): void {
  let flags = 0;
  if (f.checkQuorum) flags |= 1;
  if (f.preVote) flags |= 2;
  if (f.isLearner) flags |= 4;
  if (f.inConfig) flags |= 8;
  if (f.disableProposalForwarding) flags |= 16;
  if (f.unappliedConfChange !== undefined) flags |= f.unappliedConfChange ? 32 | 64 : 32;
  if (f.termAtIndex !== undefined) flags |= 128;
  out.push(
    f.state,
    f.term,
    f.vote,
    f.lead,
    f.committed,
    f.applied,
    f.lastIndex,
    f.lastTerm,
    f.electionElapsed,
    f.electionTimeout,
    f.randomizedElectionTimeout,
    flags,
    f.pendingConfIndex,
    f.leadTransferee,
    f.uncommittedSize,
    f.maxUncommittedSize,
    f.termAtIndex ?? 0,
  );
}

export function decodeFacts(a: readonly number[], at: number): NodeFacts {
  const flags = a[at + 11]!;
  const f: NodeFacts = {
    role: roles[a[at]!] ?? 'follower',
    term: a[at + 1]!,
    vote: a[at + 2]!,
    lead: a[at + 3]!,
    commit: a[at + 4]!,
    applied: a[at + 5]!,
    lastIndex: a[at + 6]!,
    lastTerm: a[at + 7]!,
    electionElapsed: a[at + 8]!,
    electionTimeout: a[at + 9]!,
    randomizedElectionTimeout: a[at + 10]!,
    checkQuorum: (flags & 1) !== 0,
    preVote: (flags & 2) !== 0,
    isLearner: (flags & 4) !== 0,
    inConfig: (flags & 8) !== 0,
    pendingConfIndex: a[at + 12]!,
    leadTransferee: a[at + 13]!,
    uncommittedSize: a[at + 14]!,
    maxUncommittedSize: a[at + 15]!,
    disableProposalForwarding: (flags & 16) !== 0,
    unappliedConfChange: (flags & 32) !== 0 ? (flags & 64) !== 0 : undefined,
    termAtIndex: (flags & 128) !== 0 ? a[at + 16]! : undefined,
  };
  return f;
}

export const msgSlots = 17;

/** Appends a message's raft fields (msgSlots numbers). */
export function encodeMsg(out: number[], m: Message): void {
  let flags = m.reject ? 1 : 0;
  if ((m.type === MsgVote || m.type === MsgPreVote) && isTransferContext(m.context)) flags |= 2;
  const snap = m.snapshot !== undefined && m.snapshot.metadata.index !== 0 ? m.snapshot.metadata : undefined;
  if (snap !== undefined) flags |= 4;
  const n = m.entries.length;
  const f = n > 0 ? m.entries[0]! : undefined;
  const l = n > 0 ? m.entries[n - 1]! : undefined;
  out.push(
    m.type,
    m.from,
    m.to,
    m.term,
    m.logTerm,
    m.index,
    m.commit,
    m.vote,
    flags,
    m.rejectHint,
    f?.index ?? 0,
    f?.term ?? 0,
    l?.index ?? 0,
    l?.term ?? 0,
    n,
    snap?.index ?? 0,
    snap?.term ?? 0,
  );
}

export function decodeMsg(a: readonly number[], at: number): MsgInfo {
  const t = a[at]!;
  const flags = a[at + 8]!;
  const count = a[at + 14]!;
  return {
    type: messageTypeNames[t] ?? String(t),
    from: a[at + 1]!,
    to: a[at + 2]!,
    term: a[at + 3]!,
    logTerm: a[at + 4]!,
    index: a[at + 5]!,
    commit: a[at + 6]!,
    vote: a[at + 7]!,
    reject: (flags & 1) !== 0,
    rejectHint: a[at + 9]!,
    entries:
      count > 0
        ? { first: a[at + 10]!, firstTerm: a[at + 11]!, last: a[at + 12]!, lastTerm: a[at + 13]!, count }
        : undefined,
    snapshot: (flags & 4) !== 0 ? { index: a[at + 15]!, term: a[at + 16]! } : undefined,
    transfer: (flags & 2) !== 0 ? true : undefined,
  };
}

export const progressSlots = 6;

export function encodeProgress(out: number[], pr: Progress): void {
  let flags = 0;
  if (pr.isPaused()) flags |= 1;
  if (pr.msgAppFlowPaused) flags |= 2;
  if (pr.inflights.full()) flags |= 4;
  if (pr.recentActive) flags |= 8;
  out.push(pr.match, pr.next, pr.state, flags, pr.inflights.count(), pr.pendingSnapshot);
}

export function decodeProgress(a: readonly number[], at: number): ProgressFacts {
  const flags = a[at + 3]!;
  const state = progressStates[a[at + 2]!] ?? 'StateProbe';
  return {
    match: a[at]!,
    next: a[at + 1]!,
    state,
    paused: (flags & 1) !== 0,
    probeSent: state === 'StateProbe' && (flags & 2) !== 0,
    inflight: a[at + 4]!,
    inflightFull: (flags & 4) !== 0,
    pendingSnapshot: a[at + 5]!,
    recentActive: (flags & 8) !== 0,
  };
}

/** An ack note's numbers: the follower's progress before and after. */
export function decodeAck(p: readonly number[]): { before: ProgressFacts; after: ProgressFacts } {
  return { before: decodeProgress(p, 0), after: decodeProgress(p, progressSlots) };
}

/**
 * A recv note's numbers: facts, then 1 + two progress blocks or 0, then the reply
 * count and the replies.
 */
export function decodeRecv(a: readonly number[], error?: string): RecvFacts {
  let at = 0;
  const before = decodeFacts(a, at);
  at += factsSlots;
  let progress: RecvFacts['progress'];
  if (a[at++] === 1) {
    progress = { before: decodeProgress(a, at), after: decodeProgress(a, at + progressSlots) };
    at += 2 * progressSlots;
  }
  const n = a[at++] ?? 0;
  const replies: MsgInfo[] = [];
  for (let i = 0; i < n; i++, at += msgSlots) replies.push(decodeMsg(a, at));
  return { before, replies, error, progress };
}

export const briefSlots = 6;

export function encodeBrief(b: StateBrief): number[] {
  return [roles.indexOf(b.role), b.term, b.vote, b.lead, b.commit, b.leadTransferee];
}

export function decodeBrief(a: readonly number[]): StateBrief {
  return {
    role: roles[a[0]!] ?? 'follower',
    term: a[1]!,
    vote: a[2]!,
    lead: a[3]!,
    commit: a[4]!,
    leadTransferee: a[5]!,
  };
}
