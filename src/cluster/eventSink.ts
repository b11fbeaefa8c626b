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

import { MsgSnap, type Message } from '../raft/raftpb/types';
import type { DropReason, Envelope, LinkFaults } from './bus';
import type { ClientOp } from './client';
import type { ActionEvent, ClusterEvent, DeliverEvent, MsgInfo, ProposalEvent, RecvFacts } from './events';
import { entryRange, msgInfo } from './eventFacts';
import type { CycleRecord, HostCommand, HostNote, HostResult, LogLine } from './protocol';

type Unstamped<E> = E extends ClusterEvent ? Omit<E, 'seq' | 'step'> : never;

const decoder = new TextDecoder();

type ChangeNote = Extract<HostNote, { kind: 'change' }>;

export class EventSink {
  /** Events since the last drain, in order; seq and step are stamped by the Cluster. */
  buffer: ClusterEvent[] = [];
  /** false: nothing is recorded (replaying steps whose events are already stored). */
  enabled = true;
  /** Message fields by message object: a send, its delivery and its duplicates share one. */
  private readonly infos = new WeakMap<Message, MsgInfo>();

  /** Takes the buffered events. */
  drain(): ClusterEvent[] {
    const b = this.buffer;
    this.buffer = [];
    return b;
  }

  private push(ev: Unstamped<ClusterEvent>): void {
    const e = ev as ClusterEvent;
    e.seq = -1;
    e.step = -1;
    this.buffer.push(e);
  }

  private info(m: Message): MsgInfo {
    let i = this.infos.get(m);
    if (i === undefined) this.infos.set(m, (i = msgInfo(m)));
    return i;
  }

  // ---- messages ----

