// The network between nodes: what raftexample's rafthttp transport is, made visible.
//
// Every message handed to the bus becomes an Envelope with a unique, monotonically
// increasing id, the virtual time it was sent and the virtual time it becomes due.
// Envelopes wait in directed per-link queues (from -> to) kept sorted by (dueTime, id).
// The bus owns no timer: the scheduler asks it what is due at a given virtual time.
//
// Faults: a link can be down (one direction at a time, so one-way cuts are possible),
// lossy, duplicating, slow (base latency + seeded jitter) or holding its messages.
// Settings on a link override the global ones field by field.
//
// Determinism: all randomness comes from the seeded source given to the constructor,
// and it is drawn in a fixed order per send (loss, then duplication, then one jitter
// draw per copy), only for the settings that are non-zero.

import type { Message } from '../raft/raftpb/types';
import { messageTypeNames } from '../raft/raftpb/types';

/** The smallest latency a message can have (in ticks): a send is never due at its own instant. */
export const minLatency = 0.001;

/** Virtual times are kept on a 1/1000-tick grid so that sums stay exact and comparable. */
export function quantize(t: number): number {
  return Math.round(t * 1000) / 1000;
}

/** Fault settings of a link (or the global defaults). Rates are probabilities in [0, 1]. */
export interface LinkFaults {
  /** Probability that a message sent on the link is lost. */
  loss: number;
  /** Probability that a message sent on the link is delivered twice. */
  duplication: number;
  /** Base latency, in ticks. */
  latency: number;
  /** Uniform extra latency in [0, jitter), in ticks, drawn from the seeded source. */
  jitter: number;
  /** While true, nothing on the link becomes deliverable (messages wait, in order). */
  hold: boolean;
}

export const defaultLinkFaults: LinkFaults = { loss: 0, duplication: 0, latency: 0.5, jitter: 0.5, hold: false };

export type DropReason = 'loss' | 'link-down' | 'crashed' | 'unknown-node' | 'manual' | 'removed';

/** A message in flight. */
export interface Envelope {
  id: number;
  from: number;
  to: number;
  msg: Message;
  sendTime: number;
  dueTime: number;
  /** Approximate wire size in bytes. */
  size: number;
  /** Held messages are never delivered automatically (only by an explicit deliver). */
  held: boolean;
  /** For a duplicate: the id of the envelope it copies. */
  duplicateOf: number | undefined;
}

/** What happened to one message handed to send(). */
export interface SendOutcome {
  /** The envelopes enqueued (0, 1, or 2 with a duplicate). */
  enqueued: Envelope[];
  /** Set when the message was dropped at send time; the envelope (with its id) is still reported. */
  dropped: { envelope: Envelope; reason: DropReason } | undefined;
}

export interface BusCounters {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
  bytesSent: number;
  bytesDelivered: number;
  bytesDropped: number;
  /** Messages sent, per etcd message type name. */
  sentByType: Record<string, number>;
}

/** A directed link's current state, for display. */
export interface LinkState {
  from: number;
  to: number;
  up: boolean;
  faults: LinkFaults;
  queued: number;
}

/** The random source the bus draws from (see random.ts). */
export interface BusRandom {
  nextFloat(): number;
  /** The generator's state, for checkpoints (a bus over a source without it cannot be checkpointed). */
  getState?(): [number, number, number, number];
}

/**
 * The bus in a checkpoint: every field, links as [from, to] numbers. Envelopes are
 * copied (reorder and hold change them in place); the messages they carry are shared
 * (nothing changes a message once sent).
 */
export interface BusImage {
  nextId: number;
  /** Per link queue, in the order they were made: from, to, and its envelopes in queue order. */
  queues: [number, number, Envelope[]][];
  /** Cut links: [from, to, from, to, ...]. */
  down: number[];
  linkFaults: [number, number, Partial<LinkFaults>][];
  global: LinkFaults;
  /** [from, to, due, from, to, due, ...]. */
  lastDue: number[];
  counters: BusCounters;
  random: [number, number, number, number];
}

