// The in-process runtime: NodeHosts on the calling thread (Node, tests, fuzzing,
// benchmarks). Each "process" is a NodeWorkerApi called directly, and everything that
// crosses its boundary (commands, results, boot info, images) is passed through
// structuredClone, so a host here sees exactly what it would see behind postMessage,
// and nothing the caller holds aliases the host's state: in-process and worker runs
// are interchangeable. Processes are pooled like workers (see processPool.ts).

import type { HostBootPayload } from '../bootPayload';
import type { HostRestorePayload } from '../hostImage';
import type { BootInfo, HostCommand } from '../protocol';
import { SharedEntries, SharedEntryChannel } from '../sharedEntries';
import { createNodeWorkerApi } from './nodeWorker';
import { ProcessPool, type HostProcess } from './processPool';

/**
 * One in-process host "process" (the pool below spawns them; tests may count them).
 * With `shared`, it holds log entries in common with the other processes given it.
 */
export function inProcessHost(shared?: SharedEntries): HostProcess {
  const api = createNodeWorkerApi(shared);
  return {
    boot: async (boot: BootInfo) => api.boot(structuredClone(boot)),
    bootFrom: async (payload: HostBootPayload) => api.bootFrom(structuredClone(payload)),
    restore: async (payload: HostRestorePayload) => api.restore(structuredClone(payload)),
    // A panicked host throws here: a dead process, reported as a crashed worker would be.
    run: async (commands: HostCommand[]) => structuredClone(api.run(structuredClone(commands))),
    checkpoint: async (tableId: number, knownShapes: number) => structuredClone(api.checkpoint(tableId, knownShapes)),
    learn: (tableId, eids) => api.learn(tableId, eids.slice()),
    reset: () => api.reset(),
    kill: async () => api.reset(),
    broken: false,
    inUse: () => {},
  };
}

const sharedEntries = new SharedEntries();

export const inProcessPool = new ProcessPool(
  () => inProcessHost(sharedEntries),
  12,
  () => new SharedEntryChannel(sharedEntries),
);

export const inProcessRuntime = inProcessPool.factory();
