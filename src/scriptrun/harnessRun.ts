// One run of etcd's interaction harness, command by command, seen the way the UI sees
// a cluster: after each command, a ClusterObservation of the harness's nodes (built
// from each RawNode's status and raft state and its MemoryStorage), the messages the
// harness holds (env.messages) as envelopes in flight, the last Ready each node
// processed, and the raft log lines printed so far.
//
// Looking is free of side effects: it reads RawNode.status/hasReady and the storage's
// fields (not its methods, which count calls), so a run observed after every command
// prints exactly what an unobserved one prints.
//
// Message ids: the harness's messages have none. Each message gets the next id the
// first time it is seen queued after a command, so a replay of the same commands gives
// the same ids (a seek back rebuilds the run and finds the same numbers).

import type { DiskSummary, ClusterNodeObservation, ClusterObservation } from '../cluster/cluster';
import { messageSize, type Envelope } from '../cluster/bus';
import type {
  AppliedEntry,
  CycleRecord,
  DiskState,
  LogLine,
  NodeObservation,
  ProgressObservation,
} from '../cluster/protocol';
import type { TestData } from '../interaction/datadriven';
import { handlers } from '../interaction/env/handler';
import { setRandomizedElectionTimeout } from '../interaction/env/handlerSetRandomizedElectionTimeout';
import { InteractionEnv, type InteractionNode } from '../interaction/env/interactionEnv';
import { defaultEntryFormatter, describeEntry, describeReady } from '../raft/describe';
import { EntryConfChange, EntryConfChangeV2, type Message } from '../raft/raftpb/types';
import { stateTypeNames as progressStateNames } from '../raft/tracker/state';
import { isEmptyHardState, isEmptySnap, isLocalMsgTarget, type Ready } from '../raft/types';

/** The event log keeps this many lines, like the cluster's. */
const maxLogLines = 500;
const logLine = /^\s*(DEBUG|INFO|WARN|ERROR|FATAL) (.*)$/;

/** As runner.ts's normalizeOutput: datadriven adds a missing trailing newline before comparing. */
export function normalizeOutput(s: string): string {
  return s === '' || s.endsWith('\n') ? s : s + '\n';
}

function appliedOf(e: Ready['committedEntries'][number]): AppliedEntry {
  const conf = e.type === EntryConfChange || e.type === EntryConfChangeV2;
  const kind = conf ? 'confchange' : e.data.length === 0 ? 'empty' : 'normal';
  // "term/index Type payload" without the position, which the entry's fields carry.
  const summary = kind === 'empty' ? 'empty' : describeEntry(e, defaultEntryFormatter).replace(/^\S+ \S+ ?/, '');
  return { index: e.index, term: e.term, kind, summary };
}

function storageIndices(n: InteractionNode): { first: number; last: number } {
  const ents = n.storage.ents;
  const offset = ents[0]!.index;
  return { first: offset + 1, last: offset + ents.length - 1 };
}

function diskSummary(n: InteractionNode): DiskSummary {
  const s = n.storage;
  const { first, last } = storageIndices(n);
  return {
    term: s.hardState.term,
    vote: s.hardState.vote,
    commit: s.hardState.commit,
    snapshotIndex: s.snap.metadata.index,
    snapshotTerm: s.snap.metadata.term,
    firstIndex: first,
    lastIndex: last,
  };
}

/**
 * Whether committed but unapplied entries include a conf change (raft's
 * hasUnappliedConfChanges), read from the storage's and the unstable log's fields so
 * that looking counts no storage calls.
 */
function unappliedConfChange(n: InteractionNode): boolean {
  const log = n.rawNode.raft.raftLog;
  const lo = log.applied + 1;
  const hi = log.committed;
  if (lo > hi) return false;
  const cc = (e: { index: number; type: number }) =>
    e.index >= lo && e.index <= hi && (e.type === EntryConfChange || e.type === EntryConfChangeV2);
  return n.storage.ents.some(cc) || log.unstable.entries.some(cc);
}

function observeNode(n: InteractionNode): NodeObservation {
  const rn = n.rawNode;
  const r = rn.raft;
  const st = rn.status();
  const progress: ProgressObservation[] = [...st.progress.keys()]
    .sort((a, b) => a - b)
    .map((id) => {
      const pr = st.progress.get(id)!;
      return {
        id,
        match: pr.match,
        next: pr.next,
        state: (progressStateNames[pr.state] ?? 'StateProbe') as ProgressObservation['state'],
        isLearner: pr.isLearner,
        paused: pr.isPaused(),
        recentActive: pr.recentActive,
        pendingSnapshot: pr.pendingSnapshot,
        inflight: pr.inflights.count(),
        inflightFull: pr.inflights.full(),
      };
    });
  const { first, last } = storageIndices(n);
  const data = n.history[n.history.length - 1]!.data;
  return {
    id: n.config.id,
    role: st.softState.raftState,
    term: st.hardState.term,
    vote: st.hardState.vote,
    lead: st.softState.lead,
    commit: st.hardState.commit,
    applied: st.applied,
    firstIndex: first,
    persistedLastIndex: last,
    lastIndex: r.raftLog.lastIndex(),
    confState: r.trk.confState(),
    progress,
    hasReady: rn.hasReady(),
    // The harness handles a Ready whole (process-ready); it has no half-done cycle. (Work
    // for the async-storage "threads" is not a Ready stage: process-append-thread runs it.)
    pendingStages: [],
    // The harness's state machine is etcd's "appender": everything applied, concatenated.
    kv: data.length > 0 ? { appender: new TextDecoder().decode(data) } : {},
    electionElapsed: r.electionElapsed,
    randomizedElectionTimeout: r.randomizedElectionTimeout,
    heartbeatElapsed: r.heartbeatElapsed,
    leadTransferee: st.leadTransferee,
    electionTimeout: r.electionTimeout,
    checkQuorum: r.checkQuorum,
    isLearner: r.isLearner,
    unappliedConfChange: unappliedConfChange(n),
    pendingConfIndex: r.pendingConfIndex,
    uncommittedSize: r.uncommittedSize,
  };
}

