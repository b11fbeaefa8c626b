// RuntimeFactory for the browser: one module Web Worker per node, talked to through
// comlink. Workers are pooled (processPool.ts): a crash drops the host inside its
// worker, which then waits to host another node, so restoring a checkpoint costs one
// message per node instead of a new worker per node. A worker whose script fails is
// terminated for good.

import { releaseProxy, wrap } from 'comlink';
import type { HostProcess } from './processPool';
import { ProcessPool } from './processPool';
import type { NodeWorkerApi } from './nodeWorker';
import { spawnNodeWorker } from './spawnNodeWorker';

function workerProcess(nodeId: number): HostProcess {
  const worker = spawnNodeWorker();
  const api = wrap<NodeWorkerApi>(worker);
  let broken = false;
  let killed = false;
  // A worker whose script fails to load (or that throws at top level) never answers: fail pending calls instead.
  const died = new Promise<never>((_, reject) => {
    worker.addEventListener(
      'error',
      (e) => {
        broken = true;
        reject(new Error(`node ${nodeId}: worker failed: ${e.message}`));
      },
      { once: true },
    );
  });
  died.catch(() => {});
  const call = <T>(p: Promise<T>): Promise<T> => Promise.race([p, died]);
  return {
    boot: (boot) => call(api.boot(boot)),
    bootFrom: (payload) => call(api.bootFrom(payload)),
    restore: (payload) => call(api.restore(payload)),
    run: (commands) => call(api.run(commands)),
    checkpoint: (tableId, knownShapes) => call(api.checkpoint(tableId, knownShapes)),
    learn: (tableId, eids) => void api.learn(tableId, eids).catch(() => undefined),
    reset: () => void api.reset().catch(() => undefined),
    kill: async () => {
      if (killed) return;
      killed = true;
      api[releaseProxy]();
      worker.terminate();
    },
    get broken() {
      return broken;
    },
    inUse: () => {},
  };
}

export const browserWorkerPool = new ProcessPool(workerProcess);

export const browserWorkerRuntime = browserWorkerPool.factory();