/** Approximate size of a message on the wire: a fixed header plus payloads. */
export function messageSize(m: Message): number {
  let n = 48 + m.context.length;
  for (const e of m.entries) n += 16 + e.data.length;
  if (m.snapshot !== undefined) n += 32 + m.snapshot.data.length + 8 * m.snapshot.metadata.confState.voters.length;
  return n;
}

function linkKey(from: number, to: number): string {
  return `${from}>${to}`;
}

function envelopeOrder(a: Envelope, b: Envelope): number {
  return a.dueTime - b.dueTime || a.id - b.id;
}

function linkOf(key: string): [number, number] {
  const i = key.indexOf('>');
  return [Number(key.slice(0, i)), Number(key.slice(i + 1))];
}

export class Bus {
  private nextId = 1;
  private readonly queues = new Map<string, Envelope[]>();
  /** Incoming link keys per destination, for takeDue. */
  private readonly incoming = new Map<number, Set<string>>();
  private readonly byId = new Map<number, Envelope>();
  /** Links that are cut (key present = down). */
  private readonly down = new Set<string>();
  private readonly linkFaults = new Map<string, Partial<LinkFaults>>();
  private global: LinkFaults;
  /** Due time of the last envelope enqueued on each link (links are FIFO under jitter). */
  private readonly lastDue = new Map<string, number>();
  readonly counters: BusCounters = {
    sent: 0,
    delivered: 0,
    dropped: 0,
    duplicated: 0,
    bytesSent: 0,
    bytesDelivered: 0,
    bytesDropped: 0,
    sentByType: {},
  };

  constructor(
    private random: BusRandom,
    global: Partial<LinkFaults> = {},
  ) {
    this.global = { ...defaultLinkFaults, ...global };
  }

  // ---- checkpoints ----

  /**
   * The bus's whole state. Envelopes are copied (reorder and hold change them in
   * place); the messages they carry are shared (nothing changes a message once sent).
   */
  checkpoint(): BusImage {
    if (this.random.getState === undefined) throw new Error('bus: its random source cannot be checkpointed');
    const lastDue: number[] = [];
    for (const [k, t] of this.lastDue) lastDue.push(...linkOf(k), t);
    return {
      nextId: this.nextId,
      queues: [...this.queues].map(([k, q]) => [...linkOf(k), q.map((e) => ({ ...e }))]),
      down: [...this.down].flatMap(linkOf),
      linkFaults: [...this.linkFaults].map(([k, f]) => [...linkOf(k), { ...f }]),
      global: { ...this.global },
      lastDue,
      counters: { ...this.counters, sentByType: { ...this.counters.sentByType } },
      random: this.random.getState(),
    };
  }

  /** Makes this (fresh) bus the one of a checkpoint; random continues from the checkpoint's state. */
  restore(img: BusImage, random: BusRandom): void {
    this.random = random;
    this.nextId = img.nextId;
    this.queues.clear();
    this.incoming.clear();
    this.byId.clear();
    // Queues (and each destination's set of incoming links) come back in the order they were made.
    for (const [from, to, q] of img.queues) {
      const k = linkKey(from, to);
      const copies = q.map((e) => ({ ...e }));
      this.queues.set(k, copies);
      let inc = this.incoming.get(to);
      if (inc === undefined) this.incoming.set(to, (inc = new Set()));
      inc.add(k);
      for (const e of copies) this.byId.set(e.id, e);
    }
    this.down.clear();
    for (let i = 0; i < img.down.length; i += 2) this.down.add(linkKey(img.down[i]!, img.down[i + 1]!));
    this.linkFaults.clear();
    for (const [from, to, f] of img.linkFaults) this.linkFaults.set(linkKey(from, to), { ...f });
    this.global = { ...img.global };
    this.lastDue.clear();
    for (let i = 0; i < img.lastDue.length; i += 3)
      this.lastDue.set(linkKey(img.lastDue[i]!, img.lastDue[i + 1]!), img.lastDue[i + 2]!);
    Object.assign(this.counters, img.counters, { sentByType: { ...img.counters.sentByType } });
  }

