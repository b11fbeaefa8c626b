// What the space-time diagram draws, read from the cluster's typed event stream
// (src/cluster/events.ts): a message's life is its `send` event (at the sender; `due`
// absent when the bus dropped it at once), then its `deliver` or `drop`. A `role`
// event to leader marks that term's leader; `crash`, `restart`, `pause`, `resume`,
// `node-removed` and `node-start` (after boot) mark a node; `partition`, `heal` and
// `cut` are network-wide marks.
//
// The reader is incremental and follows the recorder's cursor. The event log holds
// every step of the current branch (also the steps after the cursor, after a seek
// back), so the reader reads only the events of steps up to the one shown; seeking
// back rewinds what it read (spans sent later disappear, those delivered or dropped
// later are in flight again), seeking forward reads on. A new branch (a generation
// change of the log) or another cluster starts it over from the events still kept.

import type { ClusterEvent, EventLogInfo, MsgInfo } from '../../../cluster/events';

export type MessageFate = 'in-flight' | 'delivered' | 'dropped';

/** One message from its send to its delivery or drop. Times are virtual ticks. */
export interface MessageSpan {
  /** The bus envelope id (unique within a run). */
  id: number;
  from: number;
  to: number;
  /** etcd's message type name (MsgApp, MsgVote...). */
  type: string;
  term: number;
  sendTime: number;
  /** When the bus planned to deliver it (undefined when dropped at send). */
  dueTime: number | undefined;
  /** Delivery or drop time; undefined while in flight. */
  endTime: number | undefined;
  fate: MessageFate;
  dropReason: string | undefined;
  /** Envelope copied by this duplicate, if any. */
  duplicateOf: number | undefined;
  /** The message in short (`MsgApp 1->2 t3 l3/5 c5 e6/3..6/3#1`). */
  text: string;
  /** Recorder steps of the send and of the delivery or drop. */
  sendStep: number;
  endStep: number | undefined;
}

export type NodeMarkKind = 'leader' | 'crash' | 'restart' | 'pause' | 'resume' | 'removed' | 'start';

/** Something that happened to one node at one instant, drawn as a glyph on its lane. */
export interface NodeMark {
  node: number;
  time: number;
  kind: NodeMarkKind;
  /** For 'leader': the term. */
  term: number;
  text: string;
  step: number;
}

/** A network-wide event (partition, heal, cut, restore), drawn across all lanes. */
export interface NetworkMark {
  time: number;
  text: string;
  step: number;
}

/** Where the reader gets events: a Cluster (or a stand-in in tests). */
export interface EventSource {
  clusterEvents(fromSeq?: number): readonly ClusterEvent[];
  eventLogInfo(): EventLogInfo;
}

/** A message in short, as the trace writes it (the trace's describeMsgShort, from the event's fields). */
export function describeMsg(m: MsgInfo): string {
  let s = `${m.type} ${m.from}->${m.to} t${m.term}`;
  if (m.logTerm !== 0 || m.index !== 0) s += ` l${m.logTerm}/${m.index}`;
  if (m.commit !== 0) s += ` c${m.commit}`;
  if (m.vote !== 0) s += ` v${m.vote}`;
  const e = m.entries;
  if (e !== undefined) s += ` e${e.first}/${e.firstTerm}..${e.last}/${e.lastTerm}#${e.count}`;
  if (m.reject) s += ` rej${m.rejectHint}`;
  if (m.snapshot !== undefined) s += ` snap${m.snapshot.index}/${m.snapshot.term}`;
  return s;
}

