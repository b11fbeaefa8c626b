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
import { emptyBytes, noEntries, noMessages, type Entry } from '../raft/raftpb/types';
import { RawNode } from '../raft/rawNode';
import { ReadOnly } from '../raft/readOnly';
import { MemoryStorage } from '../raft/storage';
import { Inflights } from '../raft/tracker/inflights';
import { Progress, ProgressMap } from '../raft/tracker/progress';
import { Config as TrackerConfig, ProgressTracker } from '../raft/tracker/tracker';
import {
  internable,
  minInternedBytes,
  pushRun,
  type EntryCache,
  type EntryChannel,
  type EntryTable,
  type Interned,
} from './entryTable';
import {
  GraphCodec,
  LEAF,
  LEAVES,
  type ClassSpec,
  type DecodeContext,
  type LeafCodec,
  type Shape,
  type ShapeTable,
} from './objectGraph';
import { pack, unpack, unpackHead } from './packed';
import { RaftProbe } from './raftProbe';
import { createRandom } from './random';
import { Appender } from './stateMachines/appender';
import { KVStore } from './stateMachines/kvStore';

/** What a host process hands back for a checkpoint (before the main thread interns its new entries). */
export interface RawHostImage {
  /** The encoded graph (its root is the NodeHost), packed (packed.ts). */
  bytes: Uint8Array;
  /** Shapes the process added to its table since the main thread last heard: table[from...]. */
  shapes: { from: number; list: Shape[] };
  /** Entries sent in full, in the order their eids are expected back (learn). */
  fresh: Interned[];
  /** Every entry reference of the graph, as runs (fresh refs < 0 as single-entry runs). */
  refs: number[];
}

/** An image as checkpoints keep it. */
export interface HostImage {
  bytes: Uint8Array;
  /** The shape table of the process that made it (only ever appended to: its numbers stay valid). */
  shapes: readonly Shape[];
  /** The eid of each fresh entry (the graph's ref -k is fresh[k-1]). */
  fresh: Int32Array;
  /** Every eid the graph names, as runs (possibly repeated): what a process must hold to restore it. */
  eids: number[];
}

/** What a restore sends to a host process. */
export interface HostRestorePayload {
  tableId: number;
  bytes: Uint8Array;
  shapes: readonly Shape[];
  fresh: Int32Array;
  /** Entries (and byte arrays) the process does not hold yet: [eid, value, eid, value, ...]. */
  missing: (number | Interned)[];
}

// Entry leaves (see objectGraph.ts):
//   [LEAF, ref]                one entry; ref >= 0 an eid, ref < 0 fresh entry number -ref-1
//   [LEAF, entry]              one entry kept inline (index 0: never interned)
//   [LEAVES, runs]             a list: runs [ref, count, ...] (fresh refs as single-entry runs)
//   [LEAVES, runs, inline]     ... with inline entries at their positions: [position, entry, ...]

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
  // The event stream's probe (raftProbe.ts): its notes not yet taken, the last state brief.
  { name: 'RaftProbe', cls: RaftProbe },
];

const functions = { stepLeader, stepCandidate, stepFollower };
// Shared values a restored host must get back as the same objects: raft's empty byte
// array, and the frozen empty arrays its messages share (a copy would be a mutable array).
const constants = { emptyBytes, noEntries, noMessages };

function isEntry(v: object): v is Entry {
  const e = v as Partial<Entry>;
  if (typeof e.index !== 'number' || typeof e.term !== 'number' || typeof e.type !== 'number') return false;
  if (!(e.data instanceof Uint8Array)) return false;
  let n = 0;
  for (const _ in v) n++;
  return n === 4;
}

/** The values the entry table takes: log entries, and byte arrays long enough to be worth it. */
export function isInternedLeaf(v: object): v is Interned {
  return v instanceof Uint8Array ? v.length >= minInternedBytes : isEntry(v);
}

/** The host's classes with the one that cannot be imported here (it imports this module). */
export function hostCodecSpecs(extra: ClassSpec[]): ClassSpec[] {
  return [...extra, ...baseClasses];
}

