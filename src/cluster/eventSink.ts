// EventSink: where the scheduler, the faults and the client report what happened,
// turned into ClusterEvents (events.ts). It sits next to each place that writes a
// trace line, and builds the richer, structured event from the same values and from
// the facts the node's host measured (HostNote, see raftProbe.ts).
//
// The sink only buffers: the Cluster drains the buffer after each action and stamps
// every event with its step and seq (EventLog). The sink keeps no state that a run
// depends on (its message-fields cache is only a cache), so a World restored from a
// checkpoint needs nothing from it, and `enabled = false` (used while replaying
// steps whose events are already stored) skips all of the work.

import { MsgSnap } from '../raft/raftpb/types';
import type { DropReason, Envelope, LinkFaults } from './bus';
import type { ClientOp } from './client';
import type {
  ActionEvent,
  AppendRespEvent,
  ClusterEvent,
  DeliverEvent,
  MsgInfo,
  ProposalEvent,
  RecvFacts,
  StateBrief,
} from './events';
import { entryIds, entryRange, msgInfo, roleName } from './eventFacts';
import { decodeAck, decodeBrief, decodeRecv } from './factsCodec';
import type { CycleRecord, HostCommand, HostNote, HostResult, LogLine } from './protocol';

type Unstamped<E> = E extends ClusterEvent ? Omit<E, 'seq' | 'step'> : never;

const decoder = new TextDecoder();

type ChangeNote = Extract<HostNote, { kind: 'change' }>;

/** The reply of a given type to a given node, if raft queued one (no closure: a hot path). */
function findReply(replies: readonly MsgInfo[], type: string, to: number): MsgInfo | undefined {
  for (const r of replies) if (r.type === type && r.to === to) return r;
  return undefined;
}

export class EventSink {
  /** Events since the last drain, in order; seq and step are stamped by the Cluster. */
  buffer: ClusterEvent[] = [];
  /** false: nothing is recorded (replaying steps whose events are already stored). */
  enabled = true;
  /**
   * Message fields of the envelopes in flight, by envelope id: a send and its delivery
   * (or drop) share one. Only a cache (a missing entry is recomputed from the message).
   */
  private readonly infos = new Map<number, MsgInfo>();

  /** Takes the buffered events. */
  drain(): ClusterEvent[] {
    const b = this.buffer;
    this.buffer = [];
    return b;
  }

  /** Buffers an event built without seq and step (rare kinds; they get the two fields added). */
  private push(ev: Unstamped<ClusterEvent>): void {
    const e = ev as ClusterEvent;
    e.seq = -1;
    e.step = -1;
    this.buffer.push(e);
  }

  // The frequent kinds are built as complete literals, seq and step and every optional
  // field included (undefined when absent): objects of one shape, allocated once.

  /** The fields of a message being sent (kept until it is delivered or dropped). */
  private sentInfo(env: Envelope): MsgInfo {
    const i = (env.duplicateOf === undefined ? undefined : this.infos.get(env.duplicateOf)) ?? msgInfo(env.msg);
    this.infos.set(env.id, i);
    return i;
  }

  /** The fields of a message leaving the network (delivered or dropped). */
  private doneInfo(env: Envelope): MsgInfo {
    const i = this.infos.get(env.id);
    if (i === undefined) return msgInfo(env.msg);
    this.infos.delete(env.id);
    return i;
  }

  // ---- messages ----

  /** A message handed to the bus: enqueued (due set) or dropped at once (due undefined). */
  send(time: number, env: Envelope, enqueued: boolean, manual = false): void {
    if (!this.enabled) return;
    const msg = this.sentInfo(env);
    this.buffer.push({
      seq: -1,
      step: -1,
      kind: 'send',
      time,
      node: env.from,
      to: env.to,
      envelope: env.id,
      msg,
      due: enqueued ? env.dueTime : undefined,
      duplicateOf: env.duplicateOf,
      manual: manual ? true : undefined,
    });
    if (env.msg.type === MsgSnap && msg.snapshot !== undefined && env.duplicateOf === undefined)
      this.push({
        kind: 'snapshot',
        time,
        node: env.from,
        action: 'sent',
        index: msg.snapshot.index,
        term: msg.snapshot.term,
        peer: env.to,
        envelope: env.id,
      });
  }