/** Incremental reader of the event stream; `spans` is sorted by (sendTime, id). */
export class SpaceTimeParser {
  spans: MessageSpan[] = [];
  marks: NodeMark[] = [];
  network: NetworkMark[] = [];
  /** Time of the last event read. */
  endTime = 0;
  /** Messages still in flight, by id. */
  open = new Map<number, MessageSpan>();
  /** Longest life (end - send) of any delivered or dropped message (an upper bound after a rewind). */
  maxClosedSpan = 0;
  private byId = new Map<number, MessageSpan>();
  private source: EventSource | undefined;
  private generation = -1;
  /** seq of the next event to read, and the step of the last one read. */
  private nextSeq = 0;
  private step = -1;
  /** The first seq read of each step, in order (to rewind). */
  private stepStarts: { step: number; seq: number }[] = [];
  /** Bumped whenever something changed (for memoization by callers). */
  version = 0;

  reset(): void {
    this.spans = [];
    this.marks = [];
    this.network = [];
    this.endTime = 0;
    this.byId = new Map();
    this.open = new Map();
    this.maxClosedSpan = 0;
    this.source = undefined;
    this.generation = -1;
    this.nextSeq = 0;
    this.step = -1;
    this.stepStarts = [];
    this.version++;
  }

  /**
   * Brings the model to the events of steps 0..upToStep of `src` (the cluster shown;
   * undefined: none). Returns true when something changed.
   */
  sync(src: EventSource | undefined, upToStep = Infinity): boolean {
    if (src === undefined) {
      if (this.source === undefined) return false;
      this.reset();
      return true;
    }
    const info = src.eventLogInfo();
    let changed = false;
    if (src !== this.source || info.generation !== this.generation) {
      this.reset();
      this.source = src;
      this.generation = info.generation;
      this.nextSeq = info.firstSeq;
      changed = true;
    }
    if (upToStep < this.step) {
      this.rewind(upToStep);
      changed = true;
    }
    if (info.nextSeq > this.nextSeq) {
      // Events may have been trimmed from the front: read from the oldest kept.
      for (const ev of src.clusterEvents(Math.max(this.nextSeq, info.firstSeq))) {
        if (ev.step > upToStep) break;
        if (ev.step !== this.step || this.stepStarts.length === 0) this.stepStarts.push({ step: ev.step, seq: ev.seq });
        this.step = ev.step;
        this.nextSeq = ev.seq + 1;
        this.read(ev);
        changed = true;
      }
    }
    if (changed) this.version++;
    return changed;
  }

  /** Forgets what happened after step s: later spans go, later fates are undone, later marks go. */
  private rewind(s: number): void {
    let i = this.stepStarts.length;
    while (i > 0 && this.stepStarts[i - 1]!.step > s) i--;
    const cut = this.stepStarts[i];
    if (cut !== undefined) this.nextSeq = cut.seq;
    this.stepStarts.length = i;
    this.step = s;
    const keep: MessageSpan[] = [];
    let endTime = 0;
    for (const sp of this.spans) {
      if (sp.sendStep > s) {
        this.byId.delete(sp.id);
        this.open.delete(sp.id);
        continue;
      }
      if (sp.endStep !== undefined && sp.endStep > s) {
        sp.fate = 'in-flight';
        sp.endTime = undefined;
        sp.endStep = undefined;
        sp.dropReason = undefined;
        this.open.set(sp.id, sp);
      }
      endTime = Math.max(endTime, sp.endTime ?? sp.sendTime);
      keep.push(sp);
    }
    this.spans = keep;
    this.marks = this.marks.filter((m) => m.step <= s);
    this.network = this.network.filter((m) => m.step <= s);
    for (const m of this.marks) endTime = Math.max(endTime, m.time);
    for (const m of this.network) endTime = Math.max(endTime, m.time);
    this.endTime = endTime;
  }

