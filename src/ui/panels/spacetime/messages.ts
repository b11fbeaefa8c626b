// What the space-time diagram draws, read from the cluster's event trace.
//
// The trace (src/cluster/recorder.ts) holds one canonical text line per event. Three of
// them make a message's life: `send` (at the sender: `#id due=T MsgX a->b tN ...`, or
// without `due=` when the bus dropped it at once), `deliver` (at the receiver: `#id ...`)
// and `drop` (`#id reason ...`). Fault events give crashes, restarts and pauses; the
// first MsgApp / MsgHeartbeat / MsgSnap a node sends in a term marks it as that term's
// leader (only a leader sends those, and a new leader's first Ready broadcasts MsgApp).
//
// The parser is incremental: the trace only grows within one world, so each call reads
// only the events it has not seen. A seek replays a fresh world (a new events array),
// and the parser starts over.

import type { TraceEvent } from '../../../cluster/recorder';

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
  /** The trace's short description of the message (`MsgApp 1->2 t3 l3/5 c5 e6/3..6/3#1`). */
  text: string;
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
}

/** A network-wide event (partition, heal, cut, restore), drawn across all lanes. */
export interface NetworkMark {
  time: number;
  text: string;
}

const sendRe = /^#(\d+)(?: due=([0-9.e+-]+))?(?: dup-of=(\d+))? (\S+) (\d+)->(\d+) t(\d+)/;
const deliverRe = /^#(\d+) /;
const dropRe = /^#(\d+) (\S+) /;
const leaderTypes = new Set(['MsgApp', 'MsgHeartbeat', 'MsgSnap']);

/** Incremental reader of a trace; `spans` is sorted by (sendTime, id). */
export class SpaceTimeParser {
  spans: MessageSpan[] = [];
  marks: NodeMark[] = [];
  network: NetworkMark[] = [];
  /** Time of the last event read. */
  endTime = 0;
  /** Messages still in flight, by id. */
  open = new Map<number, MessageSpan>();
  /** Longest life (end - send) of any delivered or dropped message. */
  maxClosedSpan = 0;
  private byId = new Map<number, MessageSpan>();
  private leaderSeen = new Set<string>();
  private source: readonly TraceEvent[] | undefined;
  /** seq of the next event to read. */
  private nextSeq = 0;
  /** Bumped whenever something was read (for memoization by callers). */
  version = 0;

  reset(): void {
    this.spans = [];
    this.marks = [];
    this.network = [];
    this.endTime = 0;
    this.byId = new Map();
    this.open = new Map();
    this.maxClosedSpan = 0;
    this.leaderSeen = new Set();
    this.source = undefined;
    this.nextSeq = 0;
    this.version++;
  }

  /**
   * Reads the events not read yet. `events` is the cluster's in-memory trace (the
   * same array while the world lives; a new one after a seek or import).
   */
  ingest(events: readonly TraceEvent[]): boolean {
    if (events !== this.source) {
      this.reset();
      this.source = events;
    }
    const first = events[0];
    if (first === undefined) return false;
    // Events may have been trimmed from the front (keepEvents): index by seq.
    let i = Math.max(0, this.nextSeq - first.seq);
    if (i >= events.length) return false;
    for (; i < events.length; i++) this.read(events[i]!);
    this.nextSeq = events[events.length - 1]!.seq + 1;
    this.version++;
    return true;
  }

  private read(ev: TraceEvent): void {
    if (ev.time > this.endTime) this.endTime = ev.time;
    switch (ev.kind) {
      case 'send':
        this.readSend(ev);
        break;
      case 'deliver': {
        const m = deliverRe.exec(ev.text);
        const span = m === null ? undefined : this.byId.get(Number(m[1]));
        if (span !== undefined) {
          span.fate = 'delivered';
          this.close(span, ev.time);
        }
        break;
      }
      case 'drop': {
        const m = dropRe.exec(ev.text);
        const span = m === null ? undefined : this.byId.get(Number(m[1]));
        if (span !== undefined) {
          span.fate = 'dropped';
          span.dropReason = m![2];
          this.close(span, ev.time);
        }
        break;
      }
      case 'fault':
        this.readFault(ev);
        break;
      default:
        break;
    }
  }

  private close(span: MessageSpan, time: number): void {
    span.endTime = time;
    this.open.delete(span.id);
    if (time - span.sendTime > this.maxClosedSpan) this.maxClosedSpan = time - span.sendTime;
  }

  private readSend(ev: TraceEvent): void {
    const m = sendRe.exec(ev.text);
    if (m === null) return;
    const id = Number(m[1]);
    const type = m[4]!;
    const from = Number(m[5]);
    const term = Number(m[7]);
    const span: MessageSpan = {
      id,
      from,
      to: Number(m[6]),
      type,
      term,
      sendTime: ev.time,
      dueTime: m[2] === undefined ? undefined : Number(m[2]),
      endTime: undefined,
      fate: 'in-flight',
      dropReason: undefined,
      duplicateOf: m[3] === undefined ? undefined : Number(m[3]),
      text: ev.text.slice(ev.text.indexOf(type)),
    };
    this.byId.set(id, span);
    this.open.set(id, span);
    this.spans.push(span);
    if (leaderTypes.has(type)) {
      const key = `${from}:${term}`;
      if (!this.leaderSeen.has(key)) {
        this.leaderSeen.add(key);
        this.marks.push({ node: from, time: ev.time, kind: 'leader', term, text: `${from} leads term ${term}` });
      }
    }
  }

  private readFault(ev: TraceEvent): void {
    const t = ev.text;
    if (ev.node === 0) {
      if (/^(partition|heal|cut|restore)\b/.test(t)) this.network.push({ time: ev.time, text: t });
      return;
    }
    let kind: NodeMarkKind | undefined;
    if (t === 'crash') kind = 'crash';
    else if (t.startsWith('restart')) kind = 'restart';
    else if (t === 'pause') kind = 'pause';
    else if (t === 'resume') kind = 'resume';
    else if (t === 'removed') kind = 'removed';
    else if (t.startsWith('start') && ev.time > 0) kind = 'start';
    if (kind === undefined) return;
    this.marks.push({ node: ev.node, time: ev.time, kind, term: 0, text: `${ev.node} ${t}` });
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
