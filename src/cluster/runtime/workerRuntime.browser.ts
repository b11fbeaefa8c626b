// RuntimeFactory for the browser: one module Web Worker per node, talked to through
// comlink. Terminating the worker is a crash: everything in it is gone at once.

import { releaseProxy, wrap } from 'comlink';
import type { BootInfo, HostCommand, HostResult, NodeRuntime, RuntimeFactory } from '../protocol';
import type { NodeWorkerApi } from './nodeWorker';
import { spawnNodeWorker } from './spawnNodeWorker';

export const browserWorkerRuntime: RuntimeFactory = async (boot: BootInfo): Promise<NodeRuntime> => {
  const id = boot.config.id;
  const worker = spawnNodeWorker();
  const api = wrap<NodeWorkerApi>(worker);
  let alive = true;
  const kill = (): void => {
    if (!alive) return;
    alive = false;
    api[releaseProxy]();
    worker.terminate();
  };
  // A worker whose script fails to load never answers: fail pending calls instead.
  const died = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (e) => reject(new Error(`node ${id}: worker failed: ${e.message}`)), {
      once: true,
    });
  });
  died.catch(() => {});
  try {
    await Promise.race([api.boot(boot), died]);
  } catch (e) {
    kill();
    throw e;
  }
  return {
    id,
    async run(commands: HostCommand[]): Promise<HostResult[]> {
      if (!alive) throw new Error(`node ${id}: runtime terminated`);
      return Promise.race([api.run(commands), died]);
    },
    async terminate(): Promise<void> {
      kill();
    },
  };
};