  private read(ev: ClusterEvent): void {
    if (ev.time > this.endTime) this.endTime = ev.time;
    switch (ev.kind) {
      case 'send':
        this.readSend(ev);
        break;
      case 'deliver':
      case 'drop': {
        const span = this.byId.get(ev.envelope);
        if (span === undefined || span.endTime !== undefined) break;
        span.fate = ev.kind === 'deliver' ? 'delivered' : 'dropped';
        if (ev.kind === 'drop') span.dropReason = ev.reason;
        span.endTime = ev.time;
        span.endStep = ev.step;
        this.open.delete(span.id);
        if (ev.time - span.sendTime > this.maxClosedSpan) this.maxClosedSpan = ev.time - span.sendTime;
        break;
      }
      case 'role':
        if (ev.role === 'leader' && ev.prev.role !== 'leader')
          this.mark(ev, 'leader', ev.term, `${ev.node} leads term ${ev.term}`);
        break;
      case 'crash':
        this.mark(ev, 'crash', 0, `${ev.node} crash`);
        break;
      case 'restart':
        this.mark(ev, 'restart', 0, `${ev.node} restart incarnation=${ev.incarnation}`);
        break;
      case 'pause':
      case 'resume':
        this.mark(ev, ev.kind, 0, `${ev.node} ${ev.kind}`);
        break;
      case 'node-removed':
        this.mark(ev, 'removed', 0, `${ev.node} removed`);
        break;
      case 'node-start':
        if (ev.time > 0) this.mark(ev, 'start', 0, `${ev.node} start`);
        break;
      case 'partition':
        this.network.push({
          time: ev.time,
          step: ev.step,
          text: `partition ${ev.groups.map((g) => `[${g.join(',')}]`).join(' ')}`,
        });
        break;
      case 'heal':
        this.network.push({ time: ev.time, step: ev.step, text: 'heal' });
        break;
      case 'cut':
        this.network.push({
          time: ev.time,
          step: ev.step,
          text: `${ev.up ? 'restore' : 'cut'} ${ev.from}${ev.oneWay ? '->' : '<->'}${ev.to}`,
        });
        break;
      default:
        break;
    }
  }

  private mark(ev: ClusterEvent, kind: NodeMarkKind, term: number, text: string): void {
    this.marks.push({ node: ev.node, time: ev.time, kind, term, text, step: ev.step });
  }

  private readSend(ev: Extract<ClusterEvent, { kind: 'send' }>): void {
    const m = ev.msg;
    const span: MessageSpan = {
      id: ev.envelope,
      from: m.from,
      to: m.to,
      type: m.type,
      term: m.term,
      sendTime: ev.time,
      dueTime: ev.due,
      endTime: undefined,
      fate: 'in-flight',
      dropReason: undefined,
      duplicateOf: ev.duplicateOf,
      text: describeMsg(m),
      sendStep: ev.step,
      endStep: undefined,
    };
    this.byId.set(span.id, span);
    this.open.set(span.id, span);
    this.spans.push(span);
  }
}

/** Index of the first element whose key is >= x, in an array sorted by key. */
export function lowerBound<T>(arr: readonly T[], x: number, key: (v: T) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(arr[mid]!) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The spans that cross the window [t0, t1], at most `limit` of them (the latest kept
 * when there are more), in (sendTime, id) order. Closed spans are found by binary
 * search from t0 minus the longest life of any closed message; open ones (still in
 * flight, possibly held for long) are all considered.
 */
export function visibleSpans(p: SpaceTimeParser, t0: number, t1: number, limit: number): MessageSpan[] {
  const spans = p.spans;
  const start = lowerBound(spans, t0 - p.maxClosedSpan - 1e-9, (s) => s.sendTime);
  const end = lowerBound(spans, t1 + 1e-9, (s) => s.sendTime);
  const out: MessageSpan[] = [];
  const seen = new Set<number>();
  for (let i = start; i < end; i++) {
    const s = spans[i]!;
    if (s.endTime === undefined) continue;
    if (s.endTime >= t0) {
      out.push(s);
      seen.add(s.id);
    }
  }
  for (const s of p.open.values()) if (s.sendTime <= t1 && !seen.has(s.id)) out.push(s);
  out.sort((a, b) => a.sendTime - b.sendTime || a.id - b.id);
  return out.length > limit ? out.slice(out.length - limit) : out;
}
