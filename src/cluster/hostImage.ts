// Host images: a faithful snapshot of a NodeHost (raft and everything around it) as
// structured-clone data, so that a checkpoint can fetch it from a Web Worker and a
// restore can rebuild an identical host in any worker.
//
// The image is the host's whole object graph, written by the generic codec of
// objectGraph.ts: RawNode, Raft (progress tracker, inflights, readOnly, unstable log,
// pending messages, timers, randomized timeout, its current tick and step functions),
// MemoryStorage, the state machine, the seeded PRNG, the host's Ready in progress and
// pending write... New fields are picked up without any change here; a field holding
// something the codec cannot rebuild (a new class, a closure) makes the round-trip test
// (hostImage.test.ts) fail with its path, and then belongs in the registry below.
//
// Closures rebuilt on restore, from restored objects:
//   - the SinkLogger's sink (it writes into the host's line buffer): made for the new host;
//   - Raft.random, `randomSource(host.rng)`: the host keeps the Xoshiro generator it
//     gave raft, so the closure is made again over the restored generator;
//   - the ProgressTracker's match indexer: its constructor makes it, so the restored
//     tracker is built by its constructor and the encoded fields assigned over it.
//
// Log entries are not copied into images: they are named by eid (see entryTable.ts).
//
// This registry lives in src/cluster so that src/raft knows nothing of checkpoints.

import { RaftLog } from '../raft/log';
import { Unstable } from '../raft/logUnstable';
import { JointConfig } from '../raft/quorum/joint';
import { MajorityConfig } from '../raft/quorum/majority';
import { Raft, stepCandidate, stepFollower, stepLeader } from '../raft/raft';
import { emptyBytes, type Entry } from '../raft/raftpb/types';
import { RawNode } from '../raft/rawNode';
import { ReadOnly } from '../raft/readOnly';
import { MemoryStorage } from '../raft/storage';
import { Inflights } from '../raft/tracker/inflights';
import { Progress, ProgressMap } from '../raft/tracker/progress';
import { Config as TrackerConfig, ProgressTracker } from '../raft/tracker/tracker';
import { forEachRun, internable, pushRun, type EntryCache, type EntryChannel, type EntryTable } from './entryTable';
import { GraphCodec, type ClassSpec, type DecodeContext, type LeafCodec } from './objectGraph';
import { createRandom } from './random';
import { Appender } from './stateMachines/appender';
import { KVStore } from './stateMachines/kvStore';

/** What a host process hands back for a checkpoint (before the main thread interns its new entries). */
export interface RawHostImage {
  /** The encoded graph (its root is the NodeHost). */
  graph: unknown;
  /** Entries sent in full, in the order their eids are expected back (learn). */
  fresh: Entry[];
  /** The leaf objects of `graph` that hold entry references (to rewrite fresh refs to eids). */
  holders: EntryRefs[];
}

/** An image as checkpoints keep it: every entry reference is an eid of the run's EntryTable. */
export interface HostImage {
  graph: unknown;
  /** Every eid the graph names, as runs (possibly repeated): what a process must hold to restore it. */
  eids: number[];
}

/** What a restore sends to a host process. */
export interface HostRestorePayload {
  tableId: number;
  graph: unknown;
  /** Entries the process does not hold yet: [eid, entry, eid, entry, ...]. */
  missing: (number | Entry)[];
}

/** An entry leaf: one entry (r: ref, or e: inline) or a list (r: runs, or v: inline entries). */
interface EntryRefs {
  $: 'l' | 'L';
  /** One reference, or runs [ref, count, ...]; a ref < 0 is fresh entry number -ref-1. */
  r?: number | number[];
  /** Inline (never interned) content: the entry, or in a list [position, entry, ...]. */
  e?: Entry;
  x?: (number | Entry)[];
}

/** The Xoshiro generator class of random.ts (not exported there; reached through an instance). */
const Xoshiro = Object.getPrototypeOf(createRandom(0)).constructor as new (...a: never[]) => object;