/** Appends a ref to runs: eids extend the last run, fresh refs (< 0) stay single-entry runs. */
function appendRef(runs: number[], r: number): void {
  const n = runs.length;
  if (r >= 0 && n >= 2 && runs[n - 2]! >= 0 && runs[n - 2]! + runs[n - 1]! === r) runs[n - 1]!++;
  else runs.push(r, 1);
}

/** Encodes leaves inside a host process (one per checkpoint): by eid when the process knows it, else fresh. */
class LeafEncoder implements LeafCodec<Interned> {
  readonly fresh: Interned[] = [];
  /** Every reference written, as runs (fresh ones as single-entry runs). */
  readonly refs: number[] = [];
  private readonly freshRef = new Map<Interned, number>();
  constructor(private readonly cache: EntryCache) {}

  is(v: object): v is Interned {
    return isInternedLeaf(v);
  }

  private ref(v: Interned): number {
    const eid = this.cache.eid(v);
    if (eid !== undefined) return eid;
    let r = this.freshRef.get(v);
    if (r === undefined) {
      this.fresh.push(v);
      r = -this.fresh.length;
      this.freshRef.set(v, r);
    }
    return r;
  }

  encodeOne(v: Interned): unknown[] {
    if (!internable(v)) return [LEAF, v];
    const r = this.ref(v);
    appendRef(this.refs, r);
    return [LEAF, r];
  }

  encodeList(vs: Interned[]): unknown[] {
    const runs: number[] = [];
    let inline: (number | Interned)[] | undefined;
    for (let i = 0; i < vs.length; i++) {
      const v = vs[i]!;
      if (!internable(v)) {
        // e.g. MemoryStorage's dummy entry 0 of a fresh log: kept inline, at its position.
        (inline ??= []).push(i, v);
        continue;
      }
      appendRef(runs, this.ref(v));
    }
    for (let i = 0; i < runs.length; i++) this.refs.push(runs[i]!);
    return inline === undefined ? [LEAVES, runs] : [LEAVES, runs, inline];
  }

  decodeOne(): Interned {
    throw new Error('host image: the encoder does not decode');
  }
  decodeList(): Interned[] {
    throw new Error('host image: the encoder does not decode');
  }
}

/** Where decoded leaves come from: one by ref, or a run of eids. */
export interface LeafSource {
  one(ref: number): Interned;
  run(first: number, count: number): Interned[];
}

/** Decodes leaves (a process's cache, or the main thread's table). */
export class LeafDecoder implements LeafCodec<Interned> {
  constructor(private readonly src: () => LeafSource) {}
  is(v: object): v is Interned {
    return isInternedLeaf(v);
  }
  encodeOne(): unknown[] {
    throw new Error('host image: the decoder does not encode');
  }
  encodeList(): unknown[] {
    throw new Error('host image: the decoder does not encode');
  }
  decodeOne(m: unknown[]): Interned {
    const r = m[1];
    return typeof r === 'number' ? this.src().one(r) : (r as Interned);
  }
  decodeList(m: unknown[]): Interned[] {
    return decodeLeafList(m, this.src());
  }
}

/** The values of a [LEAVES, runs, inline?] leaf: a slice per run of eids. */
export function decodeLeafList(m: unknown[], src: LeafSource): Interned[] {
  const runs = m[1] as number[];
  const x = m[2] as (number | Interned)[] | undefined;
  let out: Interned[] = [];
  for (let i = 0; i < runs.length; i += 2) {
    const first = runs[i]!;
    const n = runs[i + 1]!;
    if (first < 0) out.push(src.one(first));
    else if (out.length === 0) out = src.run(first, n);
    else for (const v of src.run(first, n)) out.push(v);
  }
  // Inline values go in at their positions, in increasing order.
  if (x !== undefined) for (let k = 0; k < x.length; k += 2) out.splice(x[k] as number, 0, x[k + 1] as Interned);
  return out;
}

/** Encodes and decodes hosts of one class registry (built once per process). */
export class HostCodec {
  private readonly encoder: GraphCodec<Interned>;
  private readonly decoder: GraphCodec<Interned>;
  /** The leaf codec of the call under way (the compiled registries forward to it). */
  private leafEnc: LeafEncoder | undefined;
  private leafSrc: LeafSource | undefined;