  drop(time: number, env: Envelope, reason: DropReason): void {
    if (!this.enabled) return;
    this.buffer.push({
      seq: -1,
      step: -1,
      kind: 'drop',
      time,
      node: env.to,
      from: env.from,
      envelope: env.id,
      msg: this.doneInfo(env),
      reason,
    });
  }

  hold(time: number, env: Envelope): void {
    if (this.enabled) this.push({ kind: 'hold', time, node: env.to, envelope: env.id, held: env.held });
  }

  reorder(time: number, env: Envelope): void {
    if (this.enabled) this.push({ kind: 'reorder', time, node: env.to, envelope: env.id, due: env.dueTime });
  }

  /**
   * Messages delivered to node and the result of stepping them (undefined when the node
   * did not run them): a deliver event each, what it meant (vote, append, append-resp),
   * and the state changes it caused.
   */
  deliver(time: number, node: number, envs: readonly Envelope[], manual: boolean, res?: HostResult): void {
    if (!this.enabled) return;
    const notes = res?.notes;
    let next = 0;
    if (notes !== undefined) {
      for (let k = 0; k < notes.length; k++) {
        const n = notes[k]!;
        if (n.kind !== 'recv' && n.kind !== 'ack') {
          this.note(time, node, n, envs);
          continue;
        }
        for (; next < n.msg && next < envs.length; next++)
          this.buffer.push(this.deliverEvent(time, node, envs[next]!, manual, undefined));
        const env = envs[n.msg];
        if (env === undefined) continue;
        const facts = n.kind === 'recv' ? decodeRecv(n.f, n.error) : undefined;
        const ev = this.deliverEvent(time, node, env, manual, facts);
        this.buffer.push(ev);
        next = n.msg + 1;
        // What stepping it changed: the node's role and term first (they come first in
        // raft.Step), then what the message meant, then the commit index it moved.
        const c = notes[k + 1];
        const change = c?.kind === 'change' && c.msg === n.msg ? c : undefined;
        const b = change === undefined ? undefined : decodeBrief(change.before);
        const a = change === undefined ? undefined : decodeBrief(change.after);
        if (change !== undefined) this.noteRole(time, node, change, b!, a!, env.id);
        if (facts !== undefined) this.meaning(time, node, env, ev.msg, facts);
        else if (n.kind === 'ack') this.ack(time, node, env, ev.msg, decodeAck(n.p));
        if (change !== undefined) {
          this.noteCommit(time, node, change, b!, a!, env.id);
          k++;
        }
      }
    }
    for (; next < envs.length; next++) this.buffer.push(this.deliverEvent(time, node, envs[next]!, manual, undefined));
  }

  /** A leader took a follower's answer to an append (MsgAppResp). */
  private ack(time: number, node: number, env: Envelope, msg: MsgInfo, progress: AppendRespEvent['progress']): void {
    this.buffer.push({
      seq: -1,
      step: -1,
      kind: 'append-resp',
      time,
      node,
      follower: msg.from,
      reject: msg.reject,
      index: msg.index,
      hint: msg.reject ? { index: msg.rejectHint, term: msg.logTerm } : undefined,
      progress,
      envelope: env.id,
    });
  }

  private deliverEvent(
    time: number,
    node: number,
    env: Envelope,
    manual: boolean,
    facts: RecvFacts | undefined,
  ): DeliverEvent {
    return {
      seq: -1,
      step: -1,
      kind: 'deliver',
      time,
      node,
      from: env.from,
      envelope: env.id,
      msg: this.doneInfo(env),
      manual,
      facts,
    };
  }

