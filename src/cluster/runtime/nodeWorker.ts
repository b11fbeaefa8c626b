// The API a host process exposes (through comlink in a worker; called directly by the
// in-process runtime) over its NodeHost. Both the browser Web Worker and the Node
// worker_thread entries expose one of these.
//
// A process outlives its hosts: `reset` drops the host (a crash: everything volatile is
// gone) and the process can boot or restore another one, so seeking costs one message
// per node rather than a new worker per node. Its EntryCache (see entryTable.ts) stays,
// so a restore only sends the log entries this process has not seen yet.

import { bootFromPayload, type HostBootPayload } from '../bootPayload';
import { EntryCache, type HeldEntriesSource } from '../entryTable';
import type { HostRestorePayload, RawHostImage } from '../hostImage';
import { NodeHost } from '../nodeHost';
import { ShapeTable } from '../objectGraph';
import { decodeCommands, encodeResults } from '../resultWire';
import type { BootInfo, HostCommand, HostResult } from '../protocol';

export interface NodeWorkerApi {
  /** Builds the host; only when no host is running. Throws if booting fails. */
  boot(boot: BootInfo): number;
  /** Builds the host from boot info whose disk entries go by eid (see bootPayload.ts). */
  bootFrom(payload: HostBootPayload): number;
  /**
   * Runs commands (see NodeHost.run). Throws (so the caller's promise rejects) if the
   * host is not booted or has panicked — a panic is the end of the process.
   */
  run(commands: HostCommand[]): HostResult[];
  /**
   * The host's image for a checkpoint of run `tableId` (entries this process has eids
   * for go by eid; the main thread knows the first `knownShapes` of this process's shapes).
   */
  checkpoint(tableId: number, knownShapes: number): RawHostImage;
  /** The eids of the entries the last checkpoint sent in full, in order. */
  learn(tableId: number, eids: number[]): void;
  /** Builds the host from an image (only when no host is running). */
  restore(payload: HostRestorePayload): number;
  /** Drops the host (crash, removal, disposal); the process may then boot or restore another. */
  reset(): void;
}

/** `entries`: where the process's EntryCache keeps entries (in-process: shared, see sharedEntries.ts). */
export function createNodeWorkerApi(entries?: HeldEntriesSource): NodeWorkerApi {
  let host: NodeHost | undefined;
  const cache = new EntryCache(entries);
  const shapes = new ShapeTable();
  const running = (): NodeHost => {
    if (host === undefined) throw new Error('node worker: not booted');
    return host;
  };
  return {
    boot(boot: BootInfo): number {
      if (host !== undefined) throw new Error(`node ${host.id}: already booted`);
      host = new NodeHost(boot);
      return host.id;
    },
    bootFrom(payload: HostBootPayload): number {
      if (host !== undefined) throw new Error(`node ${host.id}: already booted`);
      host = new NodeHost(bootFromPayload(payload, cache));
      return host.id;
    },
    run(commands: HostCommand[]): HostResult[] {
      const h = running();
      const results = h.run(decodeCommands(commands, cache));
      if (h.panicked !== undefined) throw new Error(h.panicked);
      return encodeResults(results, cache);
    },
    checkpoint(tableId: number, knownShapes: number): RawHostImage {
      cache.use(tableId);
      return running().image(cache, shapes, knownShapes);
    },
    learn(tableId: number, eids: number[]): void {
      cache.learn(tableId, eids);
    },
    restore(payload: HostRestorePayload): number {
      if (host !== undefined) throw new Error(`node ${host.id}: already booted`);
      host = NodeHost.fromImage(payload, cache);
      return host.id;
    },
    reset(): void {
      host = undefined;
    },
  };
}