  constructor(extra: ClassSpec[]) {
    const registry = { classes: hostCodecSpecs(extra), functions, constants };
    this.encoder = new GraphCodec(registry, {
      is: isInternedLeaf,
      encodeOne: (v) => this.leafEnc!.encodeOne(v),
      encodeList: (vs) => this.leafEnc!.encodeList(vs),
      decodeOne: () => {
        throw new Error('unused');
      },
      decodeList: () => {
        throw new Error('unused');
      },
    });
    this.decoder = new GraphCodec(registry, new LeafDecoder(() => this.leafSrc!));
  }

  /**
   * The image of a host (inside its process). `shapes` is the process's table, kept
   * across images; the image carries the shapes added since the first `knownShapes`.
   */
  encode(host: object, cache: EntryCache, shapes: ShapeTable, knownShapes: number): RawHostImage {
    const enc = new LeafEncoder(cache);
    this.leafEnc = enc;
    try {
      const graph = this.encoder.encode(host, shapes);
      cache.pending = enc.fresh;
      const from = Math.min(knownShapes, shapes.shapes.length);
      return {
        bytes: pack(graph),
        shapes: { from, list: shapes.shapes.slice(from) },
        fresh: enc.fresh,
        refs: enc.refs,
      };
    } finally {
      this.leafEnc = undefined;
    }
  }

  /** Rebuilds the object graph of a payload (inside a process); the caller revives the closures. */
  decode(payload: HostRestorePayload, cache: EntryCache, ctx: DecodeContext): unknown {
    cache.receive(payload.tableId, payload.missing);
    const fresh = payload.fresh;
    this.leafSrc = {
      one: (r) => cache.get(r < 0 ? fresh[-r - 1]! : r),
      run: (first, n) => cache.list([first, n]),
    };
    try {
      return this.decoder.decode(unpack(payload.bytes), payload.shapes, ctx);
    } finally {
      this.leafSrc = undefined;
    }
  }
}

// ---- the main thread's side ----

/**
 * Takes in a raw image from a process: interns its fresh entries, records the shapes it
 * added to the process's table (`shapes`, the main thread's copy of it), and lists the
 * eids it names. Returns the image to keep and the fresh entries' eids, which the
 * process must be told (learn) before its next checkpoint.
 */
export function receiveHostImage(
  raw: RawHostImage,
  table: EntryTable,
  channel: EntryChannel,
  shapes: Shape[],
): { image: HostImage; freshEids: number[] } {
  if (raw.shapes.from !== shapes.length)
    throw new Error(`host image: shapes from ${raw.shapes.from}, but ${shapes.length} are known`);
  shapes.push(...raw.shapes.list);
  const freshEids = raw.fresh.map((e) => table.intern(e));
  for (const eid of freshEids) channel.mark(table, eid);
  const eids: number[] = [];
  const refs = raw.refs;
  for (let i = 0; i < refs.length; i += 2) {
    const first = refs[i]!;
    const n = refs[i + 1]!;
    if (first < 0) pushRun(eids, freshEids[-first - 1]!);
    else for (let j = 0; j < n; j++) pushRun(eids, first + j);
  }
  return { image: { bytes: raw.bytes, shapes, fresh: Int32Array.from(freshEids), eids }, freshEids };
}

/** The payload that restores an image into a process, with the entries it lacks. */
export function hostRestorePayload(image: HostImage, table: EntryTable, channel: EntryChannel): HostRestorePayload {
  const missing = channel.missing(table, image.eids);
  return { tableId: table.id, bytes: image.bytes, shapes: image.shapes, fresh: image.fresh, missing };
}

/** The node id of a host image (the NodeHost's first field, `id`), without decoding it. */
export function hostImageNodeId(bytes: Uint8Array): number {
  // [ARRAY, len, INT OBJECT, INT shape, INT id, ...]: tags and small varints (see packed.ts).
  const root = unpackHead(bytes, 3);
  return typeof root[2] === 'number' ? root[2] : 0;
}