  /** The protocol meaning of a delivered message, from what the receiver knew and answered. */
  private meaning(time: number, node: number, env: Envelope, msg: MsgInfo, f: RecvFacts): void {
    const b = f.before;
    switch (msg.type) {
      case 'MsgVote':
      case 'MsgPreVote': {
        const respType = msg.type === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
        const reply = findReply(f.replies, respType, msg.from);
        this.buffer.push({
          seq: -1,
          step: -1,
          kind: 'vote',
          time,
          node,
          candidate: msg.from,
          term: msg.term,
          preVote: msg.type === 'MsgPreVote',
          outcome: reply === undefined ? 'ignored' : reply.reject ? 'rejected' : 'granted',
          envelope: env.id,
          msg,
          facts: b,
        });
        break;
      }
      case 'MsgApp': {
        const reply = findReply(f.replies, 'MsgAppResp', msg.from);
        let outcome: 'accepted' | 'rejected' | 'stale' | 'committed';
        if (msg.term < b.term) outcome = 'stale';
        else if (reply === undefined) outcome = 'stale';
        else if (reply.reject) outcome = 'rejected';
        else if (msg.index < b.commit) outcome = 'committed';
        else outcome = 'accepted';
        this.buffer.push({
          seq: -1,
          step: -1,
          kind: 'append',
          time,
          node,
          leader: msg.from,
          term: msg.term,
          prevIndex: msg.index,
          prevTerm: msg.logTerm,
          entries: msg.entries,
          commit: msg.commit,
          outcome,
          lastIndex: outcome === 'accepted' && reply !== undefined ? reply.index : b.lastIndex,
          hint:
            outcome === 'rejected' && reply !== undefined
              ? { index: reply.rejectHint, term: reply.logTerm }
              : undefined,
          envelope: env.id,
          facts: b,
        });
        break;
      }
      default:
        break;
    }
  }

  // ---- host results ----

  /** A command other than step and cycle, with its result (tick, propose, get, compact...). */
  command(time: number, node: number, cmd: HostCommand, res: HostResult): void {
    if (!this.enabled) return;
    if (cmd.kind === 'tick') {
      this.buffer.push({ seq: -1, step: -1, kind: 'tick', time, node, count: cmd.count });
    } else if (cmd.kind !== 'observe' && cmd.kind !== 'cycle' && cmd.kind !== 'step') {
      const ev: Unstamped<ClusterEvent> = { kind: 'command', time, node, command: cmd.kind, ok: res.kind !== 'error' };
      if (res.kind === 'error') ev.error = res.message;
      this.push(ev);
    }
    const notes = res.notes;
    if (notes === undefined) return;
    for (const n of notes) {
      if (n.kind === 'request') this.proposal(time, node, cmd, n);
      else this.note(time, node, n, []);
    }
  }

  private proposal(time: number, node: number, cmd: HostCommand, n: Extract<HostNote, { kind: 'request' }>): void {
    const { before: facts, replies } = decodeRecv(n.f);
    let outcome: ProposalEvent['outcome'] = 'pending';
    let forwardedTo: number | undefined;
    if (n.error !== undefined) outcome = 'dropped';
    else if (n.appended !== undefined) outcome = 'appended';
    else {
      const fwd = replies.find(
        (r) => r.type === 'MsgProp' || r.type === 'MsgReadIndex' || r.type === 'MsgTransferLeader',
      );
      if (fwd !== undefined) {
        outcome = 'forwarded';
        forwardedTo = fwd.to;
      }
    }
    const ev: Unstamped<ProposalEvent> = { kind: 'proposal', time, node, request: n.request, outcome, facts };
    const op = 'op' in cmd ? cmd.op : undefined;
    if (op !== undefined) ev.op = op;
    if (n.appended !== undefined) ev.appended = n.appended;
    if (forwardedTo !== undefined) ev.forwardedTo = forwardedTo;
    if (n.error !== undefined) ev.error = n.error;
    this.push(ev);
  }

  /** A state change the host measured: role, campaign, vote, commit, transfer events. */
  private note(time: number, node: number, n: HostNote, envs: readonly Envelope[]): void {
    if (n.kind !== 'change') return;
    const envelope = n.msg === undefined ? undefined : envs[n.msg]?.id;
    const b = decodeBrief(n.before);
    const a = decodeBrief(n.after);
    this.noteRole(time, node, n, b, a, envelope);
    this.noteCommit(time, node, n, b, a, envelope);
  }

