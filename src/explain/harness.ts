// etcd's interaction files as ClusterEvents: runs a data-driven script through the
// InteractionEnv (src/interaction) and records what every command did as the same
// event kinds a Cluster publishes, so a harness run can be narrated (and later played
// in the UI).
//
// The harness has no bus and no hosts: messages wait in env.messages until a command
// delivers them, Readys are handled only when asked. So the recorder watches the
// environment from outside, without changing it:
//   - each node's RawNode is wrapped (on that instance only) so that every raft call
//     goes through a RaftProbe, as in a NodeHost: ticks, steps, campaigns, proposals,
//     Ready and Advance yield the same notes, and the same EventSink turns them into
//     events (deliver with facts, vote, append, role, campaign, commit...);
//   - each node's storage is wrapped to see what is persisted; its state machine
//     history to see what is applied;
//   - env.messages is compared before and after each step to see messages appear
//     (sends, numbered like bus envelopes) and vanish without being delivered (drops);
//   - the logger is wrapped to record raft's log lines (etcd's words).
// Every directive is one step (step = its 1-based position; boot is step 0), and its
// time is the step. The output of every command is left exactly as etcd prints it.

import type { ClusterEvent } from '../cluster/events';
import { EventSink } from '../cluster/eventSink';
import { entryRange, summarizeEntry } from '../cluster/eventFacts';
import type { AppliedEntry, CycleRecord, HostCommand, HostResult } from '../cluster/protocol';
import { RaftProbe } from '../cluster/raftProbe';
import type { Envelope } from '../cluster/bus';
import { RaftError } from '../raft/errors';
import { asV2, confChangesToString } from '../raft/raftpb/confchange';
import type { ConfChangeV2, Entry, HardState, Message, Snapshot } from '../raft/raftpb/types';
import { isLocalMsgTarget, type Ready } from '../raft/types';
import { parseDataDriven, type TestData } from '../interaction/datadriven';
import { handlers } from '../interaction/env/handler';
import { setRandomizedElectionTimeout } from '../interaction/env/handlerSetRandomizedElectionTimeout';
import { InteractionEnv, type InteractionNode } from '../interaction/env/interactionEnv';
import { normalizeOutput } from '../interaction/runner';

/** The outcome of one directive. */
export interface HarnessCase {
  pos: string;
  directive: string;
  step: number;
  /** What the command printed (exactly as the interaction driver prints it), and what the file expects. */
  actual: string;
  expected: string;
}

export interface HarnessRun {
  events: ClusterEvent[];
  cases: HarnessCase[];
}

const decoder = new TextDecoder();

/** Node ids of the environment are positions + 1; local storage threads have huge ids. */
function nodeOf(id: number): number {
  return isLocalMsgTarget(id) ? 0 : id;
}

class HarnessRecorder {
  readonly events: ClusterEvent[] = [];
  private readonly sink = new EventSink();
  private step = 0;
  private seq = 0;
  /** The node whose raft call is running (log lines are attributed to it). */
  private current = 0;
  private nextEnvelope = 1;
  private readonly envelopes = new WeakMap<Message, Envelope>();
  /** Messages in env.messages after the last look, and those stepped since. */
  private queued = new Set<Message>();
  private readonly stepped = new WeakSet<Message>();
  private readonly wrapped = new WeakSet<InteractionNode>();
  /** Per node: entries of the state machine history already reported as applied. */
  private readonly appliedSeen = new Map<number, number>();
  /** Per node: conf changes applied, by index, waiting for their history entry. */
  private readonly confApplied = new Map<number, Map<number, string>>();

  constructor(private readonly env: InteractionEnv) {
    this.wrapLogger();
  }

  private get time(): number {
    return this.step;
  }

  /** Stamps and keeps what the sink produced. */
  private collect(): void {
    for (const e of this.sink.drain()) {
      e.step = this.step;
      e.seq = this.seq++;
      this.events.push(e);
    }
  }