// The NodeHost class is registered by nodeHost.ts (it imports this module); see hostRegistry.
const baseClasses: ClassSpec[] = [
  { name: 'RawNode', cls: RawNode },
  // random is randomSource(host.rng): the host makes it again (see NodeHost.fromImage).
  { name: 'Raft', cls: Raft, skip: ['random'] },
  { name: 'RaftLog', cls: RaftLog },
  { name: 'Unstable', cls: Unstable },
  { name: 'MemoryStorage', cls: MemoryStorage },
  { name: 'ProgressTracker', cls: ProgressTracker, skip: ['matchIndexer'], make: () => new ProgressTracker(1, 0) },
  { name: 'TrackerConfig', cls: TrackerConfig },
  { name: 'JointConfig', cls: JointConfig },
  { name: 'MajorityConfig', cls: MajorityConfig },
  { name: 'Progress', cls: Progress },
  { name: 'ProgressMap', cls: ProgressMap },
  { name: 'Inflights', cls: Inflights },
  { name: 'ReadOnly', cls: ReadOnly },
  { name: 'KVStore', cls: KVStore },
  { name: 'Appender', cls: Appender },
  { name: 'Xoshiro128', cls: Xoshiro },
];

const functions = { stepLeader, stepCandidate, stepFollower };
const constants = { emptyBytes };

function isEntry(v: object): v is Entry {
  const e = v as Partial<Entry>;
  if (typeof e.index !== 'number' || typeof e.term !== 'number' || typeof e.type !== 'number') return false;
  if (!(e.data instanceof Uint8Array)) return false;
  let n = 0;
  for (const _ in v) n++;
  return n === 4;
}

/** The host's classes with the one that cannot be imported here (it imports this module). */
export function hostCodecSpecs(extra: ClassSpec[]): ClassSpec[] {
  return [...extra, ...baseClasses];
}

/** Encodes entry leaves inside a host process (one per checkpoint). */
class EntryEncoder implements LeafCodec<Entry> {
  readonly fresh: Entry[] = [];
  readonly holders: EntryRefs[] = [];
  private readonly freshRef = new Map<Entry, number>();
  constructor(private readonly cache: EntryCache) {}

  is(v: object): v is Entry {
    return isEntry(v);
  }

  private ref(e: Entry): number {
    const eid = this.cache.eid(e);
    if (eid !== undefined) return eid;
    let r = this.freshRef.get(e);
    if (r === undefined) {
      this.fresh.push(e);
      r = -this.fresh.length;
      this.freshRef.set(e, r);
    }
    return r;
  }

  encodeOne(e: Entry): Record<string, unknown> {
    if (!internable(e)) return { $: 'l', e };
    const h: EntryRefs = { $: 'l', r: this.ref(e) };
    this.holders.push(h);
    return h as unknown as Record<string, unknown>;
  }

  encodeList(es: Entry[]): Record<string, unknown> {
    const runs: number[] = [];
    let inline: (number | Entry)[] | undefined;
    for (let i = 0; i < es.length; i++) {
      const e = es[i]!;
      if (!internable(e)) {
        // e.g. MemoryStorage's dummy entry 0 of a fresh log: kept inline, at its position.
        (inline ??= []).push(i, e);
        continue;
      }
      const r = this.ref(e);
      const n = runs.length;
      // Fresh refs (< 0) stay single-entry runs (rewritten on the main thread); eids extend runs.
      if (r >= 0 && n >= 2 && runs[n - 2]! >= 0 && runs[n - 2]! + runs[n - 1]! === r) runs[n - 1]!++;
      else runs.push(r, 1);
    }
    const h: EntryRefs = inline === undefined ? { $: 'L', r: runs } : { $: 'L', r: runs, x: inline };
    this.holders.push(h);
    return h as unknown as Record<string, unknown>;
  }

  decodeOne(): Entry {
    throw new Error('host image: the encoder does not decode');
  }
  decodeList(): Entry[] {
    throw new Error('host image: the encoder does not decode');
  }
}

/** Decodes entry leaves inside a host process, from its cache. */
class EntryDecoder implements LeafCodec<Entry> {
  constructor(private readonly cache: EntryCache) {}
  is(v: object): v is Entry {
    return isEntry(v);
  }
  encodeOne(): Record<string, unknown> {
    throw new Error('host image: the decoder does not encode');
  }
  encodeList(): Record<string, unknown> {
    throw new Error('host image: the decoder does not encode');
  }
  decodeOne(m: Record<string, unknown>): Entry {
    const h = m as unknown as EntryRefs;
    return h.e ?? this.cache.get(h.r as number);
  }
  decodeList(m: Record<string, unknown>): Entry[] {
    const h = m as unknown as EntryRefs;
    const out: Entry[] = [];
    const x = h.x;
    let k = 0;
    forEachRun(h.r as number[], (eid) => {
      while (x !== undefined && k < x.length && x[k] === out.length) {
        out.push(x[k + 1] as Entry);
        k += 2;
      }
      out.push(this.cache.get(eid));
    });
    while (x !== undefined && k < x.length) {
      out.push(x[k + 1] as Entry);
      k += 2;
    }
    return out;
  }
}