  // ---- settings ----

  get globalFaults(): LinkFaults {
    return { ...this.global };
  }

  setGlobalFaults(f: Partial<LinkFaults>): void {
    this.global = { ...this.global, ...validFaults(f) };
  }

  /** Overrides some settings of the link from -> to (undefined fields keep following the global ones). */
  setLinkFaults(from: number, to: number, f: Partial<LinkFaults>): void {
    const k = linkKey(from, to);
    this.linkFaults.set(k, { ...this.linkFaults.get(k), ...validFaults(f) });
  }

  /** Removes the overrides of one link, or of every link. */
  clearLinkFaults(from?: number, to?: number): void {
    if (from === undefined || to === undefined) this.linkFaults.clear();
    else this.linkFaults.delete(linkKey(from, to));
  }

  faultsOf(from: number, to: number): LinkFaults {
    const o = this.linkFaults.get(linkKey(from, to));
    return o === undefined ? this.global : { ...this.global, ...o };
  }

  /**
   * A lower bound on the delay of any message sent from now on: the smallest latency
   * of any link (jitter only adds), never below minLatency, rounded down to the time
   * grid. The scheduler's windows rest on it. Manual reorders and duplicates can move a
   * message earlier, but only between windows, on messages already in flight.
   */
  minDelay(): number {
    let lat = this.global.latency;
    for (const f of this.linkFaults.values()) if (f.latency !== undefined && f.latency < lat) lat = f.latency;
    return Math.max(minLatency, Math.floor(lat * 1000) / 1000);
  }

  /** Cuts (up = false) or restores one direction of a link. */
  setLinkUp(from: number, to: number, up: boolean): void {
    if (up) this.down.delete(linkKey(from, to));
    else this.down.add(linkKey(from, to));
  }

  isLinkUp(from: number, to: number): boolean {
    return !this.down.has(linkKey(from, to));
  }

  /** Restores every link (heal). */
  healAll(): void {
    this.down.clear();
  }