  /** A message handed to the bus: enqueued (due set) or dropped at once (due undefined). */
  send(time: number, env: Envelope, enqueued: boolean, manual = false): void {
    if (!this.enabled) return;
    const msg = this.info(env.msg);
    const ev: Unstamped<ClusterEvent> = { kind: 'send', time, node: env.from, to: env.to, envelope: env.id, msg };
    if (enqueued) ev.due = env.dueTime;
    if (env.duplicateOf !== undefined) ev.duplicateOf = env.duplicateOf;
    if (manual) ev.manual = true;
    this.push(ev);
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
    this.push({
      kind: 'drop',
      time,
      node: env.to,
      from: env.from,
      envelope: env.id,
      msg: this.info(env.msg),
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
    const notes = res?.notes ?? [];
    let next = 0;
    const plainUpTo = (end: number) => {
      for (; next < end && next < envs.length; next++) this.push(this.deliverEvent(time, node, envs[next]!, manual));
    };
    for (let k = 0; k < notes.length; k++) {
      const n = notes[k]!;
      if (n.kind !== 'recv') {
        this.note(time, node, n, envs);
        continue;
      }
      plainUpTo(n.msg);
      const env = envs[n.msg];
      if (env === undefined) continue;
      const ev = this.deliverEvent(time, node, env, manual);
      ev.facts = n.facts;
      this.push(ev);
      next = n.msg + 1;
      // What stepping it changed: the node's role and term first (they come first in
      // raft.Step), then what the message meant, then the commit index it moved.
      const c = notes[k + 1];
      const change = c?.kind === 'change' && c.msg === n.msg ? c : undefined;
      if (change !== undefined) this.noteRole(time, node, change, env.id);
      this.meaning(time, node, env, ev.msg, n.facts);
      if (change !== undefined) {
        this.noteCommit(time, node, change, env.id);
        k++;
      }
    }
    plainUpTo(envs.length);
  }

  private deliverEvent(time: number, node: number, env: Envelope, manual: boolean): Unstamped<DeliverEvent> {
    return { kind: 'deliver', time, node, from: env.from, envelope: env.id, msg: this.info(env.msg), manual };
  }

  /** The protocol meaning of a delivered message, from what the receiver knew and answered. */
  private meaning(time: number, node: number, env: Envelope, msg: MsgInfo, f: RecvFacts): void {
    const b = f.before;
    switch (msg.type) {
      case 'MsgVote':
      case 'MsgPreVote': {
        const respType = msg.type === 'MsgVote' ? 'MsgVoteResp' : 'MsgPreVoteResp';
        const reply = f.replies.find((r) => r.type === respType && r.to === msg.from);
        this.push({
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
        const reply = f.replies.find((r) => r.type === 'MsgAppResp' && r.to === msg.from);
        let outcome: 'accepted' | 'rejected' | 'stale' | 'committed';
        if (msg.term < b.term) outcome = 'stale';
        else if (reply === undefined) outcome = 'stale';
        else if (reply.reject) outcome = 'rejected';
        else if (msg.index < b.commit) outcome = 'committed';
        else outcome = 'accepted';
        const ev: Unstamped<ClusterEvent> = {
          kind: 'append',
          time,
          node,
          leader: msg.from,
          term: msg.term,
          prevIndex: msg.index,
          prevTerm: msg.logTerm,
          commit: msg.commit,
          outcome,
          lastIndex: outcome === 'accepted' && reply !== undefined ? reply.index : b.lastIndex,
          envelope: env.id,
          facts: b,
        };
        if (msg.entries !== undefined) ev.entries = msg.entries;
        if (outcome === 'rejected' && reply !== undefined) ev.hint = { index: reply.rejectHint, term: reply.logTerm };
        this.push(ev);
        break;
      }
      case 'MsgAppResp': {
        if (b.role !== 'leader' || msg.term !== b.term) break;
        const ev: Unstamped<ClusterEvent> = {
          kind: 'append-resp',
          time,
          node,
          follower: msg.from,
          reject: msg.reject,
          index: msg.index,
          envelope: env.id,
        };
        if (msg.reject) ev.hint = { index: msg.rejectHint, term: msg.logTerm };
        if (f.progress !== undefined) ev.progress = f.progress;
        this.push(ev);
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
      this.push({ kind: 'tick', time, node, count: cmd.count });
    } else if (cmd.kind !== 'observe' && cmd.kind !== 'cycle' && cmd.kind !== 'step') {
      const ev: Unstamped<ClusterEvent> = { kind: 'command', time, node, command: cmd.kind, ok: res.kind !== 'error' };
      if (res.kind === 'error') ev.error = res.message;
      this.push(ev);
    }
    for (const n of res.notes ?? []) {
      if (n.kind === 'request') this.proposal(time, node, cmd, n);
      else this.note(time, node, n, []);
    }
  }

  private proposal(time: number, node: number, cmd: HostCommand, n: Extract<HostNote, { kind: 'request' }>): void {
    let outcome: ProposalEvent['outcome'] = 'pending';
    let forwardedTo: number | undefined;
    if (n.error !== undefined) outcome = 'dropped';
    else if (n.appended !== undefined) outcome = 'appended';
    else {
      const fwd = n.replies.find(
        (r) => r.type === 'MsgProp' || r.type === 'MsgReadIndex' || r.type === 'MsgTransferLeader',
      );
      if (fwd !== undefined) {
        outcome = 'forwarded';
        forwardedTo = fwd.to;
      }
    }
    const ev: Unstamped<ProposalEvent> = { kind: 'proposal', time, node, request: n.request, outcome, facts: n.facts };
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
    this.noteRole(time, node, n, envelope);
    this.noteCommit(time, node, n, envelope);
  }

  /** The role, campaign and vote parts of a change. */
  private noteRole(time: number, node: number, n: ChangeNote, envelope: number | undefined): void {
    const { before: b, after: a, cause } = n;
    const withEnv = <T extends object>(ev: T): T => (envelope === undefined ? ev : { ...ev, envelope });
    if (a.role !== b.role || a.term !== b.term || a.lead !== b.lead) {
      const ev: Unstamped<ClusterEvent> = withEnv({
        kind: 'role' as const,
        time,
        node,
        role: a.role,
        term: a.term,
        lead: a.lead,
        prev: { role: b.role, term: b.term, lead: b.lead },
        cause,
      });
      if (n.votes !== undefined) ev.votes = n.votes;
      this.push(ev);
    }
    if (n.campaign !== undefined) {
      const preVote = a.role === 'pre-candidate';
      this.push(
        withEnv({
          kind: 'campaign' as const,
          time,
          node,
          term: preVote ? a.term + 1 : a.term,
          preVote,
          cause,
          lastIndex: n.campaign.lastIndex,
          lastTerm: n.campaign.lastTerm,
          voters: n.campaign.voters,
        }),
      );
    }
    if (a.vote !== b.vote)
      this.push(withEnv({ kind: 'voted' as const, time, node, vote: a.vote, term: a.term, cause }));
  }

  /** The commit and transfer parts of a change. */
  private noteCommit(time: number, node: number, n: ChangeNote, envelope: number | undefined): void {
    const { before: b, after: a, cause } = n;
    if (a.commit !== b.commit) {
      const ev: Unstamped<ClusterEvent> = {
        kind: 'commit' as const,
        time,
        node,
        from: b.commit,
        to: a.commit,
        term: a.term,
        role: a.role,
        cause,
        entries: n.committed?.entries ?? [],
        more: n.committed?.more ?? 0,
      };
      if (envelope !== undefined) ev.envelope = envelope;
      if (n.quorum !== undefined) ev.quorum = n.quorum;
      this.push(ev);
    }
    if (a.leadTransferee !== b.leadTransferee)
      this.push({ kind: 'transfer', time, node, target: a.leadTransferee, prev: b.leadTransferee, cause });
  }

  /** One Ready cycle: the record, what it persisted (and snapshots). Call before its messages are sent. */
  cycle(time: number, node: number, rec: CycleRecord): void {
    if (!this.enabled) return;
    this.push({ kind: 'cycle', time, node, stages: rec.stagesDone, record: rec });
    const w = rec.persisted;
    if (w === undefined) return;
    const hs = w.hardState;
    const range = entryRange(w.entries);
    if (hs !== undefined || range !== undefined || w.snapshot !== undefined) {
      const ev: Unstamped<ClusterEvent> = { kind: 'persist', time, node };
      if (hs !== undefined) ev.hardState = { term: hs.term, vote: hs.vote, commit: hs.commit };
      if (range !== undefined) ev.entries = range;
      if (w.snapshot !== undefined) ev.snapshot = { index: w.snapshot.metadata.index, term: w.snapshot.metadata.term };
      this.push(ev);
    }
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
      this.push({
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