/** Encodes and decodes hosts of one class registry (built once per process). */
export class HostCodec {
  private readonly encodeCodec: { codec: GraphCodec<Entry>; leaf: { current: EntryEncoder | undefined } };
  private readonly specs: ClassSpec[];

  constructor(extra: ClassSpec[]) {
    this.specs = hostCodecSpecs(extra);
    // The leaf codec differs per call (it collects that call's fresh entries): the
    // compiled registry forwards to whichever is current.
    const current: { current: EntryEncoder | undefined } = { current: undefined };
    const forward: LeafCodec<Entry> = {
      is: isEntry,
      encodeOne: (e) => current.current!.encodeOne(e),
      encodeList: (es) => current.current!.encodeList(es),
      decodeOne: () => {
        throw new Error('unused');
      },
      decodeList: () => {
        throw new Error('unused');
      },
    };
    this.encodeCodec = { codec: new GraphCodec({ classes: this.specs, functions, constants }, forward), leaf: current };
  }

  /** The image of a host (inside its process). */
  encode(host: object, cache: EntryCache): RawHostImage {
    const enc = new EntryEncoder(cache);
    this.encodeCodec.leaf.current = enc;
    try {
      const graph = this.encodeCodec.codec.encode(host);
      cache.pending = enc.fresh;
      return { graph, fresh: enc.fresh, holders: enc.holders };
    } finally {
      this.encodeCodec.leaf.current = undefined;
    }
  }

  /** Rebuilds the object graph of a payload (inside a process); the caller revives the closures. */
  decode(payload: HostRestorePayload, cache: EntryCache, ctx: DecodeContext): unknown {
    cache.use(payload.tableId);
    const m = payload.missing;
    for (let i = 0; i < m.length; i += 2) cache.add(m[i] as number, m[i + 1] as Entry);
    const codec = new GraphCodec({ classes: this.specs, functions, constants }, new EntryDecoder(cache));
    return codec.decode(payload.graph, ctx);
  }
}

// ---- the main thread's side ----

/**
 * Interns the fresh entries of a raw image (received from a process) and rewrites its
 * references to eids. Returns the image to keep and the fresh entries' eids, which the
 * process must be told (learn) before its next checkpoint.
 */
export function receiveHostImage(
  raw: RawHostImage,
  table: EntryTable,
  channel: EntryChannel,
): { image: HostImage; freshEids: number[] } {
  const freshEids = raw.fresh.map((e) => table.intern(e));
  for (const eid of freshEids) channel.mark(table, eid);
  const eids: number[] = [];
  const resolve = (r: number): number => (r < 0 ? freshEids[-r - 1]! : r);
  for (const h of raw.holders) {
    if (typeof h.r === 'number') {
      h.r = resolve(h.r);
      pushRun(eids, h.r);
    } else if (h.r !== undefined) {
      const runs: number[] = [];
      const src = h.r;
      for (let i = 0; i < src.length; i += 2) {
        const first = src[i]!;
        const n = src[i + 1]!;
        if (first < 0) pushRun(runs, resolve(first));
        else for (let j = 0; j < n; j++) pushRun(runs, first + j);
      }
      h.r = runs;
      for (let i = 0; i < runs.length; i++) eids.push(runs[i]!);
    }
  }
  return { image: { graph: raw.graph, eids }, freshEids };
}

/** The payload that restores an image into a process, with the entries it lacks. */
export function hostRestorePayload(image: HostImage, table: EntryTable, channel: EntryChannel): HostRestorePayload {
  const missing: (number | Entry)[] = [];
  forEachRun(image.eids, (eid) => {
    if (channel.holds(table, eid)) return;
    channel.mark(table, eid);
    missing.push(eid, table.get(eid));
  });
  return { tableId: table.id, graph: image.graph, missing };
}
