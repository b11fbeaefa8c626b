// A tiny hand-driven cluster loop for this folder's tests: nodes behind NodeRuntimes,
// their Disks kept here (as the scheduler keeps them), a FIFO network, crash and
// restart. It checks the persist-before-send rule on every record it absorbs.
// Deliberately independent of scheduler.ts, so the node host can be tested alone.

import { MsgApp, MsgAppResp, MsgPreVote, MsgPreVoteResp, MsgSnap, MsgVoteResp } from '../raft/raftpb/types';
import type { Message } from '../raft/raftpb/types';
import { ReadOnlySafe } from '../raft/types';
import { Disk } from './disk';
import type {
  CycleRecord,
  HostCommand,
  HostResult,
  NodeConfig,
  NodeObservation,
  NodeRuntime,
  RuntimeFactory,
} from './protocol';

export function testNodeConfig(id: number, over: Partial<NodeConfig> = {}): NodeConfig {
  return {
    id,
    electionTick: 10,
    heartbeatTick: 1,
    preVote: true,
    checkQuorum: true,
    readOnlyOption: ReadOnlySafe,
    maxSizePerMsg: Infinity,
    maxInflightMsgs: 256,
    maxUncommittedEntriesSize: Infinity,
    disableProposalForwarding: false,
    stepDownOnRemoval: false,
    snapCount: 10000,
    snapshotCatchUpEntries: 5,
    stateMachine: 'kv',
    seed: 1000 + id,
    ...over,
  };
}

/** Throws unless every message in rec.sent is backed by what the sender's disk holds now. */
export function checkSentAfterPersist(disk: Disk, rec: CycleRecord): void {
  const d = disk.state;
  const snapIndex = d.snapshot.metadata.index;
  const termAt = (i: number): number | undefined =>
    i === snapIndex ? d.snapshot.metadata.term : d.entries.find((e) => e.index === i)?.term;
  for (const m of rec.sent) {
    const what = `node ${rec.node} sent type ${m.type} to ${m.to} (term ${m.term})`;
    // The term a message carries is durable first (except pre-votes and their answers,
    // which carry the term a pre-candidate would move to).
    const preVote = m.type === MsgPreVote || m.type === MsgPreVoteResp;
    if (!preVote && m.term > d.hardState.term) {
      throw new Error(`${what}: term ${m.term} not yet persisted (disk term ${d.hardState.term})`);
    }
    if (m.type === MsgApp) {
      for (const e of m.entries) {
        // Entries folded into the disk's snapshot were durable before it was taken.
        if (e.index <= snapIndex) continue;
        if (termAt(e.index) !== e.term) throw new Error(`${what}: entry ${e.index}/${e.term} not on disk`);
      }
    }
    if (m.type === MsgAppResp && !m.reject && m.index > snapIndex && termAt(m.index) === undefined) {
      throw new Error(`${what}: acknowledges index ${m.index} not on disk`);
    }
    if (m.type === MsgVoteResp && !m.reject && (d.hardState.vote !== m.to || d.hardState.term !== m.term)) {
      throw new Error(`${what}: vote granted to ${m.to} before it was persisted`);
    }
  }
}

export interface LoopNode {
  config: NodeConfig;
  runtime: NodeRuntime | undefined;
  disk: Disk;
}

export class TestLoop {
  readonly nodes = new Map<number, LoopNode>();
  queue: Message[] = [];
  readonly records: CycleRecord[] = [];
  /** Every result of every command, in order (for parity checks). */
  readonly transcript: HostResult[][] = [];

  constructor(private readonly factory: RuntimeFactory) {}

  async start(ids: number[], over: Partial<NodeConfig> = {}, learners: number[] = []): Promise<void> {
    const voters = ids.filter((id) => !learners.includes(id));
    for (const id of ids) {
      const config = testNodeConfig(id, over);
      this.nodes.set(id, { config, runtime: await this.factory({ config, voters, learners }), disk: new Disk() });
    }
  }

  node(id: number): LoopNode {
    const n = this.nodes.get(id);
    if (n === undefined) throw new Error(`no node ${id}`);
    return n;
  }

  async run(id: number, cmds: HostCommand[]): Promise<HostResult[]> {
    const n = this.node(id);
    if (n.runtime === undefined) throw new Error(`node ${id} is down`);
    const res = await n.runtime.run(cmds);
    this.transcript.push(res);
    for (const r of res) if (r.kind === 'cycles') for (const rec of r.records) this.absorb(n, rec);
    return res;
  }

  /** Applies a record's disk write, checks the persist-before-send rule, queues its messages. */
  absorb(n: LoopNode, rec: CycleRecord): void {
    if (rec.persisted !== undefined) n.disk.apply(rec.persisted);
    checkSentAfterPersist(n.disk, rec);
    this.records.push(rec);
    this.queue.push(...rec.sent);
  }

  async observe(id: number): Promise<NodeObservation> {
    const [r] = await this.run(id, [{ kind: 'observe' }]);
    if (r?.kind !== 'observation') throw new Error(`observe ${id}: ${JSON.stringify(r)}`);
    return r.observation;
  }

  async crash(id: number): Promise<void> {
    const n = this.node(id);
    await n.runtime?.terminate();
    n.runtime = undefined;
  }

  async restart(id: number): Promise<void> {
    const n = this.node(id);
    n.runtime = await this.factory({ config: n.config, voters: [], learners: [], disk: n.disk.clone().state });
  }

  live(): number[] {
    return [...this.nodes.keys()].sort((a, b) => a - b).filter((id) => this.node(id).runtime !== undefined);
  }

  /** Runs Ready cycles everywhere and delivers every message (dropping those to down nodes), until quiet. */
  async stabilize(maxRounds = 200): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      let busy = false;
      for (const id of this.live()) {
        const [r] = await this.run(id, [{ kind: 'cycle', maxCycles: 100 }]);
        if (r?.kind === 'cycles' && r.records.length > 0) busy = true;
      }
      const msgs = this.queue;
      this.queue = [];
      if (msgs.length > 0) busy = true;
      const byNode = new Map<number, Message[]>();
      for (const m of msgs) {
        if (this.nodes.get(m.to)?.runtime === undefined) continue;
        byNode.set(m.to, [...(byNode.get(m.to) ?? []), m]);
        // raftexample's transport reports a delivered snapshot as finished.
        if (m.type === MsgSnap && this.node(m.from).runtime !== undefined) {
          await this.run(m.from, [{ kind: 'reportSnapshot', id: m.to, failed: false }]);
        }
      }
      for (const id of [...byNode.keys()].sort((a, b) => a - b))
        await this.run(id, [{ kind: 'step', msgs: byNode.get(id)! }]);
      if (!busy) return;
    }
    throw new Error('stabilize: no quiescence');
  }

  /** One tick on every live node, then stabilize. */
  async tickAll(ticks = 1): Promise<void> {
    for (let i = 0; i < ticks; i++) {
      for (const id of this.live()) await this.run(id, [{ kind: 'tick', count: 1 }]);
      await this.stabilize();
    }
  }

  async terminateAll(): Promise<void> {
    for (const id of this.live()) await this.crash(id);
  }
}
