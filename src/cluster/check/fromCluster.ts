// The adapter from a live Cluster to the checkers' plain data (src/check). The checkers
// are pure functions over check/model.ts's steps and check/linearizable's HistoryOp and
// know nothing of the cluster: this file converts what the cluster observes into steps.
// (The client history needs no conversion: a ClientOp has every field of a HistoryOp.)
//
// ModelBuilder turns one ClusterObservation plus each node's durable state into a
// ModelStep. Entries are interned (one ModelEntry per raft Entry object, which the disk
// shares and never mutates) and a node's log array is reused while its disk log did not
// change, so a long run costs one array per node per step that changed the log.
// `logWindow` bounds each recorded log to its last N entries (the UI uses it).

import type { Model, ModelEntry, ModelEvent, ModelLog, ModelNode, ModelStep } from '../../check/model';
import type { Entry } from '../../raft/raftpb/types';
import type { Cluster, ClusterObservation } from '../cluster';
import { FNV32_OFFSET, fnv1a32Hex } from '../fnv';
import type { DiskState } from '../protocol';

/** Hash of a KV map, independent of key order (8 hex digits). */
export function kvHash(kv: Readonly<Record<string, string>>): string {
  const keys = Object.keys(kv).sort();
  let s = '';
  for (const k of keys) s += `${k.length}:${k}=${kv[k]!.length}:${kv[k]!}\n`;
  return fnv1a32Hex(s);
}

export interface ModelBuilderOptions {
  /** Keep at most this many entries per recorded log (the newest). Default: all. */
  logWindow?: number;
}

interface NodeMemo {
  node: ModelNode;
  /** Identity of the disk log the recorded log was built from. */
  first: Entry | undefined;
  last: Entry | undefined;
  length: number;
}

const interned = new WeakMap<Entry, ModelEntry>();

export function modelEntry(e: Entry): ModelEntry {
  let m = interned.get(e);
  if (m === undefined) {
    m = { index: e.index, term: e.term, hash: fnv1a32Hex(e.data, (FNV32_OFFSET ^ e.type) >>> 0) };
    interned.set(e, m);
  }
  return m;
}

export class ModelBuilder {
  private readonly memo = new Map<number, NodeMemo>();
  private readonly window: number;

  constructor(opts: ModelBuilderOptions = {}) {
    this.window = opts.logWindow ?? Infinity;
  }

  /** Forgets the previous step (after a seek or fork, the next step is not a successor). */
  reset(): void {
    this.memo.clear();
  }

  private log(d: Readonly<DiskState>, memo: NodeMemo | undefined): { log: ModelLog; first?: Entry; last?: Entry } {
    const ents = d.entries;
    const first = ents[0];
    const last = ents[ents.length - 1];
    const snapIndex = d.snapshot.metadata.index;
    if (
      memo !== undefined &&
      memo.first === first &&
      memo.last === last &&
      memo.length === ents.length &&
      memo.node.log.snapshotIndex === snapIndex
    )
      return { log: memo.node.log, first, last };
    const from = Math.max(0, ents.length - this.window);
    const entries: ModelEntry[] = new Array<ModelEntry>(ents.length - from);
    for (let i = from; i < ents.length; i++) entries[i - from] = modelEntry(ents[i]!);
    return {
      log: {
        snapshotIndex: snapIndex,
        snapshotTerm: d.snapshot.metadata.term,
        start: ents.length > from ? ents[from]!.index : snapIndex + 1,
        entries,
      },
      first,
      last,
    };
  }

