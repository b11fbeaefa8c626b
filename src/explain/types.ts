// The public types of src/explain: narration lines and "why" questions and answers.
// Kept stable for the UI (add fields and codes; do not rename).

import type { ClusterObservation } from '../cluster/cluster';
import type { ClusterEvent, ClusterEventKind } from '../cluster/events';

// ---- narration ----

/** One plain-language line about one event. */
export interface NarrationLine {
  /** The event it narrates (seq and step: click = seek to step). */
  seq: number;
  step: number;
  time: number;
  kind: ClusterEventKind;
  text: string;
  /**
   * major: what a student should not miss (elections, leaders, commits, rejections,
   * faults, client requests and answers); minor: routine work (entries appended and
   * acknowledged, applies, persists, messages lost).
   */
  level: 'major' | 'minor';
  /** Nodes involved (hover highlights them), ascending. */
  nodes: number[];
  /** Bus envelope ids involved (hover highlights those messages). */
  messages: number[];
  /** Set when the narrator does not know the event: text is then "unknown event ...". */
  unknown?: true;
}

// ---- why ----

/** What a "why" can be asked about. */
export type WhyQuestion =
  /** A message (by bus envelope id): a rejected vote or append (the request or its rejection), a dropped message. */
  | { about: 'message'; envelope: number }
  /** An event of the stream (by seq): a vote, an append, a proposal, a campaign... */
  | { about: 'event'; seq: number }
  /** An entry on a node's log: why is it not committed, or committed but not applied, there. */
  | { about: 'entry'; node: number; index: number }
  /** A client operation (history id): why is it still pending, or why did it fail. */
  | { about: 'op'; op: number }
  /** A node: why does it not campaign. */
  | { about: 'campaign'; node: number }
  /** A follower as its leader sees it: why does it not get entries (Probe, Snapshot, full Inflights). */
  | { about: 'follower'; node: number };

/** Stable reason codes (kebab-case); the UI and tests key on them. */
export type WhyReason =
  // votes and pre-votes
  | 'vote-granted'
  | 'vote-already-voted'
  | 'vote-has-leader'
  | 'vote-log-behind'
  | 'vote-lease-not-expired'
  | 'vote-stale-term'
  // appends
  | 'append-accepted'
  | 'append-log-mismatch'
  | 'append-stale-term'
  // entries
  | 'not-committed-no-quorum'
  | 'not-committed-old-term'
  | 'not-committed-no-leader'
  | 'not-committed-not-in-log'
  | 'not-committed-not-learned'
  | 'committed-not-applied'
  | 'committed-and-applied'
  // client requests and proposals
  | 'proposal-no-leader'
  | 'proposal-dropped-transfer'
  | 'proposal-too-large-uncommitted'
  | 'proposal-learner-or-removed'
  | 'proposal-leader-lost'
  | 'proposal-forwarding-disabled'
  | 'proposal-message-lost'
  | 'proposal-node-down'
  | 'proposal-not-committed'
  | 'proposal-not-applied'
  | 'proposal-failed'
  | 'proposal-conf-change-ignored'
  | 'proposal-waiting'
  | 'read-no-leader'
  | 'read-waiting'
  // campaigns
  | 'campaign-learner'
  | 'campaign-not-in-config'
  | 'campaign-timer-not-expired'
  | 'campaign-unapplied-conf-change'
  | 'campaign-is-leader'
  | 'campaign-node-down'
  // followers seen from the leader
  | 'follower-probe'
  | 'follower-snapshot'
  | 'follower-inflights-full'
  | 'follower-replicating'
  | 'follower-no-leader'
  | 'follower-not-tracked'
  // messages
  | 'message-dropped';

/** One fact an answer rests on: its value and where it was read. */
export interface WhyField {
  /** Short name ("vote", "candidate lastIndex", "match of node 3"). */
  name: string;
  value: string | number | boolean;
  /** Where the value comes from, naming the raft field ("node 3 HardState.Vote", "MsgVote.LogTerm", "leader 1 Progress[3].Match"). */
  source: string;
}

export interface WhyAnswer {
  reason: WhyReason;
  /** Plain-language answer, with the run's node ids, terms and indices. */
  text: string;
  fields: WhyField[];
  /** Nodes and envelopes involved (for highlighting). */
  nodes: number[];
  messages: number[];
  /** The event the answer rests on, when one does (seq, step). */
  seq?: number;
  step?: number;
}

/** A log entry as a node stores it (for entry questions). */
export interface EntryInfo {
  index: number;
  term: number;
  /** Where it is: persisted to the node's disk, or only in its memory (unstable). */
  persisted: boolean;
}

/** What "why" answers are computed from. */
export interface WhyState {
  /** The current observation (nodes, progress, commit/applied, history, in-flight). */
  observation: ClusterObservation;
  /** The event stream (as kept), oldest first. */
  events: readonly ClusterEvent[];
  /** A node's entry at an index (memory log or disk), for entry questions; undefined when it has none. */
  entry?: (node: number, index: number) => EntryInfo | undefined;
}