  /** The role, campaign and vote parts of a change. */
  private noteRole(
    time: number,
    node: number,
    n: ChangeNote,
    b: StateBrief,
    a: StateBrief,
    envelope: number | undefined,
  ): void {
    const cause = n.cause;
    if (a.role !== b.role || a.term !== b.term || a.lead !== b.lead)
      this.buffer.push({
        seq: -1,
        step: -1,
        kind: 'role',
        time,
        node,
        role: a.role,
        term: a.term,
        lead: a.lead,
        prev: { role: b.role, term: b.term, lead: b.lead },
        cause,
        envelope,
        votes: n.votes,
      });
    const c = n.campaign;
    if (c !== undefined) {
      const preVote = a.role === 'pre-candidate';
      this.buffer.push({
        seq: -1,
        step: -1,
        kind: 'campaign',
        time,
        node,
        term: preVote ? a.term + 1 : a.term,
        preVote,
        cause,
        envelope,
        lastIndex: c.lastIndex,
        lastTerm: c.lastTerm,
        voters: c.voters,
      });
    }
    if (a.vote !== b.vote)
      this.buffer.push({ seq: -1, step: -1, kind: 'voted', time, node, vote: a.vote, term: a.term, cause, envelope });
  }

  /** The commit and transfer parts of a change. */
  private noteCommit(
    time: number,
    node: number,
    n: ChangeNote,
    b: StateBrief,
    a: StateBrief,
    envelope: number | undefined,
  ): void {
    if (a.commit !== b.commit)
      this.buffer.push({
        seq: -1,
        step: -1,
        kind: 'commit',
        time,
        node,
        from: b.commit,
        to: a.commit,
        term: a.term,
        role: a.role,
        cause: n.cause,
        envelope,
        quorum: n.quorum,
        entries: n.committed?.entries ?? [],
        more: n.committed?.more ?? 0,
      });
    if (a.leadTransferee !== b.leadTransferee)
      this.push({ kind: 'transfer', time, node, target: a.leadTransferee, prev: b.leadTransferee, cause: n.cause });
  }

  /** One Ready cycle: the record, what it persisted (and snapshots). Call before its messages are sent. */
  cycle(time: number, node: number, rec: CycleRecord): void {
    if (!this.enabled) return;
    const rd = rec.ready;
    const w = rec.persisted;
    const ss = rd.softState;
    const rhs = rd.hardState;
    this.buffer.push({
      seq: -1,
      step: -1,
      kind: 'cycle',
      time,
      node,
      stages: rec.stagesDone,
      softState: ss === undefined ? undefined : { role: roleName(ss.raftState), lead: ss.lead },
      hardState: rhs === undefined ? undefined : { term: rhs.term, vote: rhs.vote, commit: rhs.commit },
      entries: entryRange(rd.entries),
      committed: entryRange(rd.committedEntries),
      sent: rec.sent.length,
      committedIds: entryIds(rd.committedEntries),
      persistedIds: w === undefined ? [] : entryIds(w.entries),
    });
    if (w === undefined) return;
    const hs = w.hardState;
    const range = entryRange(w.entries);
    const snap = w.snapshot?.metadata;
    if (hs !== undefined || range !== undefined || snap !== undefined)
      this.buffer.push({
        seq: -1,
        step: -1,
        kind: 'persist',
        time,
        node,
        hardState: hs === undefined ? undefined : { term: hs.term, vote: hs.vote, commit: hs.commit },
        entries: range,
        snapshot: snap === undefined ? undefined : { index: snap.index, term: snap.term },
      });
    if (w.snapshot !== undefined)
      this.push({
        kind: 'snapshot',
        time,
        node,
        action: 'installed',
        index: w.snapshot.metadata.index,
        term: w.snapshot.metadata.term,
      });
    if (w.ownSnapshot !== undefined)
      this.push({
        kind: 'snapshot',
        time,
        node,
        action: 'taken',
        index: w.ownSnapshot.snapshot.metadata.index,
        term: w.ownSnapshot.snapshot.metadata.term,
        compactedTo: w.ownSnapshot.compactedTo,
      });
  }

