// The reasons behind votes and appends, computed from the facts a node's host measured
// when it stepped the message (NodeFacts) and the message's own fields — the same
// tests etcd's raft.go makes, in the same order. Shared by narration and "why".

import type { AppendEvent, MsgInfo, NodeFacts, VoteEvent } from '../cluster/events';
import type { WhyField, WhyReason } from './types';

export interface Reasoned {
  reason: WhyReason;
  /** The reason in a few words ("it already voted for 3 in term 4"). */
  short: string;
  /** The full plain-language answer. */
  text: string;
  fields: WhyField[];
}

/** "1, 2, 4" */
export function idList(ids: readonly number[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}

/** (lastTerm, lastIndex) ordering of raft's isUpToDate: is (t1, i1) at least as up to date as (t2, i2)? */
export function upToDate(t1: number, i1: number, t2: number, i2: number): boolean {
  return t1 > t2 || (t1 === t2 && i1 >= i2);
}

/**
 * Why node `voter` granted, refused or ignored `candidate`'s (pre-)vote request.
 * Mirrors raft.Step: a request from a newer term first moves a voter to that term
 * (clearing its vote and leader) unless a leader lease holds; a pre-vote never moves
 * it; then canVote && isUpToDate decides.
 */
export function voteReason(ev: VoteEvent): Reasoned {
  const f = ev.facts;
  const m = ev.msg;
  const v = ev.node;
  const c = ev.candidate;
  const kind = ev.preVote ? 'pre-vote' : 'vote';
  const req = ev.preVote ? 'MsgPreVote' : 'MsgVote';
  const fields: WhyField[] = [
    { name: 'request term', value: m.term, source: `${req}.Term` },
    { name: 'voter term', value: f.term, source: `node ${v} HardState.Term` },
  ];
  const mine = `(${f.lastTerm}, ${f.lastIndex})`;
  const theirs = `(${m.logTerm}, ${m.index})`;
  const mineWords = `(term ${f.lastTerm}, index ${f.lastIndex})`;
  const theirsWords = `(term ${m.logTerm}, index ${m.index})`;
  const logFields = (): WhyField[] => [
    { name: 'candidate last entry (term, index)', value: theirs, source: `${req}.LogTerm, ${req}.Index` },
    { name: 'voter last entry (term, index)', value: mine, source: `node ${v} raftLog.lastEntryID()` },
  ];

  // A newer term, unless a lease holds (then the request is ignored, and nothing moves).
  const newer = m.term > f.term;
  const inLease = f.checkQuorum && f.lead !== 0 && f.electionElapsed < f.electionTimeout;
  if (newer && inLease && m.transfer !== true) {
    fields.push(
      { name: 'CheckQuorum', value: f.checkQuorum, source: `node ${v} Config.CheckQuorum` },
      { name: 'leader', value: f.lead, source: `node ${v} SoftState.Lead` },
      { name: 'electionElapsed', value: f.electionElapsed, source: `node ${v} raft.electionElapsed` },
      { name: 'electionTimeout', value: f.electionTimeout, source: `node ${v} raft.electionTimeout` },
    );
    const left = f.electionTimeout - f.electionElapsed;
    return {
      reason: 'vote-lease-not-expired',
      short: `it heard from leader ${f.lead} ${f.electionElapsed} ticks ago, so its lease has ${left} ticks left`,
      text: `Node ${v} ignores node ${c}'s ${kind} request for term ${m.term}: it has a leader (node ${f.lead}) and heard from it ${f.electionElapsed} ticks ago, less than the election timeout of ${f.electionTimeout} ticks (CheckQuorum's lease, ${left} ticks left). A node that still hears its leader does not help replace it; it does not even answer.`,
      fields,
    };
  }
  if (m.term < f.term) {
    return {
      reason: 'vote-stale-term',
      short: `the request's term ${m.term} is older than its term ${f.term}`,
      text:
        ev.outcome === 'ignored'
          ? `Node ${v} ignores node ${c}'s ${kind} request: it asks for term ${m.term}, but node ${v} is already in term ${f.term}. A request from an older term is out of date.`
          : `Node ${v} rejects node ${c}'s ${kind} request: it asks for term ${m.term}, but node ${v} is already in term ${f.term}. The rejection carries term ${f.term}, so node ${c} learns it is behind.`,
      fields,
    };
  }
  // A real vote from a newer term moves the voter to that term first: no vote, no leader.
  const moved = newer && !ev.preVote;
  const vote = moved ? 0 : f.vote;
  const lead = moved ? 0 : f.lead;
  const canVote = vote === c || (vote === 0 && lead === 0) || (ev.preVote && newer);
  const ok = upToDate(m.logTerm, m.index, f.lastTerm, f.lastIndex);
  fields.push(
    {
      name: 'voted for',
      value: vote === 0 ? 'nobody' : vote,
      source: moved ? `node ${v} HardState.Vote after moving to term ${m.term}` : `node ${v} HardState.Vote`,
    },
    {
      name: 'leader known',
      value: lead === 0 ? 'none' : lead,
      source: moved ? `node ${v} SoftState.Lead after moving to term ${m.term}` : `node ${v} SoftState.Lead`,
    },
    ...logFields(),
  );
  const termWord = `term ${m.term}`;
  if (ev.outcome === 'granted' || (canVote && ok)) {
    return {
      reason: 'vote-granted',
      short: `its last entry ${theirsWords} is at least as up to date as node ${v}'s ${mineWords}`,
      text: `Node ${v} ${ev.preVote ? 'would vote' : 'votes'} for node ${c} in ${termWord}: ${vote === c ? `it already voted for node ${c} in this term` : ev.preVote && newer ? 'a pre-vote for a later term does not depend on earlier votes' : 'it has neither voted nor heard of a leader in this term'}, and node ${c}'s last entry ${theirsWords} is at least as up to date as its own ${mineWords}.`,
      fields,
    };
  }
  if (!canVote) {
    if (vote !== 0 && vote !== c) {
      return {
        reason: 'vote-already-voted',
        short: `it already voted for node ${vote} in term ${moved ? m.term : f.term}`,
        text: `Node ${v} rejects node ${c}'s ${kind} request for term ${m.term}: it already voted for node ${vote} in term ${f.term}, and a node votes at most once per term (its vote is on disk, HardState.Vote).`,
        fields,
      };
    }
    return {
      reason: 'vote-has-leader',
      short: `it already follows leader ${lead} in term ${f.term}`,
      text: `Node ${v} rejects node ${c}'s ${kind} request for term ${m.term}: in this term it already knows a leader, node ${lead}, so there is no election to vote in.`,
      fields,
    };
  }
  return {
    reason: 'vote-log-behind',
    short: `node ${c}'s last entry ${theirsWords} is behind its own ${mineWords}`,
    text: `Node ${v} rejects node ${c}'s ${kind} request for term ${m.term}: node ${c}'s last entry is (term ${m.logTerm}, index ${m.index}), behind node ${v}'s own (term ${f.lastTerm}, index ${f.lastIndex}). A voter only elects a candidate whose log is at least as up to date as its own (Raft §5.4.1), so that a leader has every committed entry.`,
    fields,
  };
}

/** Why a follower rejected (or ignored, or took) an append. */
export function appendReason(ev: AppendEvent): Reasoned {
  const f = ev.facts;
  const n = ev.node;
  const l = ev.leader;
  const P = ev.prevIndex;
  const fields: WhyField[] = [
    { name: 'append term', value: ev.term, source: 'MsgApp.Term' },
    { name: 'follower term', value: f.term, source: `node ${n} HardState.Term` },
    { name: 'previous entry (index, term)', value: `(${P}, ${ev.prevTerm})`, source: 'MsgApp.Index, MsgApp.LogTerm' },
  ];
  if (ev.outcome === 'stale') {
    return {
      reason: 'append-stale-term',
      short: `its term ${f.term} is newer than the append's ${ev.term}`,
      text: `Node ${n} does not take node ${l}'s append: it comes from term ${ev.term}, but node ${n} is already in term ${f.term}, so node ${l} is no longer leader. ${f.checkQuorum || f.preVote ? `Node ${n} answers with its term so that node ${l} steps down.` : ''}`.trim(),
      fields,
    };
  }
  fields.push(
    {
      name: 'follower entry term at previous index',
      value: f.termAtIndex === undefined || f.termAtIndex === 0 ? 'none' : f.termAtIndex,
      source: `node ${n} raftLog.term(${P})`,
    },
    { name: 'follower last index', value: f.lastIndex, source: `node ${n} raftLog.lastIndex()` },
  );
  if (ev.outcome === 'rejected') {
    const missing = P > f.lastIndex || f.termAtIndex === undefined || f.termAtIndex === 0;
    const why = missing
      ? `it has no entry at index ${P} (its log ends at index ${f.lastIndex})`
      : `its entry at index ${P} is from term ${f.termAtIndex}, the leader's from term ${ev.prevTerm}`;
    const hint = ev.hint;
    if (hint !== undefined)
      fields.push({
        name: 'hint (index, term)',
        value: `(${hint.index}, ${hint.term})`,
        source: 'MsgAppResp.RejectHint, MsgAppResp.LogTerm',
      });
    const back =
      hint === undefined
        ? 'the leader will back up and probe an earlier index'
        : `it hints that its last entry that could match is index ${hint.index} (term ${hint.term}); the leader backs up to its own last entry at or before index ${hint.index} whose term is at most ${hint.term}, and probes again from there`;
    return {
      reason: 'append-log-mismatch',
      short: why,
      text: `Node ${n} rejects the append at index ${P}: ${why}. Log matching (Raft §5.3): a follower takes entries only after a previous entry that matches the leader's in index and term. ${back[0]!.toUpperCase()}${back.slice(1)}.`,
      fields,
    };
  }
  return {
    reason: 'append-accepted',
    short: `its entry at index ${P} matches (term ${ev.prevTerm})`,
    text:
      ev.outcome === 'committed'
        ? `Node ${n} acknowledges the append without looking at it: index ${P} is below its commit index ${f.commit}, and committed entries always match the leader's.`
        : `Node ${n} takes the append: its entry at index ${P} has the leader's term ${ev.prevTerm}, so by log matching everything up to there is the same as the leader's; it now has entries up to index ${ev.lastIndex}.`,
    fields,
  };
}

/** A message in a few words: "MsgVote 2→3 (term 4)". */
export function msgWords(m: MsgInfo): string {
  return `${m.type} ${m.from}→${m.to} (term ${m.term})`;
}

/** Facts of a node as plain fields, for answers built from NodeFacts. */
export function factFields(node: number, f: NodeFacts, names: (keyof NodeFacts)[]): WhyField[] {
  const src: Partial<Record<keyof NodeFacts, string>> = {
    role: 'SoftState.RaftState',
    term: 'HardState.Term',
    vote: 'HardState.Vote',
    lead: 'SoftState.Lead',
    commit: 'raftLog.committed',
    applied: 'raftLog.applied',
    lastIndex: 'raftLog.lastIndex()',
    lastTerm: 'raftLog.lastTerm()',
    electionElapsed: 'raft.electionElapsed',
    electionTimeout: 'raft.electionTimeout',
    randomizedElectionTimeout: 'raft.randomizedElectionTimeout',
    checkQuorum: 'Config.CheckQuorum',
    preVote: 'Config.PreVote',
    isLearner: 'raft.isLearner',
    inConfig: 'raft.trk.Progress (has self)',
    pendingConfIndex: 'raft.pendingConfIndex',
    leadTransferee: 'raft.leadTransferee',
    uncommittedSize: 'raft.uncommittedSize',
    maxUncommittedSize: 'Config.MaxUncommittedEntriesSize',
    disableProposalForwarding: 'Config.DisableProposalForwarding',
    unappliedConfChange: 'raft.hasUnappliedConfChanges()',
  };
  return names.map((k) => {
    const v = f[k];
    return {
      name: k,
      value: v === undefined ? 'unknown' : typeof v === 'number' && !Number.isFinite(v) ? 'no limit' : v,
      source: `node ${node} ${src[k] ?? k}`,
    };
  });
}
