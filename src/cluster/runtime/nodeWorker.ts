// The API a node's worker exposes (through comlink) over its NodeHost. Both the
// browser Web Worker and the Node worker_thread entries expose one of these.

import { NodeHost } from '../nodeHost';
import type { BootInfo, HostCommand, HostResult } from '../protocol';

export interface NodeWorkerApi {
  /** Builds the host; must be called once, before run. Throws if booting fails. */
  boot(boot: BootInfo): number;
  /**
   * Runs commands (see NodeHost.run). Throws (so the caller's promise rejects) if the
   * host is not booted or has panicked — a panic is the end of the process.
   */
  run(commands: HostCommand[]): HostResult[];
}

export function createNodeWorkerApi(): NodeWorkerApi {
  let host: NodeHost | undefined;
  return {
    boot(boot: BootInfo): number {
      if (host !== undefined) throw new Error(`node ${host.id}: already booted`);
      host = new NodeHost(boot);
      return host.id;
    },
    run(commands: HostCommand[]): HostResult[] {
      if (host === undefined) throw new Error('node worker: not booted');
      const results = host.run(commands);
      if (host.panicked !== undefined) throw new Error(host.panicked);
      return results;
    },
  };
}