/**
 * Where a queued message is drawn on its link, as a fraction of the way: the oldest
 * (delivered first) nearest the recipient, the others queued behind it.
 */
function queuePosition(i: number, n: number): number {
  if (n <= 1) return 0.6;
  return 0.8 - i * Math.min(0.2, 0.6 / (n - 1));
}

export class HarnessRun {
  readonly env: InteractionEnv;
  /** Commands applied so far. */
  step = 0;
  /** What each applied command printed, in order. */
  readonly outputs: string[] = [];
  private readonly ids = new Map<Message, number>();
  private nextId = 1;
  private readonly cycles: Record<number, CycleRecord> = {};
  private readonly lines: LogLine[] = [];

  constructor() {
    this.env = new InteractionEnv({ setRandomizedElectionTimeout, onReady: (n, rd) => this.recordReady(n, rd) });
  }

  /** Runs one command; returns its output as datadriven compares it. Throws if the harness stops (fatal). */
  apply(td: TestData): string {
    const out = normalizeOutput(this.env.handle(td, handlers));
    this.step++;
    this.outputs.push(out);
    this.collectLogLines(out);
    for (const m of this.env.messages) if (!this.ids.has(m)) this.ids.set(m, this.nextId++);
    return out;
  }

  private recordReady(n: InteractionNode, rd: Ready): void {
    const id = n.config.id;
    const async = n.config.asyncStorageWrites === true;
    // Synchronous mode: process-ready persists, sends (queues), applies and advances at
    // once. Async mode: it only hands the storage work to the node's threads and queues
    // the rest; persisting and applying happen in later commands.
    this.cycles[id] = {
      node: id,
      ready: rd,
      readyText: describeReady(rd, defaultEntryFormatter),
      stagesDone: async ? ['send'] : ['persist', 'send', 'apply', 'advance'],
      ...(async
        ? {}
        : {
            persisted: {
              ...(isEmptyHardState(rd.hardState) ? {} : { hardState: rd.hardState! }),
              entries: rd.entries,
              ...(isEmptySnap(rd.snapshot) ? {} : { snapshot: rd.snapshot! }),
            },
          }),
      sent: rd.messages.filter((m) => !isLocalMsgTarget(m.to)),
      applied: async ? [] : rd.committedEntries.map(appliedOf),
      readStates: rd.readStates,
      logLines: [],
    };
  }

  /** raft's log lines in a command's output, attributed to the node whose id (hex) starts them. */
  private collectLogLines(out: string): void {
    const count = this.env.nodes.length;
    for (const raw of out.split('\n')) {
      const m = logLine.exec(raw);
      if (m === null) continue;
      const text = m[2]!;
      const words = text.split(' ');
      const who = words[0] === 'newRaft' ? words[1] : words[0];
      const node = who !== undefined && /^[0-9a-f]+$/.test(who) ? Number.parseInt(who, 16) : 0;
      this.lines.push({ node: node >= 1 && node <= count ? node : 0, level: m[1]!, text });
    }
    if (this.lines.length > maxLogLines) this.lines.splice(0, this.lines.length - maxLogLines);
  }

  /** The queued messages as envelopes, each drawn at its place in its link's queue. */
  private envelopes(now: number): Envelope[] {
    const perLink = new Map<string, Message[]>();
    for (const m of this.env.messages) {
      const k = `${m.from}>${m.to}`;
      const q = perLink.get(k);
      if (q === undefined) perLink.set(k, [m]);
      else q.push(m);
    }
    const out: Envelope[] = [];
    for (const q of perLink.values()) {
      q.forEach((m, i) => {
        // The view draws a message at (now - sendTime) / (dueTime - sendTime) of its way.
        const sendTime = now - queuePosition(i, q.length);
        out.push({
          id: this.ids.get(m) ?? 0,
          from: m.from,
          to: m.to,
          msg: m,
          sendTime,
          dueTime: sendTime + 1,
          size: messageSize(m),
          held: false,
          duplicateOf: undefined,
        });
      });
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /** The harness now, in the shape the UI renders a cluster (time = commands applied). */
  observe(): ClusterObservation {
    const nodes: ClusterNodeObservation[] = this.env.nodes.map((n) => ({
      id: n.config.id,
      status: 'alive',
      paused: false,
      incarnation: 1,
      observation: observeNode(n),
      disk: diskSummary(n),
    }));
    const inFlight = this.envelopes(this.step);
    return {
      time: this.step,
      step: this.step,
      mode: 'manual',
      nodes,
      inFlight,
      links: [],
      history: [],
      lastCycles: { ...this.cycles },
      logLines: this.lines.slice(),
      // The harness has no network: nothing is counted.
      counters: {
        sent: 0,
        delivered: 0,
        dropped: 0,
        duplicated: 0,
        bytesSent: 0,
        bytesDelivered: 0,
        bytesDropped: 0,
        sentByType: {},
      },
      upcoming: [],
      events: this.step,
      traceHash: '',
      // No typed events here (src/explain/harness.ts records a harness run as events).
      eventLog: { firstSeq: 0, nextSeq: 0, generation: 0 },
    };
  }

  /** A node's storage as the log strip reads a disk. */
  disk(id: number): DiskState | undefined {
    const n = this.env.nodes[id - 1];
    if (n === undefined) return undefined;
    const s = n.storage;
    return { hardState: { ...s.hardState }, snapshot: s.snap, entries: s.ents.slice(1) };
  }
}