  runCase(td: TestData, index: number): string {
    this.step = index + 1;
    this.sink.action(
      this.time,
      td.cmd,
      td.cmdArgs.map((a) => (a.vals.length === 0 ? a.key : `${a.key}=${a.vals.join(',')}`)),
    );
    const out = this.env.handle(td, handlers);
    this.look(true);
    this.wrapNew();
    this.collect();
    return out;
  }

  // ---- the logger ----

  private wrapLogger(): void {
    const out = this.env.output;
    const levels = [
      ['debug', 'DEBUG'],
      ['info', 'INFO'],
      ['warning', 'WARN'],
      ['error', 'ERROR'],
      ['fatal', 'FATAL'],
      ['panic', 'PANIC'],
    ] as const;
    for (const [method, level] of levels) {
      const orig = out[method].bind(out) as (msg: string) => void;
      (out as unknown as Record<string, (msg: string) => void>)[method] = (msg: string) => {
        this.sink.log(this.time, [{ node: this.current, level, text: msg }]);
        orig(msg);
      };
    }
  }

  // ---- messages ----

  private envelope(m: Message): Envelope {
    let env = this.envelopes.get(m);
    if (env === undefined) {
      env = {
        id: this.nextEnvelope++,
        from: nodeOf(m.from),
        to: nodeOf(m.to),
        msg: m,
        sendTime: this.time,
        dueTime: this.time,
        size: 0,
        held: false,
        duplicateOf: undefined,
      };
      this.envelopes.set(m, env);
      this.sink.send(this.time, env, true);
    }
    return env;
  }

  /**
   * Sends (messages new in env.messages) and applied entries; at the end of a command
   * (final) also drops: messages that were queued and left without being delivered.
   * (During a command, deliver-msgs takes a node's messages off the queue before it
   * steps them one by one, so only the end can tell.)
   */
  private look(final = false): void {
    for (const m of this.env.messages) {
      this.envelope(m);
      this.queued.add(m);
    }
    for (let i = 0; i < this.env.nodes.length; i++) this.lookApplied(i + 1);
    if (!final) return;
    const now = new Set(this.env.messages);
    for (const m of this.queued) {
      if (now.has(m) || this.stepped.has(m)) continue;
      this.sink.drop(this.time, this.envelope(m), 'manual');
    }
    this.queued = now;
  }

  // ---- nodes ----

  private wrapNew(): void {
    this.env.nodes.forEach((n, i) => {
      if (this.wrapped.has(n)) return;
      this.wrapped.add(n);
      const id = i + 1;
      const cs = n.storage.initialState().confState;
      this.sink.nodeStart(this.time, id, cs.voters, cs.learners);
      this.appliedSeen.set(id, n.history.length);
      this.wrapNode(id, n);
    });
  }

  /** Reports the entries the node's state machine applied since the last look. */
  private lookApplied(id: number): void {
    const n = this.env.nodes[id - 1];
    if (n === undefined) return;
    const seen = this.appliedSeen.get(id) ?? n.history.length;
    if (seen >= n.history.length) return;
    const applied: AppliedEntry[] = [];
    const confs = this.confApplied.get(id);
    for (let k = seen; k < n.history.length; k++) {
      const prev = n.history[k - 1]!;
      const s = n.history[k]!;
      const added = s.data.subarray(prev.data.length);
      const conf = confs?.get(s.metadata.index);
      const a: AppliedEntry = {
        index: s.metadata.index,
        term: s.metadata.term,
        kind: conf !== undefined ? 'confchange' : added.length === 0 ? 'empty' : 'normal',
        summary: conf ?? (added.length === 0 ? 'empty' : decoder.decode(added)),
      };
      if (conf !== undefined) a.confState = s.metadata.confState;
      applied.push(a);
    }
    this.appliedSeen.set(id, n.history.length);
    const rec = this.record(id, undefined, ['apply'], [], applied);
    this.sink.cycleEnd(this.time, id, rec);
  }

