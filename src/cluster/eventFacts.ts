// Small converters from raft's data to the plain facts events carry: message fields,
// entry ranges and summaries, role names, progress. Shared by the hosts (raftProbe.ts),
// the scheduler's event sink (eventSink.ts) and the harness adapter (src/explain).

import { decodeConfChange, decodeConfChangeV2 } from '../raft/raftpb/codec';
import { asV2, confChangesToString } from '../raft/raftpb/confchange';
import {
  EntryConfChange,
  EntryConfChangeV2,
  MsgPreVote,
  MsgVote,
  messageTypeNames,
  type Entry,
  type Message,
} from '../raft/raftpb/types';
import type { Progress } from '../raft/tracker/progress';
import { stateTypeNames as progressStateNames } from '../raft/tracker/state';
import { StateCandidate, StateLeader, StatePreCandidate, type StateType } from '../raft/types';
import type { EntryRange, EntrySummary, MsgInfo, ProgressFacts, ProgressStateName, RoleName } from './events';
import { FNV32_OFFSET, fnv1a32 } from './fnv';
import type { StateMachineKind } from './protocol';
import { decodePut } from './stateMachines/kv';

const decoder = new TextDecoder();

/** etcd's StateType as a RoleName. */
export function roleName(s: StateType): RoleName {
  return s === StateLeader
    ? 'leader'
    : s === StateCandidate
      ? 'candidate'
      : s === StatePreCandidate
        ? 'pre-candidate'
        : 'follower';
}

/** The index range of a non-empty list of entries (undefined when empty). */
export function entryRange(ents: readonly Entry[]): EntryRange | undefined {
  const n = ents.length;
  if (n === 0) return undefined;
  const f = ents[0]!;
  const l = ents[n - 1]!;
  return { first: f.index, firstTerm: f.term, last: l.index, lastTerm: l.term, count: n };
}

const transferCtx = 'CampaignTransfer';

/** Whether a vote request's context marks a leadership transfer (etcd's campaignTransfer). */
export function isTransferContext(ctx: Uint8Array): boolean {
  if (ctx.length !== transferCtx.length) return false;
  for (let i = 0; i < ctx.length; i++) if (ctx[i] !== transferCtx.charCodeAt(i)) return false;
  return true;
}

/** The raft fields of a message, copied (later changes to the message do not show). */
export function msgInfo(m: Message): MsgInfo {
  const snap = m.snapshot !== undefined && m.snapshot.metadata.index !== 0 ? m.snapshot.metadata : undefined;
  return {
    type: messageTypeNames[m.type] ?? String(m.type),
    from: m.from,
    to: m.to,
    term: m.term,
    logTerm: m.logTerm,
    index: m.index,
    commit: m.commit,
    vote: m.vote,
    reject: m.reject,
    rejectHint: m.rejectHint,
    entries: entryRange(m.entries),
    snapshot: snap === undefined ? undefined : { index: snap.index, term: snap.term },
    transfer:
      (m.type === MsgVote || m.type === MsgPreVote) && m.context.length > 0 && isTransferContext(m.context)
        ? true
        : undefined,
  };
}

/** A follower's progress as the leader tracks it. */
export function progressFacts(pr: Progress): ProgressFacts {
  const state = (progressStateNames[pr.state] ?? 'StateProbe') as ProgressStateName;
  return {
    match: pr.match,
    next: pr.next,
    state,
    paused: pr.isPaused(),
    probeSent: state === 'StateProbe' && pr.msgAppFlowPaused,
    inflight: pr.inflights.count(),
    inflightFull: pr.inflights.full(),
    pendingSnapshot: pr.pendingSnapshot,
    recentActive: pr.recentActive,
  };
}

/** One entry in words, as the state machine `kind` reads its payload ("put x=1", "v4 l5", "empty"). Never throws. */
export function summarizeEntry(e: Entry, kind: StateMachineKind): EntrySummary {
  if (e.type === EntryConfChange || e.type === EntryConfChangeV2) {
    let summary: string;
    try {
      const cc = e.type === EntryConfChange ? decodeConfChange(e.data) : decodeConfChangeV2(e.data);
      const changes = asV2(cc).changes;
      summary = changes.length > 0 ? confChangesToString(changes) : 'leave-joint';
    } catch {
      summary = `conf change ${e.data.length}B`;
    }
    return { index: e.index, term: e.term, kind: 'confchange', summary };
  }
  if (e.data.length === 0) return { index: e.index, term: e.term, kind: 'empty', summary: 'empty' };
  let summary: string;
  if (kind === 'kv') {
    const p = decodePut(e.data);
    summary = p === undefined ? `unknown ${e.data.length}B` : `put ${p.key}=${p.value}`;
  } else {
    summary = decoder.decode(e.data);
  }
  return { index: e.index, term: e.term, kind: 'normal', summary };
}

/** A 32-bit FNV-1a of an entry's type and data (fnv.ts): with its index and term, what identifies an entry's content. */
export function entryFingerprint(e: Entry): number {
  return fnv1a32(e.data, (FNV32_OFFSET ^ e.type) >>> 0);
}

/** [index, term, fingerprint] triples of a list of entries, flat. */
export function entryIds(ents: readonly Entry[]): number[] {
  const out: number[] = [];
  for (const e of ents) out.push(e.index, e.term, entryFingerprint(e));
  return out;
}