  /** The rest of a Ready cycle, after its messages were sent: applied entries, configs, read states, changes. */
  cycleEnd(time: number, node: number, rec: CycleRecord): void {
    if (!this.enabled) return;
    if (rec.applied.length > 0) {
      this.buffer.push({
        seq: -1,
        step: -1,
        kind: 'apply',
        time,
        node,
        entries: rec.applied,
        appliedTo: rec.applied[rec.applied.length - 1]!.index,
      });
      for (const a of rec.applied) {
        const cs = a.confState;
        if (a.kind !== 'confchange' || cs === undefined) continue;
        this.push({
          kind: 'config',
          time,
          node,
          index: a.index,
          summary: a.summary,
          voters: cs.voters,
          outgoing: cs.votersOutgoing,
          learners: cs.learners,
          learnersNext: cs.learnersNext,
        });
      }
    }
    if (rec.readStates.length > 0)
      this.push({
        kind: 'read-state',
        time,
        node,
        states: rec.readStates.map((s) => ({ index: s.index, context: decoder.decode(s.requestCtx) })),
      });
    for (const n of rec.notes ?? []) this.note(time, node, n, []);
  }

  log(time: number, lines: readonly LogLine[]): void {
    if (!this.enabled) return;
    for (const l of lines) this.push({ kind: 'log', time, node: l.node, level: l.level, text: l.text });
  }

  // ---- nodes and faults ----

  nodeStart(time: number, node: number, voters: number[], learners: number[]): void {
    if (this.enabled) this.push({ kind: 'node-start', time, node, voters: voters.slice(), learners: learners.slice() });
  }

  crash(time: number, node: number, incarnation: number): void {
    if (this.enabled) this.push({ kind: 'crash', time, node, incarnation });
  }

  restart(time: number, node: number, incarnation: number, hs: { term: number; vote: number; commit: number }): void {
    if (this.enabled)
      this.push({ kind: 'restart', time, node, incarnation, term: hs.term, vote: hs.vote, commit: hs.commit });
  }

  removed(time: number, node: number): void {
    if (this.enabled) this.push({ kind: 'node-removed', time, node });
  }

  pause(time: number, node: number, paused: boolean): void {
    if (this.enabled) this.push({ kind: paused ? 'pause' : 'resume', time, node });
  }

  panic(time: number, node: number, message: string): void {
    if (this.enabled) this.push({ kind: 'panic', time, node, message });
  }

  partition(time: number, groups: number[][]): void {
    if (this.enabled) this.push({ kind: 'partition', time, node: 0, groups: groups.map((g) => g.slice()) });
  }

  heal(time: number): void {
    if (this.enabled) this.push({ kind: 'heal', time, node: 0 });
  }

  cut(time: number, from: number, to: number, oneWay: boolean, up: boolean): void {
    if (this.enabled) this.push({ kind: 'cut', time, node: 0, from, to, oneWay, up });
  }

  linkFaults(
    time: number,
    scope: 'link' | 'global' | 'clear',
    faults: Partial<LinkFaults>,
    from?: number,
    to?: number,
  ): void {
    if (!this.enabled) return;
    const ev: Unstamped<ClusterEvent> = { kind: 'link-faults', time, node: 0, scope, faults: { ...faults } };
    if (from !== undefined) ev.from = from;
    if (to !== undefined) ev.to = to;
    this.push(ev);
  }

  // ---- client and user ----

  request(time: number, op: ClientOp, detail: string): void {
    if (!this.enabled) return;
    const ev: Unstamped<ClusterEvent> = {
      kind: 'request',
      time,
      node: op.node,
      op: op.id,
      client: op.client,
      opKind: op.kind,
      requestId: op.requestId,
      detail,
    };
    if (op.key !== undefined) ev.key = op.key;
    if (op.value !== undefined) ev.value = op.value;
    this.push(ev);
  }

  response(time: number, op: ClientOp): void {
    if (!this.enabled || op.status === 'pending') return;
    const ev: Unstamped<ClusterEvent> = {
      kind: 'response',
      time,
      node: op.node,
      op: op.id,
      opKind: op.kind,
      status: op.status,
    };
    if (op.result !== undefined) ev.result = op.result;
    this.push(ev);
  }

  /** A user action; returns its event, so that a refusal can be added to it (undefined when off). */
  action(time: number, name: string, args: unknown[]): ActionEvent | undefined {
    if (!this.enabled) return undefined;
    const ev: Unstamped<ActionEvent> = { kind: 'action', time, node: 0, name, args };
    this.push(ev);
    return ev as ActionEvent;
  }
}
