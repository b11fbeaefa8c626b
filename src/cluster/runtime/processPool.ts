// Host processes kept for reuse, and the RuntimeFactory built over them.
//
// A process is a Web Worker, a Node worker_thread, or the in-process stand-in, each
// running one NodeWorkerApi. Starting a worker costs milliseconds to tens of
// milliseconds (a new isolate that loads and compiles the raft code); a seek that
// restores 9 nodes would pay it 9 times. So a node's runtime borrows a process from
// the pool, and terminating the runtime (a crash, a removal, disposing a world) drops
// the host inside the process (`reset`) and gives the process back. For the cluster
// this is still a crash: the host and everything volatile in it are gone, and the
// process refuses the old runtime's calls. A process that failed (its script did not
// load, it exited) is really terminated and never reused.
//
// Messages to a process are handled in the order sent, so a reset sent without
// waiting is done before the next boot or restore on the same process.

import { hostBootPayload, type HostBootPayload } from '../bootPayload';
import type { EntryTable } from '../entryTable';
import { EntryChannel } from '../entryTable';
import {
  hostImageNodeId,
  hostRestorePayload,
  receiveHostImage,
  type HostImage,
  type HostRestorePayload,
  type RawHostImage,
} from '../hostImage';
import type { Shape } from '../objectGraph';
import { decodeResults, encodeCommands } from '../resultWire';
import type { BootInfo, HostCommand, HostResult, NodeRuntime, RuntimeFactory } from '../protocol';

/** A host process as the main thread drives it. */
export interface HostProcess {
  boot(boot: BootInfo): Promise<number>;
  bootFrom(payload: HostBootPayload): Promise<number>;
  restore(payload: HostRestorePayload): Promise<number>;
  run(commands: HostCommand[]): Promise<HostResult[]>;
  checkpoint(tableId: number, knownShapes: number): Promise<RawHostImage>;
  /** Sent without waiting for an answer. */
  learn(tableId: number, eids: number[]): void;
  /** Sent without waiting for an answer. */
  reset(): void;
  /** Ends the process for good. */
  kill(): Promise<void>;
  /** Set once the process failed: it is killed instead of reused. */
  readonly broken: boolean;
  /** Lent to a runtime (false while idle in the pool). */
  inUse(used: boolean): void;
}

interface Pooled {
  proc: HostProcess;
  /** Which eids of the current run the process holds. */
  channel: EntryChannel;
  /** The main thread's copy of the process's shape table (images point into it). */
  shapes: Shape[];
  /** The node it last hosted: preferred for the same node again. */
  lastNode: number;
}

export class ProcessPool {
  private readonly idle: Pooled[] = [];

  constructor(
    private readonly spawn: (nodeId: number) => HostProcess,
    /** Idle processes kept at most (the others are ended). */
    private readonly maxIdle = 12,
    /** The channel to a new process (processes that share their entries share what channels report). */
    private readonly channel: () => EntryChannel = () => new EntryChannel(),
  ) {}

  /** Processes waiting for a host (for tests). */
  get idleCount(): number {
    return this.idle.length;
  }

  private take(nodeId: number): Pooled {
    let i = this.idle.findIndex((p) => p.lastNode === nodeId);
    if (i < 0) i = this.idle.length - 1;
    const p =
      i >= 0
        ? this.idle.splice(i, 1)[0]!
        : { proc: this.spawn(nodeId), channel: this.channel(), shapes: [], lastNode: 0 };
    p.lastNode = nodeId;
    p.proc.inUse(true);
    return p;
  }

  private give(p: Pooled): void {
    p.proc.inUse(false);
    if (p.proc.broken || this.idle.length >= this.maxIdle) {
      void p.proc.kill().catch(() => undefined);
      return;
    }
    this.idle.push(p);
  }

  /** Ends every idle process (the pool stays usable: it spawns new ones when asked). */
  async drain(): Promise<void> {
    const all = this.idle.splice(0);
    await Promise.all(all.map((p) => p.proc.kill().catch(() => undefined)));
  }

  private async start(nodeId: number, how: (p: Pooled) => Promise<number>): Promise<NodeRuntime> {
    const p = this.take(nodeId);
    try {
      await how(p);
    } catch (e) {
      // A boot that throws leaves no host behind; a process that failed is not reused.
      p.proc.reset();
      this.give(p);
      throw e;
    }
    return this.runtime(p, nodeId);
  }

  private runtime(p: Pooled, id: number): NodeRuntime {
    let alive = true;
    const mustLive = (): void => {
      if (!alive) throw new Error(`node ${id}: runtime terminated`);
    };
    return {
      id,
      run: async (commands) => {
        mustLive();
        return decodeResults(await p.proc.run(encodeCommands(commands, p.channel)), p.channel.table);
      },
      terminate: async () => {
        if (!alive) return;
        alive = false;
        if (!p.proc.broken) p.proc.reset();
        this.give(p);
      },
      checkpoint: async (table: EntryTable): Promise<HostImage> => {
        mustLive();
        p.channel.use(table);
        const raw = await p.proc.checkpoint(table.id, p.shapes.length);
        const { image, freshEids } = receiveHostImage(raw, table, p.channel, p.shapes);
        p.proc.learn(table.id, freshEids);
        return image;
      },
    };
  }

  /** The RuntimeFactory that boots and restores hosts in this pool's processes. */
  factory(): RuntimeFactory {
    const f = ((boot: BootInfo) => this.start(boot.config.id, (p) => p.proc.boot(boot))) as RuntimeFactory;
    f.restore = (image: HostImage, table: EntryTable) =>
      this.start(nodeIdOf(image), (p) => p.proc.restore(hostRestorePayload(image, table, p.channel)));
    f.bootFrom = (boot, table, runs) =>
      this.start(boot.config.id, (p) => p.proc.bootFrom(hostBootPayload(boot, table, runs, p.channel)));
    return f;
  }
}

/** The node id an image belongs to (for picking a process that hosted it before): its first field. */
function nodeIdOf(image: HostImage): number {
  return hostImageNodeId(image.bytes);
}