  /**
   * One step. `disk(id)` gives a node's durable state (cluster.disk); when it gives
   * undefined, the node's previous log is kept (or an empty one).
   */
  add(o: ClusterObservation, disk: (id: number) => Readonly<DiskState> | undefined): ModelStep {
    const events: ModelEvent[] = [];
    const nodes: ModelNode[] = [];
    for (const n of o.nodes) {
      const memo = this.memo.get(n.id);
      const d = disk(n.id);
      const built = d !== undefined ? this.log(d, memo) : undefined;
      const log: ModelLog = built?.log ??
        memo?.node.log ?? {
          snapshotIndex: n.disk.snapshotIndex,
          snapshotTerm: n.disk.snapshotTerm,
          start: n.disk.snapshotIndex + 1,
          entries: [],
        };
      const ob = n.status === 'alive' ? n.observation : undefined;
      const hs = d?.hardState ?? { term: n.disk.term, vote: n.disk.vote, commit: n.disk.commit };
      const node: ModelNode = {
        id: n.id,
        alive: n.status === 'alive',
        paused: n.paused,
        removed: n.status === 'removed',
        incarnation: n.incarnation,
        term: ob?.term ?? hs.term,
        vote: ob?.vote ?? hs.vote,
        role: ob?.role,
        lead: ob?.lead ?? 0,
        commit: ob?.commit ?? hs.commit,
        applied: ob?.applied ?? 0,
        kvHash: ob !== undefined ? kvHash(ob.kv) : undefined,
        disk: { term: hs.term, vote: hs.vote, commit: hs.commit },
        log,
      };
      const p = memo?.node;
      if (p !== undefined) {
        if (p.alive && n.status === 'crashed') events.push({ kind: 'crash', node: n.id });
        if (n.status === 'alive' && (!p.alive || n.incarnation > p.incarnation)) {
          if (p.alive) events.push({ kind: 'crash', node: n.id });
          events.push({ kind: 'restart', node: n.id });
        }
        if (!p.removed && n.status === 'removed') events.push({ kind: 'remove', node: n.id });
      }
      nodes.push(node);
      this.memo.set(n.id, { node, first: built?.first, last: built?.last, length: d?.entries.length ?? 0 });
    }
    return { step: o.step, time: o.time, nodes, events, faulty: !majorityWhole(o) };
  }
}

/**
 * Whether some running, unpaused voter has working links both ways to enough running,
 * unpaused voters to form a majority (itself included): the condition under which a
 * leader can be elected and commit. Voters are those of the running node with the
 * highest term (all non-removed nodes when none runs). A link that is down, held, or
 * loses at least half of its messages does not count.
 */
export function majorityWhole(o: ClusterObservation): boolean {
  let top: { term: number; voters: number[] } | undefined;
  for (const n of o.nodes) {
    const ob = n.status === 'alive' ? n.observation : undefined;
    if (ob !== undefined && (top === undefined || ob.term > top.term))
      top = { term: ob.term, voters: ob.confState.voters };
  }
  const voters =
    top !== undefined && top.voters.length > 0
      ? top.voters
      : o.nodes.filter((n) => n.status !== 'removed').map((n) => n.id);
  const up = new Set(
    o.nodes.filter((n) => n.status === 'alive' && !n.paused && voters.includes(n.id)).map((n) => n.id),
  );
  const broken = new Set<string>();
  for (const l of o.links) if (!l.up || l.faults.hold || l.faults.loss >= 0.5) broken.add(`${l.from}>${l.to}`);
  const works = (a: number, b: number) => !broken.has(`${a}>${b}`) && !broken.has(`${b}>${a}`);
  for (const v of up) {
    let reach = 0;
    for (const w of up) if (w === v || works(v, w)) reach++;
    if (reach > voters.length / 2) return true;
  }
  return false;
}

/**
 * Records a live Cluster into a Model: call capture() after each action you want a step
 * for (or use record(), which subscribes and captures after every action).
 */
export class ClusterModelRecorder {
  readonly model: Model = { steps: [] };
  private readonly builder: ModelBuilder;

  constructor(
    private readonly cluster: Cluster,
    opts: ModelBuilderOptions = {},
  ) {
    this.builder = new ModelBuilder(opts);
  }

  /** Observes the cluster now and appends a step. */
  async capture(): Promise<ModelStep> {
    const o = await this.cluster.observe();
    const s = this.builder.add(o, (id) => this.cluster.disk(id));
    this.model.steps.push(s);
    return s;
  }
}