  /** The cut links, as [from, to] pairs in a stable order. */
  downLinks(): [number, number][] {
    return [...this.down]
      .map((k) => k.split('>').map(Number) as [number, number])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  links(nodes: readonly number[]): LinkState[] {
    const out: LinkState[] = [];
    for (const from of nodes)
      for (const to of nodes) {
        if (from === to) continue;
        out.push({
          from,
          to,
          up: this.isLinkUp(from, to),
          faults: this.faultsOf(from, to),
          queued: this.queues.get(linkKey(from, to))?.length ?? 0,
        });
      }
    return out;
  }

  // ---- sending ----

  /** Hands one message to the network at virtual time now. */
  send(msg: Message, now: number): SendOutcome {
    const f = this.faultsOf(msg.from, msg.to);
    const env = this.makeEnvelope(msg, now, undefined);
    this.countSent(env);
    if (!this.isLinkUp(msg.from, msg.to)) {
      this.countDropped(env);
      return { enqueued: [], dropped: { envelope: env, reason: 'link-down' } };
    }
    if (f.loss > 0 && this.random.nextFloat() < f.loss) {
      this.countDropped(env);
      return { enqueued: [], dropped: { envelope: env, reason: 'loss' } };
    }
    const dup = f.duplication > 0 && this.random.nextFloat() < f.duplication;
    env.dueTime = this.dueTime(f, env.from, env.to, now);
    this.enqueue(env);
    const enqueued = [env];
    if (dup) {
      const copy = this.makeEnvelope(msg, now, env.id);
      copy.dueTime = this.dueTime(f, env.from, env.to, now);
      this.counters.duplicated++;
      this.enqueue(copy);
      enqueued.push(copy);
    }
    return { enqueued, dropped: undefined };
  }

  private makeEnvelope(msg: Message, now: number, duplicateOf: number | undefined): Envelope {
    return {
      id: this.nextId++,
      from: msg.from,
      to: msg.to,
      msg,
      sendTime: now,
      dueTime: now,
      size: messageSize(msg),
      held: false,
      duplicateOf,
    };
  }

  private dueTime(f: LinkFaults, from: number, to: number, now: number): number {
    let lat = f.latency;
    if (f.jitter > 0) lat += this.random.nextFloat() * f.jitter;
    const k = linkKey(from, to);
    const due = Math.max(quantize(now + Math.max(lat, minLatency)), this.lastDue.get(k) ?? 0);
    this.lastDue.set(k, due);
    return due;
  }

  private countSent(env: Envelope): void {
    this.counters.sent++;
    this.counters.bytesSent += env.size;
    const name = messageTypeNames[env.msg.type] ?? String(env.msg.type);
    this.counters.sentByType[name] = (this.counters.sentByType[name] ?? 0) + 1;
  }

  private countDropped(env: Envelope): void {
    this.counters.dropped++;
    this.counters.bytesDropped += env.size;
  }

  private enqueue(env: Envelope): void {
    const k = linkKey(env.from, env.to);
    let q = this.queues.get(k);
    if (q === undefined) {
      q = [];
      this.queues.set(k, q);
      let inc = this.incoming.get(env.to);
      if (inc === undefined) {
        inc = new Set();
        this.incoming.set(env.to, inc);
      }
      inc.add(k);
    }
    // Insert keeping (dueTime, id) order; almost always an append.
    let i = q.length;
    while (i > 0 && envelopeOrder(q[i - 1]!, env) > 0) i--;
    q.splice(i, 0, env);
    this.byId.set(env.id, env);
  }

  private unlink(env: Envelope): void {
    const q = this.queues.get(linkKey(env.from, env.to));
    if (q !== undefined) {
      const i = q.indexOf(env);
      if (i >= 0) q.splice(i, 1);
    }
    this.byId.delete(env.id);
  }

  // ---- inspecting ----

  get size(): number {
    return this.byId.size;
  }

  get(id: number): Envelope | undefined {
    return this.byId.get(id);
  }

  /** Every envelope in flight, by id. */
  inFlight(): Envelope[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }

  /** Whether an envelope would be delivered automatically once due. */
  private deliverable(env: Envelope): boolean {
    return !env.held && !this.faultsOf(env.from, env.to).hold;
  }

  /**
   * The earliest due time of an automatically deliverable envelope whose destination
   * accepts deliveries (canReceive), or Infinity.
   */
  nextDueTime(canReceive: (id: number) => boolean): number {
    let best = Infinity;
    for (const [to, keys] of this.incoming) {
      if (!canReceive(to)) continue;
      for (const k of keys) {
        const q = this.queues.get(k)!;
        for (const env of q) {
          if (env.dueTime >= best) break;
          if (this.deliverable(env)) {
            best = env.dueTime;
            break;
          }
        }
      }
    }
    return best;
  }

  /** Destinations with an automatically deliverable envelope due at or before now, ascending. */
  destinationsDue(now: number, canReceive: (id: number) => boolean): number[] {
    const out: number[] = [];
    for (const [to, keys] of this.incoming) {
      if (!canReceive(to)) continue;
      let due = false;
      for (const k of keys) {
        for (const env of this.queues.get(k)!) {
          if (env.dueTime > now) break;
          if (this.deliverable(env)) {
            due = true;
            break;
          }
        }
        if (due) break;
      }
      if (due) out.push(to);
    }
    return out.sort((a, b) => a - b);
  }

  /**
   * Removes and returns the envelopes for `to` that are due at or before now and
   * deliverable, in (dueTime, id) order. Envelopes on a link that is down when they
   * fall due are dropped instead (reported in `dropped`).
   */
  takeDue(to: number, now: number): { deliver: Envelope[]; dropped: Envelope[] } {
    const deliver: Envelope[] = [];
    const dropped: Envelope[] = [];
    const keys = this.incoming.get(to);
    if (keys === undefined) return { deliver, dropped };
    for (const k of keys) {
      const q = this.queues.get(k)!;
      if (q.length === 0 || q[0]!.dueTime > now) continue;
      const up = !this.down.has(k);
      const keep: Envelope[] = [];
      let i = 0;
      for (; i < q.length; i++) {
        const env = q[i]!;
        if (env.dueTime > now) break;
        if (!this.deliverable(env)) {
          keep.push(env);
          continue;
        }
        this.byId.delete(env.id);
        if (up) deliver.push(env);
        else dropped.push(env);
      }
      q.splice(0, i, ...keep);
    }
    deliver.sort(envelopeOrder);
    dropped.sort(envelopeOrder);
    for (const env of deliver) this.countDelivered(env);
    for (const env of dropped) this.countDropped(env);
    return { deliver, dropped };
  }

  private countDelivered(env: Envelope): void {
    this.counters.delivered++;
    this.counters.bytesDelivered += env.size;
  }

  // ---- commands on single messages ----

  /** Removes an envelope for delivery now, whatever its due time or hold (manual delivery). */
  take(id: number): Envelope {
    const env = this.mustGet(id);
    this.unlink(env);
    this.countDelivered(env);
    return env;
  }

  /** Drops an envelope. */
  drop(id: number): Envelope {
    const env = this.mustGet(id);
    this.unlink(env);
    this.countDropped(env);
    return env;
  }

  /** Drops every envelope addressed to `to` (or sent by `from`), e.g. for a removed node. */
  dropWhere(pred: (env: Envelope) => boolean): Envelope[] {
    const out = this.inFlight().filter(pred);
    for (const env of out) {
      this.unlink(env);
      this.countDropped(env);
    }
    return out;
  }

  /** Adds a copy of an envelope in flight, due at the given time (default: the original's due time). */
  duplicate(id: number, now: number, dueTime?: number): Envelope {
    const env = this.mustGet(id);
    const copy = this.makeEnvelope(env.msg, now, env.id);
    copy.dueTime = dueTime === undefined ? env.dueTime : Math.max(quantize(dueTime), now);
    this.counters.duplicated++;
    this.enqueue(copy);
    return copy;
  }

  /** Changes when an envelope falls due (to reorder it relative to others on its link). */
  reorder(id: number, dueTime: number, now: number): Envelope {
    const env = this.mustGet(id);
    this.unlink(env);
    env.dueTime = Math.max(quantize(dueTime), now);
    this.enqueue(env);
    return env;
  }

  /** Holds (or releases) one envelope: a held envelope waits until delivered by hand or released. */
  setHeld(id: number, held: boolean): Envelope {
    const env = this.mustGet(id);
    env.held = held;
    return env;
  }

  private mustGet(id: number): Envelope {
    const env = this.byId.get(id);
    if (env === undefined) throw new Error(`bus: no message ${id} in flight`);
    return env;
  }
}

function validFaults(f: Partial<LinkFaults>): Partial<LinkFaults> {
  const out: Partial<LinkFaults> = {};
  for (const k of ['loss', 'duplication'] as const) {
    const v = f[k];
    if (v === undefined) continue;
    if (!(v >= 0 && v <= 1)) throw new Error(`bus: ${k} must be a probability in [0, 1], got ${v}`);
    out[k] = v;
  }
  for (const k of ['latency', 'jitter'] as const) {
    const v = f[k];
    if (v === undefined) continue;
    if (!(v >= 0 && Number.isFinite(v))) throw new Error(`bus: ${k} must be a finite number >= 0, got ${v}`);
    out[k] = v;
  }
  if (f.hold !== undefined) out.hold = f.hold;
  return out;
}