  private record(
    id: number,
    rd: Ready | undefined,
    stages: CycleRecord['stagesDone'],
    sent: Message[],
    applied: AppliedEntry[],
  ): CycleRecord {
    const ready: Ready = rd ?? {
      softState: undefined,
      hardState: undefined,
      readStates: [],
      entries: [],
      snapshot: undefined,
      committedEntries: [],
      messages: [],
      mustSync: false,
    };
    return {
      node: id,
      ready,
      readyText: '',
      stagesDone: stages,
      sent,
      applied,
      readStates: ready.readStates,
      logLines: [],
    };
  }

  private wrapNode(id: number, n: InteractionNode): void {
    const rn = n.rawNode;
    const probe = new RaftProbe(rn, 'appender');
    const sink = this.sink;
    /** Runs f as node id (its log lines, its probe), then turns the probe's notes into events. */
    const as = <T>(f: () => T): T => {
      const prev = this.current;
      this.current = id;
      try {
        return f();
      } finally {
        this.current = prev;
      }
    };
    const result = (): HostResult => {
      const notes = probe.take();
      const r: HostResult = { kind: 'ok', logLines: [] };
      if (notes !== undefined) r.notes = notes;
      return r;
    };
    const command = (cmd: HostCommand, f: () => void): void => {
      this.look();
      let failure: unknown;
      as(() => {
        try {
          f();
        } catch (e) {
          failure = e;
        }
      });
      const r = result();
      sink.command(this.time, id, cmd, failure === undefined ? r : { ...r, kind: 'error', message: String(failure) });
      this.collect();
      if (failure !== undefined) throw failure;
    };

    const step = rn.step.bind(rn);
    rn.step = (m: Message) => {
      this.look();
      const env = this.envelope(m);
      this.stepped.add(m);
      let thrown: unknown;
      as(() =>
        probe.step(m, 0, () => {
          try {
            step(m);
          } catch (e) {
            thrown = e;
            throw e;
          }
        }),
      );
      sink.deliver(this.time, id, [env], true, result());
      this.collect();
      if (thrown instanceof RaftError) throw thrown;
    };
    const tick = rn.tick.bind(rn);
    rn.tick = () => command({ kind: 'tick', count: 1 }, () => probe.run('tick', tick));
    const campaign = rn.campaign.bind(rn);
    rn.campaign = () => command({ kind: 'campaign' }, () => probe.run('campaign', campaign));
    const propose = rn.propose.bind(rn);
    rn.propose = (data: Uint8Array) =>
      command({ kind: 'propose', data }, () => probe.request('propose', 'propose', () => propose(data)));
    const proposeCC = rn.proposeConfChange.bind(rn);
    rn.proposeConfChange = (cc) =>
      command({ kind: 'proposeConfChange', cc: cc as ConfChangeV2 }, () =>
        probe.request('confchange', 'propose', () => proposeCC(cc)),
      );
    const readIndex = rn.readIndex.bind(rn);
    rn.readIndex = (ctx: Uint8Array) =>
      command({ kind: 'readIndex', ctx }, () => probe.request('readIndex', 'readIndex', () => readIndex(ctx)));
    const transfer = rn.transferLeader.bind(rn);
    rn.transferLeader = (to: number) =>
      command({ kind: 'transferLeader', to }, () =>
        probe.request('transferLeader', 'transferLeader', () => transfer(to)),
      );
    const forget = rn.forgetLeader.bind(rn);
    rn.forgetLeader = () => command({ kind: 'forgetLeader' }, () => probe.run('forgetLeader', forget));
    const unreachable = rn.reportUnreachable.bind(rn);
    rn.reportUnreachable = (to: number) =>
      command({ kind: 'reportUnreachable', id: to }, () => probe.run('reportUnreachable', () => unreachable(to)));
    const applyCC = rn.applyConfChange.bind(rn);
    rn.applyConfChange = (cc) => {
      const out = as(() => probe.run('apply', () => applyCC(cc)));
      // The index is that of the entry being applied: the next history snapshot's.
      const hist = n.history;
      const next = hist.length;
      const idx = (hist[next - 1]?.metadata.index ?? 0) + 1;
      let m = this.confApplied.get(id);
      if (m === undefined) this.confApplied.set(id, (m = new Map()));
      const changes = asV2(cc).changes;
      m.set(idx, changes.length > 0 ? confChangesToString(changes) : 'leave-joint');
      sink.cycleEnd(this.time, id, { ...this.record(id, undefined, [], [], []), notes: probe.take() ?? [] });
      this.collect();
      return out;
    };
    const ready = rn.ready.bind(rn);
    rn.ready = () => {
      this.look();
      const rd = as(ready);
      const sent = rd.messages.filter((m) => !isLocalMsgTarget(m.to));
      sink.cycle(this.time, id, this.record(id, rd, [], sent, []));
      if (rd.readStates.length > 0) sink.cycleEnd(this.time, id, this.record(id, rd, [], [], []));
      for (const m of sent) this.envelope(m);
      this.collect();
      return rd;
    };
    const advance = rn.advance.bind(rn);
    rn.advance = (rd: Ready) => {
      this.look();
      as(() => probe.run('advance', () => advance(rd)));
      sink.cycleEnd(this.time, id, { ...this.record(id, undefined, [], [], []), notes: probe.take() ?? [] });
      this.collect();
    };
    // Storage writes: what is persisted, as a host's persist stage reports it.
    const st = n.storage;
    const setHS = st.setHardState.bind(st);
    st.setHardState = (hs: HardState) => {
      setHS(hs);
      sink.cycle(this.time, id, {
        ...this.record(id, undefined, ['persist'], [], []),
        persisted: { hardState: hs, entries: [] },
      });
      this.dropCycleEvent();
      this.collect();
    };
    const append = st.append.bind(st);
    st.append = (ents: Entry[]) => {
      append(ents);
      if (entryRange(ents) === undefined) return;
      sink.cycle(this.time, id, { ...this.record(id, undefined, ['persist'], [], []), persisted: { entries: ents } });
      this.dropCycleEvent();
      this.collect();
    };
    const applySnap = st.applySnapshot.bind(st);
    st.applySnapshot = (snap: Snapshot) => {
      applySnap(snap);
      sink.cycle(this.time, id, {
        ...this.record(id, undefined, ['persist'], [], []),
        persisted: { entries: [], snapshot: snap },
      });
      this.dropCycleEvent();
      this.collect();
    };
  }

  /** sink.cycle reports a 'cycle' event first; a storage write alone is no Ready cycle. */
  private dropCycleEvent(): void {
    const b = this.sink.buffer;
    const i = b.findIndex((e) => e.kind === 'cycle');
    if (i >= 0) b.splice(i, 1);
  }
}

/**
 * Runs a data-driven interaction script (the text of an etcd testdata file) and
 * returns its events and each directive's output. The outputs are those of the
 * plain interaction driver (the recording changes nothing).
 */
export function harnessRun(text: string, name = 'script'): HarnessRun {
  const cases = parseDataDriven(text, name);
  const env = new InteractionEnv({ setRandomizedElectionTimeout });
  const rec = new HarnessRecorder(env);
  const out: HarnessCase[] = [];
  cases.forEach((td, i) => {
    const actual = normalizeOutput(rec.runCase(td, i));
    out.push({ pos: td.pos, directive: td.directive, step: i + 1, actual, expected: td.expected });
  });
  return { events: rec.events, cases: out };
}

/** Entry summaries for the appender state machine (the harness's): the payload as text. */
export function harnessEntrySummary(e: Entry): string {
  return summarizeEntry(e, 'appender').summary;
}
